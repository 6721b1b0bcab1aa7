//go:build duckdb_arrow

// Package e2e runs the built yagura binary as a user would: real processes, real files, real signals.
package e2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var yagura string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "yagura-e2e")
	if err != nil {
		panic(err)
	}
	yagura = filepath.Join(dir, "yagura")
	build := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", yagura, "../cmd/yagura")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build yagura:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func runYagura(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(yagura, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func queryInt(t *testing.T, data, q string) int64 {
	t.Helper()
	out, errOut, code := runYagura(t, "query", "--data", data, "--format", "csv", q)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	n, err := strconv.ParseInt(lines[1], 10, 64)
	require.NoError(t, err)
	return n
}

// writeCowrie writes n synthetic Cowrie events, one per line, each with its own uuid (prefix-n).
func writeCowrie(t *testing.T, path, prefix string, n int) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		rec := map[string]any{
			"eventid": "cowrie.login.failed", "uuid": fmt.Sprintf("%s-%08d", prefix, i),
			"session": fmt.Sprintf("s%06d", i/10), "src_ip": fmt.Sprintf("198.51.100.%d", i%250+1),
			"src_port": 40000 + i%20000, "dst_ip": "10.0.0.5", "dst_port": 22, "sensor": "hp-1",
			"username": "root", "password": fmt.Sprintf("pass%d", i%997), "protocol": "ssh",
			"timestamp": base.Add(time.Duration(i) * time.Millisecond).Format("2006-01-02T15:04:05.000000Z"),
			"message":   "login attempt failed",
		}
		b, err := json.Marshal(rec)
		require.NoError(t, err)
		_, _ = w.Write(append(b, '\n'))
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
}

// TestKillDuringIngest kills yagura with SIGKILL while it ingests, then ingests the same inputs again:
// every event must be stored exactly once and the ledger must say what happened.
func TestKillDuringIngest(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	require.NoError(t, os.MkdirAll(in, 0o755))
	const perFile, files = 150000, 3
	for i := 0; i < files; i++ {
		writeCowrie(t, filepath.Join(in, fmt.Sprintf("cowrie-%d.json", i)), fmt.Sprintf("f%d", i), perFile)
		f, err := os.OpenFile(filepath.Join(in, fmt.Sprintf("cowrie-%d.json", i)), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, _ = fmt.Fprintf(f, `{"eventid":"cowrie.session.closed","uuid":"end-%d","session":"x","timestamp":"2026-03-02T00:00:00.000000Z","src_ip":"203.0.113.9"}`+"\n", i)
		require.NoError(t, f.Close())
	}
	data := filepath.Join(dir, "data")

	cmd := exec.Command(yagura, "ingest", "--data", data, "--quiet", in)
	require.NoError(t, cmd.Start())
	// Let it write some Parquet and commit an input or two, then kill it without warning.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		matches, _ := filepath.Glob(filepath.Join(data, "staging", "*.parquet"))
		committed, _ := filepath.Glob(filepath.Join(data, "events", "*", "*", "*.parquet"))
		if len(matches)+len(committed) > 0 {
			break
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()

	out, errOut, code := runYagura(t, "ingest", "--data", data, "--quiet", in)
	require.Equal(t, 0, code, errOut+out)
	want := int64(files * (perFile + 1))
	if got := queryInt(t, data, "select count(*) from cowrie"); got != want {
		ledger, _, _ := runYagura(t, "query", "--data", data, "select * from ledger")
		manifest, _, _ := runYagura(t, "query", "--data", data, "select path, rows, input_id from parquet_files")
		t.Fatalf("%d events stored, want %d\n%s\n%s\nsecond run:\n%s", got, want, ledger, manifest, out)
	}
	require.Equal(t, want, queryInt(t, data, "select count(distinct event_id) from cowrie"))
	require.Equal(t, int64(files), queryInt(t, data, "select count(*) from ledger where status = 'complete'"))
	staged, _ := filepath.Glob(filepath.Join(data, "staging", "*.parquet"))
	require.Empty(t, staged)

	// And once more: nothing new.
	out, errOut, code = runYagura(t, "ingest", "--data", data, "--quiet", in)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "already ingested")
	require.Equal(t, want, queryInt(t, data, "select count(*) from cowrie"))
}

// TestBadInputNeverCostsGoodRecords feeds binary garbage, a 10 MB line, invalid UTF-8, an empty file
// and a gzip stream that ends early, each between good records.
func TestBadInputNeverCostsGoodRecords(t *testing.T) {
	dir := t.TempDir()
	good := `{"eventid":"cowrie.session.connect","uuid":"g%d","session":"s","timestamp":"2026-03-01T00:00:00.000000Z","src_ip":"198.51.100.7","src_port":1,"dst_ip":"10.0.0.1","dst_port":22}` + "\n"
	var b bytes.Buffer
	fmt.Fprintf(&b, good, 1)
	b.WriteString(strings.Repeat("A", 10<<20) + "\n")
	fmt.Fprintf(&b, good, 2)
	b.Write([]byte{0x00, 0xff, 0xfe, 0x01, '\n'})
	fmt.Fprintf(&b, good, 3)
	b.WriteString(`{"eventid":"cowrie.login.failed","uuid":"g4","session":"s","timestamp":"2026-03-01T00:00:01Z","src_ip":"198.51.100.7","username":"r` + "\xff" + `oot"}` + "\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mixed.json"), b.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "empty.log"), nil, 0o644))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "garbage.bin"), garbage, 0o644))

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	for i := 10; i < 2010; i++ {
		fmt.Fprintf(zw, good, i)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cut.json.gz"), gz.Bytes()[:gz.Len()/2], 0o644))

	data := filepath.Join(dir, "data")
	out, errOut, code := runYagura(t, "ingest", "--data", data, "--quiet", dir)
	require.Equal(t, 0, code, errOut+out)
	require.Equal(t, int64(4), queryInt(t, data, "select count(*) from cowrie where source like '%mixed.json'"), "all four good records are kept")
	require.Greater(t, queryInt(t, data, "select count(*) from cowrie where source like '%cut.json.gz'"), int64(100), "records before the cut are kept")
	require.Equal(t, int64(1), queryInt(t, data, "select count(*) from dead_letters where source like '%cut.json.gz' and reason like 'input ends early%'"))
	require.Contains(t, out, "cut.json.gz", "the summary warns about the truncated input")
	require.Equal(t, int64(1), queryInt(t, data, "select count(*) from dead_letters where reason like '%over the%limit%'"))
	require.Greater(t, queryInt(t, data, "select count(*) from dead_letters where source like '%garbage.bin'"), int64(0))
	require.Equal(t, int64(1), queryInt(t, data, "select count(*) from ledger where source like '%empty.log' and status = 'complete'"))
	require.Equal(t, int64(1), queryInt(t, data, "select count(*) from cowrie where warnings is not null or actor_user like '%\ufffd%'"))
}
