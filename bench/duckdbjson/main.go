// Command duckdbjson runs DuckDB statements (embedded, through github.com/duckdb/duckdb-go/v2) and prints
// their rows and wall time. It is the "DuckDB's own reader" baseline of Yagura's benchmarks:
//
//	duckdbjson -q "CREATE TABLE t AS SELECT * FROM read_json_auto('ct.jsonl')" -q "SELECT count(*) FROM t"
//
// Each -q runs in order on one connection to one database (in memory unless -db names a file), so a
// table created by one statement can be queried by the next. Per statement it prints the result rows
// (tab-separated, at most -max rows) and a line "# seconds=<s> rows=<n>" on standard output; with -tsv
// it prints only "<seconds>\t<rows>" lines, for scripts. -repeat runs each statement several times and
// reports every time (for warm-cache query timings).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver
)

// queries collects repeated -q flags.
type queries []string

func (q *queries) String() string     { return strings.Join(*q, "; ") }
func (q *queries) Set(s string) error { *q = append(*q, s); return nil }

func main() {
	var qs queries
	flag.Var(&qs, "q", "SQL statement to run (repeatable; run in order)")
	db := flag.String("db", "", "database file (default: in memory)")
	threads := flag.Int("threads", 0, "SET threads (0: DuckDB's default, all cores)")
	maxRows := flag.Int("max", 20, "print at most this many rows per statement")
	repeat := flag.Int("repeat", 1, "run each statement this many times")
	tsv := flag.Bool("tsv", false, "print only \"seconds<TAB>rows\" per run")
	flag.Parse()
	if len(qs) == 0 {
		fmt.Fprintln(os.Stderr, "duckdbjson: give at least one -q")
		os.Exit(2)
	}
	if err := run(qs, *db, *threads, *maxRows, *repeat, *tsv); err != nil {
		fmt.Fprintln(os.Stderr, "duckdbjson:", err)
		os.Exit(1)
	}
}

func run(qs []string, path string, threads, maxRows, repeat int, tsv bool) error {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx) // one connection, so temporary state and settings carry over
	if err != nil {
		return err
	}
	defer conn.Close()
	if threads > 0 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET threads=%d", threads)); err != nil {
			return err
		}
	}
	for _, q := range qs {
		for range max(repeat, 1) {
			start := time.Now()
			n, err := runOne(ctx, conn, q, maxRows, tsv)
			if err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
			sec := time.Since(start).Seconds()
			if tsv {
				fmt.Printf("%.4f\t%d\n", sec, n)
			} else {
				fmt.Printf("# seconds=%.4f rows=%d\n", sec, n)
			}
		}
	}
	return nil
}

// runOne executes q, prints up to maxRows rows unless quiet, and returns the number of rows.
func runOne(ctx context.Context, conn *sql.Conn, q string, maxRows int, quiet bool) (int, error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !quiet {
		fmt.Println(strings.Join(cols, "\t"))
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if !quiet && n < maxRows {
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = fmt.Sprint(v)
			}
			fmt.Println(strings.Join(parts, "\t"))
		}
		n++
	}
	return n, rows.Err()
}
