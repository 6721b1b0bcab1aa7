//go:build duckdb_arrow

// Package ingest reads inputs (files, folders, standard input) into the store, accounting for every
// record: each input gets a ledger entry with its content hash and counts, a file already ingested is
// recognised by content and skipped, a file that grew since it was ingested is read from where the
// last ingest stopped, and records that cannot be parsed become dead letters.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/store"
)

// Enricher adds geo, ASN and threat-intel context to an event. It is called from several goroutines.
type Enricher interface {
	Enrich(ev *event.Event)
}

// Options configure Run.
type Options struct {
	// Type forces the log type of every input; empty detects it per input.
	Type string
	// MaxRecordSize bounds one record; 0 means parse.DefaultMaxRecordSize.
	MaxRecordSize int
	// Workers is how many inputs are read at once; 0 means 2.
	Workers int
	// Enricher, when set, enriches every event before it is stored.
	Enricher Enricher
	// Stdin is read for the input "-"; nil means os.Stdin.
	Stdin io.Reader
	// Progress, when set, is called about twice a second while inputs are read.
	Progress func(Progress)
	// Registry is the set of formats; nil means parse.Default.
	Registry *parse.Registry
}

// Progress reports how far a run is.
type Progress struct {
	BytesRead, BytesTotal int64
	Events, DeadLetters   int64
	InputsDone, Inputs    int
}

// TypeSummary counts what one log type received in a run.
type TypeSummary struct {
	LogType     string
	Files       int
	Events      int64
	DeadLetters int64
	Bytes       int64
}

// InputReport says what happened to one input.
type InputReport struct {
	Source   string
	Status   string // complete, duplicate, failed
	LogTypes []string
	Events   int64
	// EventsByType counts the input's events per log type.
	EventsByType map[string]int64
	DeadLetters  int64
	Skipped      int64
	Bytes        int64
	StartOffset  int64
	DuplicateOf  string
	Err          error
}

// Summary is the result of a run.
type Summary struct {
	Inputs  []InputReport
	Types   []TypeSummary
	Elapsed time.Duration
}

// Totals sums the per-type counts.
func (s *Summary) Totals() TypeSummary {
	var t TypeSummary
	for _, ts := range s.Types {
		t.Files += ts.Files
		t.Events += ts.Events
		t.DeadLetters += ts.DeadLetters
		t.Bytes += ts.Bytes
	}
	return t
}

// Failed returns the inputs that could not be ingested.
func (s *Summary) Failed() []InputReport {
	var out []InputReport
	for _, in := range s.Inputs {
		if in.Status == "failed" {
			out = append(out, in)
		}
	}
	return out
}

type input struct {
	path  string // "-" for standard input
	name  string // as given by the user
	size  int64
	mtime time.Time
}

// Expand turns the paths a user gave into inputs: files as they are, folders walked recursively in
// name order (hidden entries skipped), "-" for standard input. A path that does not exist is an error.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == "-" {
			out = append(out, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && len(d.Name()) > 0 && d.Name()[0] == '.' {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Run ingests paths into st.
func Run(ctx context.Context, st *store.Store, paths []string, opts Options) (*Summary, error) {
	files, err := Expand(paths)
	if err != nil {
		return nil, err
	}
	if opts.Registry == nil {
		opts.Registry = parse.Default
	}
	if opts.Type != "" {
		if _, ok := opts.Registry.Lookup(opts.Type); !ok {
			return nil, fmt.Errorf("unknown log type %q (known: %v)", opts.Type, opts.Registry.Names())
		}
	}
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	inputs := make([]input, len(files))
	var total int64
	for i, f := range files {
		inputs[i] = input{path: f, name: f}
		if f == "-" {
			inputs[i].name = "stdin"
			continue
		}
		if fi, err := os.Stat(f); err == nil {
			inputs[i].size, inputs[i].mtime = fi.Size(), fi.ModTime()
			total += fi.Size()
		}
	}
	r := &runner{st: st, opts: opts, total: total, nInputs: len(inputs)}
	start := time.Now()
	reports := make([]InputReport, len(inputs))
	stopProgress := r.startProgress()
	var wg sync.WaitGroup
	next := int64(-1)
	for w := 0; w < opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= len(inputs) || ctx.Err() != nil {
					return
				}
				reports[i] = r.ingestOne(ctx, inputs[i])
				atomic.AddInt64(&r.inputsDone, 1)
			}
		}()
	}
	wg.Wait()
	stopProgress()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := st.Compact(); err != nil {
		return nil, fmt.Errorf("compact: %w", err)
	}
	if err := st.RefreshViews(); err != nil {
		return nil, err
	}
	sum := &Summary{Inputs: reports, Elapsed: time.Since(start)}
	sum.Types = summarise(reports)
	return sum, nil
}

