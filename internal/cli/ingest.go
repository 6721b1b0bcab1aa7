//go:build duckdb_arrow

package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/yagura-dev/yagura/internal/ingest"
	"github.com/yagura-dev/yagura/internal/parse"
	_ "github.com/yagura-dev/yagura/internal/parse/all" // every log format
	"github.com/yagura-dev/yagura/internal/store"
)

func runIngest(ctx context.Context, args []string, stdio Stdio) error {
	fs := newFlags("ingest", "[flags] PATH... (files, folders, .gz, or - for stdin)", stdio)
	data := fs.String("data", defaultDataDir(), "data directory (created if missing; $YAGURA_DATA)")
	typ := fs.String("type", "", "force this log type for every input instead of detecting it (see 'yagura types')")
	maxRecord := fs.Int("max-record-size", parse.DefaultMaxRecordSize, "largest record in bytes; larger ones become dead letters")
	workers := fs.Int("workers", 2, "inputs read at once")
	quiet := fs.Bool("quiet", false, "print no progress")
	en := enrichFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"no input given: name files, folders, or - for stdin"}
	}
	if *typ != "" {
		if _, ok := parse.Lookup(*typ); !ok {
			return usageError{fmt.Sprintf("unknown log type %q (known: %s)", *typ, strings.Join(parse.Default.Names(), ", "))}
		}
	}
	enricher, err := en.open(stdio.Err)
	if err != nil {
		return err
	}
	defer enricher.Close()
	// A soft heap limit makes the garbage collector work harder before the process grows past what a
	// small machine has, whatever the size of the inputs.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
	st, err := store.Open(*data, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	opts := ingest.Options{Type: *typ, MaxRecordSize: *maxRecord, Workers: *workers, Stdin: stdio.In, Enricher: enricher}
	if !*quiet {
		opts.Progress = progressPrinter(stdio.Err)
	}
	sum, err := ingest.Run(ctx, st, fs.Args(), opts)
	if err != nil {
		return err
	}
	printSummary(stdio.Out, sum)
	if failed := sum.Failed(); len(failed) > 0 {
		return fmt.Errorf("%d input(s) could not be ingested; first: %s: %v", len(failed), failed[0].Source, failed[0].Err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter draws a progress bar on a terminal and prints a plain line every ten seconds
// otherwise (CI logs, pipes).
func progressPrinter(w io.Writer) func(ingest.Progress) {
	tty := isTerminal(w)
	start := time.Now()
	var lastPlain time.Time
	return func(p ingest.Progress) {
		el := time.Since(start).Seconds()
		rate := 0.0
		if el > 0 {
			rate = float64(p.Events) / el
		}
		done := p.InputsDone == p.Inputs
		if tty {
			frac := 0.0
			if p.BytesTotal > 0 {
				frac = min(1, float64(p.BytesRead)/float64(p.BytesTotal))
			}
			const width = 30
			n := int(frac * width)
			bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
			fmt.Fprintf(w, "\r[%s] %3.0f%%  %s/%s  %d events  %d dead letters  %s events/s  %d/%d inputs ",
				bar, frac*100, humanBytes(p.BytesRead), humanBytes(p.BytesTotal), p.Events, p.DeadLetters, humanCount(rate), p.InputsDone, p.Inputs)
			if done {
				fmt.Fprintln(w)
			}
			return
		}
		if time.Since(lastPlain) >= 10*time.Second && !done {
			lastPlain = time.Now()
			fmt.Fprintf(w, "ingest: %s of %s read, %d events, %d dead letters, %d/%d inputs\n",
				humanBytes(p.BytesRead), humanBytes(p.BytesTotal), p.Events, p.DeadLetters, p.InputsDone, p.Inputs)
		}
	}
}

func printSummary(w io.Writer, sum *ingest.Summary) {
	secs := sum.Elapsed.Seconds()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "log type\tfiles\tevents\tdead letters\tbytes\tevents/s\t")
	row := func(t ingest.TypeSummary) {
		rate := "-"
		if secs > 0 && t.Events > 0 {
			rate = humanCount(float64(t.Events) / secs)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t\n", t.LogType, t.Files, t.Events, t.DeadLetters, humanBytes(t.Bytes), rate)
	}
	for _, t := range sum.Types {
		row(t)
	}
	tot := sum.Totals()
	tot.LogType = "total"
	row(tot)
	_ = tw.Flush()
	var dups, failed, cut int
	for _, in := range sum.Inputs {
		switch in.Status {
		case "duplicate":
			dups++
			fmt.Fprintf(w, "skipped %s: already ingested as %s\n", in.Source, in.DuplicateOf)
		case "failed":
			failed++
			fmt.Fprintf(w, "failed %s: %v\n", in.Source, in.Err)
		case "complete":
			if in.StartOffset > 0 {
				fmt.Fprintf(w, "resumed %s at byte %d (the earlier part was ingested before)\n", in.Source, in.StartOffset)
			}
			if in.Err != nil {
				cut++
				fmt.Fprintf(w, "warning %s: %v (records before the damage were kept)\n", in.Source, in.Err)
			}
		}
	}
	fmt.Fprintf(w, "%d inputs in %.1fs: %d stored, %d already ingested, %d failed", len(sum.Inputs), secs, len(sum.Inputs)-dups-failed, dups, failed)
	if tot.DeadLetters > 0 {
		fmt.Fprintf(w, "; %d dead letters (see: yagura query \"select source, line, reason from dead_letters\")", tot.DeadLetters)
	}
	fmt.Fprintln(w)
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func humanCount(f float64) string {
	switch {
	case f >= 1e6:
		return fmt.Sprintf("%.2fM", f/1e6)
	case f >= 1e3:
		return fmt.Sprintf("%.1fk", f/1e3)
	}
	return fmt.Sprintf("%.0f", f)
}
