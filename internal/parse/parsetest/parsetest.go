// Package parsetest is the test kit every log format passes: golden files of the normalized output,
// detection against all other formats, fuzzing, and access to the shared corpus.
//
// Tests that use it live in external test packages (package foo_test), because it imports parse/all.
package parsetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	_ "github.com/yagura-dev/yagura/internal/parse/all" // every format, so detection is tested against all of them
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixedNow makes records without a time of their own render deterministically.
var fixedNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Result is what decoding one input produced.
type Result struct {
	// Lines is the rendering of every event and dead letter in input order, one JSON object each.
	Lines   []string
	Events  int
	Dead    []parse.DeadLetter
	Skipped int
	// Types counts events per log type.
	Types map[string]int
	// Err is the decoder's read error (a truncated gzip stream), if any.
	Err error
}

// Decode decodes data, forcing typ unless it is empty.
func Decode(tb testing.TB, data []byte, typ string) Result {
	tb.Helper()
	return DecodeReader(tb, bytes.NewReader(data), typ)
}

// DecodeReader decodes r, forcing typ unless it is empty.
func DecodeReader(tb testing.TB, r io.Reader, typ string) Result {
	tb.Helper()
	dec, err := parse.NewDecoder(r, parse.Options{Type: typ, Source: "test", Now: func() time.Time { return fixedNow }})
	if err != nil {
		tb.Fatalf("NewDecoder: %v", err)
	}
	res := Result{Types: map[string]int{}}
	var ev event.Event
	var dl parse.DeadLetter
	for {
		kind, err := dec.Next(&ev, &dl)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("Next: %v", err)
		}
		switch kind {
		case parse.ResultEvent:
			res.Events++
			res.Types[ev.LogType]++
			res.Lines = append(res.Lines, string(ev.AppendJSON(nil, false)))
		case parse.ResultDeadLetter:
			if dl.Reason == "" {
				tb.Errorf("dead letter at line %d has no reason", dl.Line)
			}
			d := dl
			d.Raw = append([]byte(nil), dl.Raw...)
			res.Dead = append(res.Dead, d)
			res.Lines = append(res.Lines, fmt.Sprintf(`{"dead_letter":{"line":%d,"offset":%d,"log_type":%s,"reason":%s}}`,
				dl.Line, dl.Offset, strconv.Quote(dl.LogType), strconv.Quote(dl.Reason)))
		case parse.ResultSkip:
			res.Skipped++
		default:
			tb.Fatalf("Next returned result %d", kind)
		}
	}
	res.Err = dec.Err()
	return res
}

// Golden decodes testdata/<file> with type detection, checks that every event is of type format, and
// compares the rendering with testdata/<file>.golden (rewritten with -update). Dead letters are part
// of the rendering, so expected rejections are checked too.
func Golden(t *testing.T, format, file string) Result {
	t.Helper()
	path := filepath.Join("testdata", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := Decode(t, data, "")
	for typ, n := range res.Types {
		if typ != format {
			t.Errorf("%s: %d events detected as %q, want %q", file, n, typ, format)
		}
	}
	if res.Events == 0 {
		t.Errorf("%s: no events", file)
	}
	got := strings.Join(res.Lines, "\n") + "\n"
	golden := path + ".golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return res
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: output differs from %s (run go test -update and review the diff):\n%s", file, golden, firstDiff(string(want), got))
	}
	return res
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n want: %s\n  got: %s", i+1, w, g)
		}
	}
	return "(no line differs)"
}

// Fuzz decodes arbitrary input, detected and forced to format, and checks the decoder's promises:
// it never panics or fails, every record is an event, a dead letter with a reason or a skip, events
// have a time, a type and an id, and output JSON is valid UTF-8.
func Fuzz(f *testing.F, format string, seedFiles ...string) {
	for _, s := range seedFiles {
		data, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		// Each line on its own too, so the fuzzer mutates single records.
		for _, line := range bytes.SplitN(data, []byte{'\n'}, 20) {
			f.Add(line)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("\x1f\x8b\x08\x00garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []string{"", format} {
			dec, err := parse.NewDecoder(bytes.NewReader(data), parse.Options{Type: typ, Source: "fuzz", MaxRecordSize: 1 << 16})
			if err != nil {
				t.Fatal(err)
			}
			var ev event.Event
			var dl parse.DeadLetter
			for n := 0; ; n++ {
				kind, err := dec.Next(&ev, &dl)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("Next: %v", err)
				}
				if n > 10*len(data)+10 {
					t.Fatalf("decoder does not make progress: %d records from %d bytes", n, len(data))
				}
				switch kind {
				case parse.ResultEvent:
					if ev.Time.IsZero() || ev.LogType == "" || ev.EventID == "" || ev.Fields == nil {
						t.Fatalf("incomplete event: time=%v type=%q id=%q", ev.Time, ev.LogType, ev.EventID)
					}
					if typ != "" && ev.LogType != typ {
						t.Fatalf("forced type %q but event has type %q", typ, ev.LogType)
					}
					if out := ev.AppendJSON(nil, true); !utf8.Valid(out) || !json.Valid(out) {
						t.Fatalf("event JSON is not valid UTF-8 JSON: %q", out)
					}
				case parse.ResultDeadLetter:
					if dl.Reason == "" {
						t.Fatal("dead letter without a reason")
					}
				case parse.ResultSkip:
				default:
					t.Fatalf("unknown result %d", kind)
				}
			}
		}
	})
}

// SharedDir returns the shared folder beside the repository (or $YAGURA_SHARED), skipping the test
// when it is absent.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("YAGURA_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared")
			if _, err := os.Stat(filepath.Join(shared, "corpus", "MANIFEST.md")); err != nil {
				tb.Skipf("shared corpus not found at %s", shared)
			}
			return shared
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("repository root not found")
		}
		dir = parent
	}
}

// CorpusFile returns the path of a file under shared/corpus, skipping the test when it is absent.
func CorpusFile(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(SharedDir(tb), "corpus", rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("corpus file %s not found", rel)
	}
	return p
}

// DecodeCorpus decodes a corpus file with type detection.
func DecodeCorpus(tb testing.TB, rel string) Result {
	tb.Helper()
	f, err := os.Open(CorpusFile(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	return DecodeReader(tb, f, "")
}

// LargeInputKeepsFields decodes a header (when given) and n copies of record, enough to make the
// decoder refill and reuse its buffers many times, and checks that every event's native field
// field still reads want. Parsers that keep state from earlier records (a header naming the fields)
// must copy it out of the record, which aliases the decoder's buffers.
func LargeInputKeepsFields(tb testing.TB, header, record string, n int, field, want string) {
	tb.Helper()
	var b bytes.Buffer
	if header != "" {
		b.WriteString(header + "\n")
	}
	for i := 0; i < n; i++ {
		b.WriteString(record + "\n")
	}
	dec, err := parse.NewDecoder(&b, parse.Options{Source: "large"})
	if err != nil {
		tb.Fatal(err)
	}
	var ev event.Event
	var dl parse.DeadLetter
	got := 0
	for {
		kind, err := dec.Next(&ev, &dl)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		if kind == parse.ResultDeadLetter {
			tb.Fatalf("dead letter at line %d: %s", dl.Line, dl.Reason)
		}
		if kind != parse.ResultEvent {
			continue
		}
		v, ok := ev.Fields.Lookup(field)
		if !ok || v.Str() != want {
			tb.Fatalf("event %d: field %s = %q (found %v), want %q", got, field, v.Str(), ok, want)
		}
		got++
	}
	if got != n {
		tb.Fatalf("%d events, want %d", got, n)
	}
}
