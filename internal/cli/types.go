//go:build duckdb_arrow

package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/store"
)

func runTypes(_ context.Context, args []string, stdio Stdio) error {
	fs := newFlags("types", "[flags] [TYPE]", stdio)
	columns := fs.Bool("columns", false, "also list each type's columns")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	formats := parse.Formats()
	if fs.NArg() > 0 {
		f, ok := parse.Lookup(fs.Arg(0))
		if !ok {
			return usageError{fmt.Sprintf("unknown log type %q (known: %s)", fs.Arg(0), strings.Join(parse.Default.Names(), ", "))}
		}
		formats = []*parse.Format{f}
		*columns = true
	}
	tw := tabwriter.NewWriter(stdio.Out, 0, 0, 2, ' ', 0)
	for _, f := range formats {
		fmt.Fprintf(tw, "%s\t%s\n", f.Name, f.Title)
		if *columns {
			for _, c := range store.Columns(f) {
				if !c.Core {
					fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.Type, c.Doc)
				}
			}
		}
	}
	return tw.Flush()
}
