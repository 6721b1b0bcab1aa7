//go:build duckdb_arrow

package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/cli"
)

type result struct {
	code        int
	out, errOut string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return result{code, out.String(), errOut.String()}
}

const ctSample = "../parse/cloudtrail/testdata/stratus_iam_create_admin_user.jsonl"

func TestIngestAndQueryFormats(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	r := run(t, "", "ingest", "--data", data, "--quiet", ctSample, "../parse/cloudtrail/testdata/damaged.jsonl")
	require.Equal(t, 0, r.code, r.errOut)
	require.Contains(t, r.out, "cloudtrail")
	require.Contains(t, r.out, "5 dead letters", "dead letters are reported, not fatal")

	r = run(t, "", "query", "--data", data, "--format", "csv", "select eventName, count(*) as n from cloudtrail group by 1 order by 1")
	require.Equal(t, 0, r.code, r.errOut)
	rows, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"eventName", "n"}, rows[0], "CSV starts with a header row")
	require.Equal(t, []string{"AttachUserPolicy", "2"}, rows[1])

	r = run(t, "", "query", "--data", data, "--format", "jsonl", "select event_id, time, userIdentity from cloudtrail order by event_id limit 2")
	require.Equal(t, 0, r.code, r.errOut)
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	require.Len(t, lines, 2)
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		require.NotContains(t, l, "\n  ", "jsonl is compact")
		require.Contains(t, m, "userIdentity")
	}

	r = run(t, "", "query", "--data", data, "--format", "json", "select 1 as a")
	require.Equal(t, 0, r.code, r.errOut)
	var arr []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.out), &arr))

	r = run(t, "", "query", "--data", data, "select source, line, reason from dead_letters order by line")
	require.Equal(t, 0, r.code, r.errOut)
	require.Contains(t, r.out, "truncated JSON record")
	require.Contains(t, r.out, "(5 rows)")
}

func TestQueryRefusesWrites(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	require.Equal(t, 0, run(t, "", "ingest", "--data", data, "--quiet", ctSample).code)
	r := run(t, "", "query", "--data", data, "delete from ledger")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.errOut, "only read-only statements")
	require.Equal(t, 1, strings.Count(strings.TrimSpace(r.errOut), "\n")+1, "one line on stderr")
	r = run(t, "", "query", "--data", data, "copy (select * from cloudtrail) to 'x.csv'")
	require.Equal(t, 1, r.code)
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	require.Equal(t, 2, run(t, "").code, "no command")
	require.Equal(t, 2, run(t, "", "frobnicate").code)
	require.Equal(t, 2, run(t, "", "ingest", "--data", dir).code, "no inputs")
	require.Equal(t, 2, run(t, "", "ingest", "--bogus").code)
	require.Equal(t, 2, run(t, "", "ingest", "--type", "nope", "--data", dir, ctSample).code)
	require.Equal(t, 2, run(t, "", "query", "--format", "xml", "--data", dir, "select 1").code)
	require.Equal(t, 0, run(t, "", "ingest", "--help").code)
	r := run(t, "", "ingest", "--data", filepath.Join(dir, "d"), filepath.Join(dir, "missing.log"))
	require.Equal(t, 1, r.code)
	require.Contains(t, r.errOut, "missing.log")
	r = run(t, "", "query", "--data", filepath.Join(dir, "empty"), "select 1")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.errOut, "ingest something first")
	r = run(t, "", "version")
	require.Equal(t, 0, r.code)
	require.True(t, strings.HasPrefix(r.out, "yagura "))
}

func TestStdinAndForcedType(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	b, err := os.ReadFile(ctSample)
	require.NoError(t, err)
	r := run(t, string(b), "ingest", "--data", data, "--quiet", "--type", "cloudtrail", "-")
	require.Equal(t, 0, r.code, r.errOut)
	r = run(t, "", "query", "--data", data, "--format", "csv", "select count(*) as n, any_value(source) as s from cloudtrail")
	require.Equal(t, "n,s\n3,stdin\n", r.out)
	// A wrong --type turns every record into a dead letter with a reason, and is not fatal.
	r = run(t, "", "ingest", "--data", data, "--quiet", "--type", "vpcflow", "../parse/cloudtrail/testdata/awsdocs_records.json")
	require.Equal(t, 0, r.code, r.errOut)
	r = run(t, "", "query", "--data", data, "--format", "csv", "select count(*) as n from dead_letters where log_type = 'vpcflow'")
	require.NotEqual(t, "n\n0\n", r.out)
}

func TestTableOutputEscapesControlCharacters(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	line := `{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userAgent":"evil\u001b[2J\u0007agent"}` + "\n"
	require.Equal(t, 0, run(t, line, "ingest", "--data", data, "--quiet", "-").code)
	r := run(t, "", "query", "--data", data, "select user_agent from cloudtrail")
	require.Equal(t, 0, r.code, r.errOut)
	require.NotContains(t, r.out, "\x1b")
	require.Contains(t, r.out, `evil\x1b[2J\x07agent`)
}
