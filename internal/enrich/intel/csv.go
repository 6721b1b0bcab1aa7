package intel

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseCSV reads indicators from one column of a CSV file. The first record is a header when a
// named column (or kind column) is asked for, or when its value cell is not an indicator. Lines
// starting with '#' are comments (abuse.ch feeds start with a block of them).
func parseCSV(data []byte, opts FileOptions, rep *FileReport, add sink) error {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.Comment = '#'
	r.ReuseRecord = true
	r.TrimLeadingSpace = true

	col, kindCol := -1, -1
	if n, err := strconv.Atoi(opts.Column); err == nil && n > 0 {
		col = n - 1
	}
	headerDone := false
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rep.skip(pe.Line, "bad CSV line", pe)
				continue
			}
			return err
		}
		if !headerDone {
			headerDone = true
			if isHeader(rec, opts, col) {
				for i, h := range rec {
					h = strings.TrimSpace(strings.Trim(h, "#"))
					switch {
					case col < 0 && opts.Column != "" && strings.EqualFold(h, opts.Column):
						col = i
					case opts.KindColumn != "" && strings.EqualFold(h, opts.KindColumn):
						kindCol = i
					}
				}
				if col < 0 && opts.Column != "" {
					return fmt.Errorf("line %d: no column %q in header", line, opts.Column)
				}
				if opts.KindColumn != "" && kindCol < 0 {
					return fmt.Errorf("line %d: no column %q in header", line, opts.KindColumn)
				}
				continue
			}
		}
		c := max(col, 0)
		if c >= len(rec) {
			rep.skip(line, "missing column", fmt.Errorf("%d fields, indicator column is %d", len(rec), c+1))
			continue
		}
		ind := Indicator{Value: rec[c], Confidence: -1}
		if kindCol >= 0 && kindCol < len(rec) {
			k, err := ParseKind(rec[kindCol])
			if err != nil {
				rep.skip(line, "unknown kind", err)
				continue
			}
			ind.Kind = k
		}
		add(line, ind)
	}
	return nil
}

func isHeader(rec []string, opts FileOptions, col int) bool {
	if opts.KindColumn != "" || opts.Column != "" && col < 0 {
		return true
	}
	c := max(col, 0)
	if c >= len(rec) {
		return true
	}
	_, err := normalize(opts.Kind, rec[c])
	return err != nil
}
