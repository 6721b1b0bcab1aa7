//go:build duckdb_arrow

package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/ingest"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/cloudtrail"
	"github.com/yagura-dev/yagura/internal/store"
)

// The tests register CloudTrail only, so they do not depend on the other formats.
var reg = func() *parse.Registry {
	r := parse.NewRegistry()
	r.Register(cloudtrail.Format)
	return r
}()

const ctTestdata = "../parse/cloudtrail/testdata"

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{Registry: reg})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func run(t *testing.T, st *store.Store, paths ...string) *ingest.Summary {
	t.Helper()
	sum, err := ingest.Run(context.Background(), st, paths, ingest.Options{Registry: reg})
	require.NoError(t, err)
	return sum
}

func count(t *testing.T, st *store.Store, q string, args ...any) int64 {
	t.Helper()
	var n int64
	rows, err := st.Query(context.Background(), q, args...)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), q)
	require.NoError(t, rows.Scan(&n))
	return n
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dst, b, 0o644))
}

func TestIngestCountsAndReingest(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	require.NoError(t, os.MkdirAll(in, 0o755))
	copyFile(t, filepath.Join(ctTestdata, "stratus_iam_create_admin_user.jsonl"), filepath.Join(in, "a.jsonl"))
	copyFile(t, filepath.Join(ctTestdata, "awsdocs_records.json"), filepath.Join(in, "b.json"))
	copyFile(t, filepath.Join(ctTestdata, "damaged.jsonl"), filepath.Join(in, "c.jsonl"))

	st := openStore(t, filepath.Join(dir, "data"))
	sum := run(t, st, in)
	tot := sum.Totals()
	require.Equal(t, int64(3+6+2), tot.Events)
	require.Equal(t, int64(5), tot.DeadLetters)
	require.Equal(t, int64(11), count(t, st, "select count(*) from cloudtrail"))
	require.Equal(t, int64(11), count(t, st, "select count(*) from events where log_type = 'cloudtrail'"))
	require.Equal(t, int64(5), count(t, st, "select count(*) from dead_letters"))
	require.Equal(t, int64(3), count(t, st, "select count(*) from ledger where status = 'complete'"))
	require.Equal(t, int64(2), count(t, st, "select count(*) from cloudtrail where eventName = ? and userIdentity_type = 'IAMUser'", "CreateUser"), "one in a.jsonl, one among the damaged lines of c.jsonl")

	// The same content again, under another name too, stores nothing.
	copyFile(t, filepath.Join(in, "a.jsonl"), filepath.Join(dir, "copy-of-a.jsonl"))
	sum = run(t, st, in, filepath.Join(dir, "copy-of-a.jsonl"))
	for _, r := range sum.Inputs {
		require.Equal(t, "duplicate", r.Status, r.Source)
	}
	require.Equal(t, int64(11), count(t, st, "select count(*) from cloudtrail"))
	require.Equal(t, int64(5), count(t, st, "select count(*) from dead_letters"))
}

func TestGrownFileResumes(t *testing.T) {
	dir := t.TempDir()
	lines, err := os.ReadFile(filepath.Join(ctTestdata, "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, err)
	parts := strings.SplitAfter(string(lines), "\n")
	log := filepath.Join(dir, "trail.jsonl")
	require.NoError(t, os.WriteFile(log, []byte(parts[0]), 0o644))
	st := openStore(t, filepath.Join(dir, "data"))
	run(t, st, log)
	require.NoError(t, os.WriteFile(log, []byte(strings.Join(parts, "")), 0o644))
	sum := run(t, st, log)
	require.Equal(t, int64(len(parts[0])), sum.Inputs[0].StartOffset)
	require.Equal(t, int64(2), sum.Inputs[0].Events)
	require.Equal(t, int64(3), count(t, st, "select count(*) from cloudtrail"))
	require.Equal(t, int64(3), count(t, st, "select count(distinct event_id) from cloudtrail"))
}

func TestGzipAndStdin(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(ctTestdata, "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, err)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(raw)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.json.gz"), gz.Bytes(), 0o644))
	st := openStore(t, filepath.Join(dir, "data"))
	run(t, st, filepath.Join(dir, "a.json.gz"))
	require.Equal(t, int64(3), count(t, st, "select count(*) from cloudtrail"))

	// The same bytes on stdin are recognised as a repeat once read.
	sum, err := ingest.Run(context.Background(), st, []string{"-"}, ingest.Options{Registry: reg, Stdin: bytes.NewReader(gz.Bytes())})
	require.NoError(t, err)
	require.Equal(t, "duplicate", sum.Inputs[0].Status)
	require.Equal(t, int64(3), count(t, st, "select count(*) from cloudtrail"))
}

func TestInterruptedIngestLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	st, err := store.Open(dir, store.Options{Registry: reg})
	require.NoError(t, err)
	w, err := st.Begin(store.Input{Source: "half.jsonl"})
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(ctTestdata, "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, err)
	dec, err := parse.NewDecoder(bytes.NewReader(raw), parse.Options{Registry: reg, Source: "half.jsonl"})
	require.NoError(t, err)
	var ev event.Event
	var dl parse.DeadLetter
	_, err = dec.Next(&ev, &dl)
	require.NoError(t, err)
	require.NoError(t, w.Add(&ev))
	w.AddDeadLetter(&parse.DeadLetter{Source: "half.jsonl", Reason: "x", Raw: []byte("x")})
	// The process dies here: no Commit. Parquet written so far is orphaned.
	require.NoError(t, w.FlushForTest())
	require.NoError(t, st.Close())

	st = openStore(t, dir)
	require.Equal(t, int64(0), count(t, st, "select count(*) from cloudtrail"))
	require.Equal(t, int64(0), count(t, st, "select count(*) from dead_letters"))
	require.Equal(t, int64(1), count(t, st, "select count(*) from ledger where status = 'interrupted'"))
	staged, _ := os.ReadDir(filepath.Join(dir, "staging"))
	require.Empty(t, staged)
}

func TestQueryIsReadOnly(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "data"))
	run(t, st, filepath.Join(ctTestdata, "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, st.Close())
	ro, err := store.Open(filepath.Join(dir, "data"), store.Options{Registry: reg, ReadOnly: true})
	require.NoError(t, err)
	defer ro.Close()
	require.NoError(t, ro.LockDown())
	for _, q := range []string{
		"create table x as select 1",
		"insert into cat.inputs (id, source, status) values (99, 'x', 'complete')",
		"copy (select 1) to '/tmp/yagura-should-not-exist.csv'",
		"attach '/tmp/other.db' as o",
		"set enable_external_access = true",
	} {
		_, err := ro.Query(context.Background(), q)
		require.Error(t, err, q)
	}
	_, err = ro.Query(context.Background(), "select * from read_csv('/etc/passwd')")
	require.Error(t, err, "files outside the data directory are out of reach")
	n := count(t, ro, "select count(*) from cloudtrail where eventName = ?", "CreateUser")
	require.Equal(t, int64(1), n)
}

func TestCompactionMergesSmallFiles(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	require.NoError(t, os.MkdirAll(in, 0o755))
	lines, err := os.ReadFile(filepath.Join(ctTestdata, "stratus_iam_create_admin_user.jsonl"))
	require.NoError(t, err)
	first := strings.SplitAfter(string(lines), "\n")[0]
	// Six small files with the same day's events: one Parquet file each before compaction.
	for i := 0; i < 6; i++ {
		rec := strings.Replace(first, `"eventID":"083dc4ad`, `"eventID":"08`+string(rune('a'+i))+`dc4ad`, 1)
		require.NoError(t, os.WriteFile(filepath.Join(in, "f"+string(rune('a'+i))+".jsonl"), []byte(rec), 0o644))
	}
	st := openStore(t, filepath.Join(dir, "data"))
	run(t, st, in)
	require.Equal(t, int64(6), count(t, st, "select count(*) from cloudtrail"))
	require.Equal(t, int64(1), count(t, st, "select count(*) from parquet_files"))
	require.Equal(t, int64(6), count(t, st, "select count(distinct event_id) from cloudtrail"))
}
