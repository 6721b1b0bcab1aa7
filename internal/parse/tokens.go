package parse

import (
	"errors"
	"strings"
)

// Errors of SplitQuoted, which formats turn into their own dead-letter reasons.
var (
	ErrOpenQuote   = errors.New("a quoted field is not closed")
	ErrOpenBracket = errors.New("a bracketed field is not closed")
)

// SplitQuoted splits a line of space-separated fields, some of them in double quotes, as the AWS
// access logs (ALB, S3 server access) write them, into out and returns the number of fields the line
// has (which may exceed len(out)). With brackets, a field in [square brackets] is one field too (the
// S3 request time). Fields alias line.
func SplitQuoted(line string, out []string, brackets bool) (int, error) {
	n := 0
	for i := 0; i < len(line); {
		if line[i] == ' ' {
			i++
			continue
		}
		var tok string
		switch {
		case line[i] == '"':
			j := closingQuote(line, i)
			if j < 0 {
				return n, ErrOpenQuote
			}
			tok = line[i+1 : j]
			i = j + 1
		case brackets && line[i] == '[':
			j := strings.IndexByte(line[i:], ']')
			if j < 0 {
				return n, ErrOpenBracket
			}
			tok = line[i+1 : i+j]
			i += j + 1
		default:
			j := strings.IndexByte(line[i:], ' ')
			if j < 0 {
				j = len(line) - i
			}
			tok = line[i : i+j]
			i += j
		}
		if n < len(out) {
			out[n] = tok
		}
		n++
	}
	return n, nil
}

// closingQuote finds the quote that closes the field opened at open. User agents contain quotes of
// their own: a quote after a space that does not end the field opens a nested pair, so such agents
// stay one field.
func closingQuote(line string, open int) int {
	depth := 1
	for j := open + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case '"':
			closes := j+1 == len(line) || line[j+1] == ' '
			if line[j-1] == ' ' && !closes {
				depth++
				continue
			}
			if closes {
				if depth--; depth == 0 {
					return j
				}
			}
		}
	}
	return -1
}

// ARNRegionAccount returns the region and account of an ARN ("arn:partition:service:region:account:…"),
// or empty strings for anything else.
func ARNRegionAccount(arn string) (region, account string) {
	if !strings.HasPrefix(arn, "arn:") {
		return "", ""
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return "", ""
	}
	return parts[3], parts[4]
}
