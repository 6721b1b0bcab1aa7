//go:build duckdb_arrow

package docgen_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/docgen"
	"github.com/yagura-dev/yagura/internal/ingest"
	"github.com/yagura-dev/yagura/internal/parse"
	_ "github.com/yagura-dev/yagura/internal/parse/all"
	"github.com/yagura-dev/yagura/internal/store"
)

var update = flag.Bool("update", false, "rewrite the generated docs")

const root = "../.."

func TestLogTypesPageIsCurrent(t *testing.T) {
	samples, err := docgen.FindSamples(root)
	require.NoError(t, err)
	for _, f := range parse.Formats() {
		require.Contains(t, samples, f.Name, "no test data sample of log type %s", f.Name)
	}
	got := docgen.LogTypes(parse.Default, samples)
	path := filepath.Join(root, "docs", "log-types.md")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, string(want) == got, "docs/log-types.md is stale: run go test ./internal/docgen -update")
}

var sqlBlock = regexp.MustCompile("(?s)```sql\n(.*?)```")

// TestLogTypesQueriesRun ingests every parser's test data and runs each example query of the page.
func TestLogTypesQueriesRun(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "data"), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	inputs, err := filepath.Glob(filepath.Join(root, "internal", "parse", "*", "testdata"))
	require.NoError(t, err)
	_, err = ingest.Run(context.Background(), st, inputs, ingest.Options{})
	require.NoError(t, err)
	page, err := os.ReadFile(filepath.Join(root, "docs", "log-types.md"))
	require.NoError(t, err)
	n := 0
	for _, m := range sqlBlock.FindAllStringSubmatch(string(page), -1) {
		for _, q := range strings.Split(m[1], ";") {
			var lines []string
			for _, l := range strings.Split(q, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(l), "--") {
					lines = append(lines, l)
				}
			}
			q = strings.TrimSpace(strings.Join(lines, "\n"))
			if q == "" {
				continue
			}
			rows, err := st.Query(context.Background(), q)
			require.NoError(t, err, q)
			for rows.Next() {
			}
			require.NoError(t, rows.Err(), q)
			require.NoError(t, rows.Close())
			n++
		}
	}
	require.Greater(t, n, 10)
}
