//go:build duckdb_arrow

package cli

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/yagura-dev/yagura/internal/store"
)

func runQuery(ctx context.Context, args []string, stdio Stdio) error {
	fs := newFlags("query", "[flags] SQL", stdio)
	data := fs.String("data", defaultDataDir(), "data directory ($YAGURA_DATA)")
	format := fs.String("format", "table", "output format: table, csv, json or jsonl")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	q := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if q == "" {
		fs.Usage()
		return usageError{"no SQL given"}
	}
	switch *format {
	case "table", "csv", "json", "jsonl":
	default:
		return usageError{fmt.Sprintf("unknown --format %q: use table, csv, json or jsonl", *format)}
	}
	st, err := store.Open(*data, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.LockDown(); err != nil {
		return err
	}
	rows, err := st.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	return writeRows(stdio.Out, rows.Rows, *format)
}

// writeRows prints a result set. Attacker-controlled text is printed as data: in table output
// control characters are escaped so a log line cannot move the cursor or rewrite the terminal.
func writeRows(w io.Writer, rows *sql.Rows, format string) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var tw *tabwriter.Writer
	var cw *csv.Writer
	first := true
	switch format {
	case "table":
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	case "csv":
		cw = csv.NewWriter(w)
		if err := cw.Write(cols); err != nil {
			return err
		}
	case "json":
		fmt.Fprint(w, "[")
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		n++
		switch format {
		case "table":
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = terminalSafe(textValue(v), 80)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		case "csv":
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = textValue(v)
			}
			if err := cw.Write(cells); err != nil {
				return err
			}
		case "json", "jsonl":
			obj, err := jsonObject(cols, vals)
			if err != nil {
				return err
			}
			if format == "json" {
				if !first {
					fmt.Fprint(w, ",")
				}
				fmt.Fprint(w, "\n  ")
			}
			first = false
			if _, err := w.Write(obj); err != nil {
				return err
			}
			if format == "jsonl" {
				fmt.Fprintln(w)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch format {
	case "table":
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "(%d rows)\n", n)
	case "csv":
		cw.Flush()
		return cw.Error()
	case "json":
		if n > 0 {
			fmt.Fprint(w, "\n")
		}
		fmt.Fprintln(w, "]")
	}
	return nil
}

// jsonObject renders one row with the columns in query order.
func jsonObject(cols []string, vals []any) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(jsonValue(vals[i]))
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return x // base64, as encoding/json does for bytes
	case *big.Int:
		return json.Number(x.String())
	case duckdb.Decimal:
		return json.Number(x.String())
	case duckdb.Interval:
		return fmt.Sprintf("%dmonths %ddays %dus", x.Months, x.Days, x.Micros)
	}
	return v
}

// textValue renders a value for table and CSV output.
func textValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return fmt.Sprintf("%x", x)
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.999999")
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case map[string]any, []any:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprint(v)
}

// terminalSafe escapes control characters (and tabs, which would break the table) and shortens
// long cells.
func terminalSafe(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= max {
			b.WriteString("…")
			break
		}
		switch {
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
		n++
	}
	return b.String()
}