type runner struct {
	st         *store.Store
	opts       Options
	total      int64
	nInputs    int
	bytesRead  int64
	events     int64
	dead       int64
	inputsDone int64
}

func (r *runner) startProgress() func() {
	if r.opts.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	report := func() {
		r.opts.Progress(Progress{BytesRead: atomic.LoadInt64(&r.bytesRead), BytesTotal: r.total,
			Events: atomic.LoadInt64(&r.events), DeadLetters: atomic.LoadInt64(&r.dead),
			InputsDone: int(atomic.LoadInt64(&r.inputsDone)), Inputs: r.nInputs})
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				report()
				return
			case <-t.C:
				report()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// countingReader counts the bytes read from the input (compressed bytes for gzip files).
type countingReader struct {
	r io.Reader
	n *int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	atomic.AddInt64(c.n, int64(n))
	return n, err
}

func (r *runner) ingestOne(ctx context.Context, in input) InputReport {
	rep := InputReport{Source: in.name, Bytes: in.size}
	failed := func(err error) InputReport {
		rep.Status, rep.Err = "failed", err
		return rep
	}
	var src io.Reader
	h := sha256.New()
	if in.path == "-" {
		src = r.opts.Stdin
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			return failed(err)
		}
		defer f.Close()
		dup, offset, err := r.checkLedger(f, in, h)
		if err != nil {
			return failed(err)
		}
		if dup != nil {
			w, err := r.st.Begin(store.Input{Source: in.name, Size: in.size, ModTime: in.mtime})
			if err == nil {
				err = w.Discard("duplicate", dup.ID, store.InputResult{SHA256: dup.SHA256}, nil)
			}
			rep.Status, rep.DuplicateOf, rep.Err = "duplicate", dup.Source, err
			atomic.AddInt64(&r.bytesRead, in.size)
			return rep
		}
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			return failed(err)
		}
		rep.StartOffset = offset
		atomic.AddInt64(&r.bytesRead, offset)
		src = f
	}
	w, err := r.st.Begin(store.Input{Source: in.name, Size: in.size, ModTime: in.mtime, StartOffset: rep.StartOffset})
	if err != nil {
		return failed(err)
	}
	dec, err := parse.NewDecoder(io.TeeReader(countingReader{src, &r.bytesRead}, h), parse.Options{
		Type: r.opts.Type, Source: in.name, MaxRecordSize: r.opts.MaxRecordSize, Registry: r.opts.Registry})
	if err != nil {
		_ = w.Discard("failed", 0, store.InputResult{}, err)
		return failed(err)
	}
	var ev event.Event
	var dl parse.DeadLetter
	var res store.InputResult
	for {
		if ctx.Err() != nil {
			_ = w.Discard("failed", 0, res, ctx.Err())
			return failed(ctx.Err())
		}
		kind, err := dec.Next(&ev, &dl)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			_ = w.Discard("failed", 0, res, err)
			return failed(err)
		}
		res.Records++
		switch kind {
		case parse.ResultEvent:
			if r.opts.Enricher != nil {
				r.opts.Enricher.Enrich(&ev)
			}
			if err := w.Add(&ev); err != nil {
				_ = w.Discard("failed", 0, res, err)
				return failed(err)
			}
			atomic.AddInt64(&r.events, 1)
		case parse.ResultDeadLetter:
			w.AddDeadLetter(&dl)
			atomic.AddInt64(&r.dead, 1)
		case parse.ResultSkip:
			res.Skipped++
			res.Records--
		}
	}
	res.SHA256 = hex.EncodeToString(h.Sum(nil))
	res.Err = dec.Err()
	if in.path == "-" {
		// Standard input is hashed while read, so a repeat is only known at its end.
		if prior, err := r.st.CompletedBySHA256(res.SHA256); err == nil && len(prior) > 0 {
			_ = w.Discard("duplicate", prior[0].ID, res, nil)
			rep.Status, rep.DuplicateOf = "duplicate", prior[0].Source
			return rep
		}
	}
	rep.EventsByType = map[string]int64{}
	for t, n := range w.Events() {
		rep.LogTypes = append(rep.LogTypes, t)
		rep.EventsByType[t] = n
		rep.Events += n
	}
	sort.Strings(rep.LogTypes)
	rep.DeadLetters = int64(w.DeadLetters())
	rep.Skipped = res.Skipped
	if err := w.Commit(res); err != nil {
		return failed(err)
	}
	rep.Status = "complete"
	if res.Err != nil {
		rep.Err = res.Err
	}
	return rep
}

