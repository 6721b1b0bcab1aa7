package syslog

import (
	"fmt"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// scanSD returns the length of the RFC 5424 STRUCTURED-DATA at the start of s: one or more
// SD-ELEMENTs "[SD-ID PARAM="value" …]" with no space between them.
func scanSD(s string) (int, error) {
	i := 0
	for i < len(s) && s[i] == '[' {
		n, err := scanElement(s[i:])
		if err != nil {
			return 0, err
		}
		i += n
	}
	return i, nil
}

// scanElement returns the length of the SD-ELEMENT at the start of s.
func scanElement(s string) (int, error) {
	i := 1
	start := i
	for i < len(s) && isSDName(s[i]) {
		i++
	}
	if i == start {
		return 0, fmt.Errorf("syslog: RFC 5424 structured data: expected an SD-ID after '[', found %q", clip(s[i:], 20))
	}
	for {
		if i >= len(s) {
			return 0, fmt.Errorf("syslog: RFC 5424 structured data: expected ']' to close %q, found the end of the line", clip(s, 30))
		}
		switch s[i] {
		case ']':
			return i + 1, nil
		case ' ':
			i++
		default:
			return 0, fmt.Errorf("syslog: RFC 5424 structured data: expected ' PARAM=\"value\"' or ']', found %q", clip(s[i:], 20))
		}
		start = i
		for i < len(s) && isSDName(s[i]) {
			i++
		}
		if i == start || i+1 >= len(s) || s[i] != '=' || s[i+1] != '"' {
			return 0, fmt.Errorf("syslog: RFC 5424 structured data: expected PARAM-NAME=\"value\", found %q", clip(s[start:], 20))
		}
		i += 2
		for {
			if i >= len(s) {
				return 0, fmt.Errorf("syslog: RFC 5424 structured data: expected '\"' to end a PARAM-VALUE, found the end of the line")
			}
			if s[i] == '\\' && i+1 < len(s) {
				i += 2
				continue
			}
			if s[i] == '"' {
				i++
				break
			}
			i++
		}
	}
}

// isSDName reports whether c may appear in an SD-NAME: printable US-ASCII except '=', ' ', ']', '"'.
func isSDName(c byte) bool {
	return c > ' ' && c < 0x7f && c != '=' && c != ']' && c != '"'
}

// structuredData converts scanned STRUCTURED-DATA into a JSON object {SD-ID: {PARAM: value}}, held by
// the parser's buffers until the next record.
func (p *parser) structuredData(s string) (*fastjson.Value, error) {
	b := p.sdBuf[:0]
	b = append(b, '{')
	for len(s) > 0 && s[0] == '[' {
		if len(b) > 1 {
			b = append(b, ',')
		}
		i := 1
		for i < len(s) && isSDName(s[i]) {
			i++
		}
		b = appendJSONString(b, s[1:i])
		b = append(b, ':', '{')
		first := true
		for i < len(s) && s[i] == ' ' {
			i++
			start := i
			for i < len(s) && s[i] != '=' {
				i++
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, s[start:i])
			b = append(b, ':', '"')
			i += 2 // ="
			for i < len(s) && s[i] != '"' {
				c := s[i]
				// RFC 5424 6.3.3: only \" \\ and \] are escapes; a backslash before anything else is
				// itself a character.
				if c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\' || s[i+1] == ']') {
					c = s[i+1]
					i++
				}
				b = appendJSONChar(b, s, &i, c)
			}
			b = append(b, '"')
			i++ // closing quote
		}
		b = append(b, '}')
		s = s[min(i+1, len(s)):]
	}
	b = append(b, '}')
	p.sdBuf = b
	v, err := p.sdJSON.ParseBytes(b)
	if err != nil {
		// Not reachable for input scanSD accepted; reported rather than trusted.
		return nil, fmt.Errorf("syslog: RFC 5424 structured data could not be represented as JSON: %v", err)
	}
	return v, nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		b = appendJSONChar(b, s, &i, c)
	}
	return append(b, '"')
}

// appendJSONChar appends the character at s[*i] (already unescaped to c when it is ASCII), escaped for
// a JSON string, and advances *i past it. Invalid UTF-8 becomes U+FFFD.
func appendJSONChar(b []byte, s string, i *int, c byte) []byte {
	const hex = "0123456789abcdef"
	if c < utf8.RuneSelf {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
		*i++
		return b
	}
	r, size := utf8.DecodeRuneInString(s[*i:])
	if r == utf8.RuneError && size == 1 {
		b = append(b, "\ufffd"...)
	} else {
		b = append(b, s[*i:*i+size]...)
	}
	*i += size
	return b
}