// checkLedger looks for the input in the ledger. It returns the earlier input when the file's
// content was ingested before, or the offset to resume from when the file grew since an earlier
// ingest (the earlier content is an unchanged prefix); h then holds the hash of that prefix.
func (r *runner) checkLedger(f *os.File, in input, h hash.Hash) (*store.PriorInput, int64, error) {
	same, err := r.st.CompletedWithSize(in.size)
	if err != nil {
		return nil, 0, err
	}
	if len(same) > 0 {
		sum, err := hashPrefix(f, in.size, sha256.New())
		if err != nil {
			return nil, 0, err
		}
		for _, p := range same {
			if p.SHA256 == sum {
				return &p, 0, nil
			}
		}
	}
	prior, err := r.st.CompletedBySource(in.name)
	if err != nil || len(prior) == 0 || isGzip(f) {
		return nil, 0, err
	}
	p := prior[0]
	if p.Size <= 0 || p.Size >= in.size {
		return nil, 0, nil
	}
	h.Reset()
	sum, err := hashPrefix(f, p.Size, h)
	if err != nil || sum != p.SHA256 {
		h.Reset()
		return nil, 0, err
	}
	return nil, p.Size, nil
}

func hashPrefix(f *os.File, n int64, h hash.Hash) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	if _, err := io.CopyN(h, f, n); err != nil {
		return "", fmt.Errorf("hash %s: %w", f.Name(), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func isGzip(f *os.File) bool {
	var b [2]byte
	n, _ := f.ReadAt(b[:], 0)
	return n == 2 && b[0] == 0x1f && b[1] == 0x8b
}

// summarise attributes inputs to log types: events and files to each type they held, dead letters
// and bytes to the input's main type (or "unknown" when nothing parsed).
func summarise(reports []InputReport) []TypeSummary {
	by := map[string]*TypeSummary{}
	get := func(t string) *TypeSummary {
		if by[t] == nil {
			by[t] = &TypeSummary{LogType: t}
		}
		return by[t]
	}
	for _, rep := range reports {
		if rep.Status != "complete" {
			continue
		}
		main := "unknown"
		for _, t := range rep.LogTypes {
			if main == "unknown" || rep.EventsByType[t] > rep.EventsByType[main] {
				main = t
			}
			get(t).Files++
			get(t).Events += rep.EventsByType[t]
		}
		if len(rep.LogTypes) == 0 {
			get(main).Files++
		}
		get(main).DeadLetters += rep.DeadLetters
		get(main).Bytes += rep.Bytes - rep.StartOffset
	}
	return sortedSummaries(by)
}

func sortedSummaries(by map[string]*TypeSummary) []TypeSummary {
	out := make([]TypeSummary, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogType < out[j].LogType })
	return out
}
