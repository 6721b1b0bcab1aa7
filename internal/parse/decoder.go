package parse

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
)

// DefaultMaxRecordSize bounds one record (a line or a JSON value). CloudTrail events are at most
// 256 KiB and Firehose records 1 MiB; larger records are dead-lettered rather than buffered.
const DefaultMaxRecordSize = 8 << 20

// detectThreshold is the score a format must reach to claim a record on its own.
const detectThreshold = 50

// Options configure a Decoder.
type Options struct {
	// Type forces the log type; empty means detect it from the content.
	Type string
	// Source is stored on every event and dead letter.
	Source string
	// MaxRecordSize bounds one record; 0 means DefaultMaxRecordSize.
	MaxRecordSize int
	// Registry is the set of formats; nil means Default.
	Registry *Registry
	// Now supplies the ingest time used for records without a time of their own; nil means time.Now.
	Now func() time.Time
}

// Result says what Decoder.Next produced.
type Result int

// Results of Decoder.Next.
const (
	// ResultEvent means the Event was filled.
	ResultEvent Result = iota + 1
	// ResultDeadLetter means the DeadLetter was filled.
	ResultDeadLetter
	// ResultSkip means a record that is not an event (a header, a control message) was passed over.
	ResultSkip
)

// DeadLetter is a record that could not be parsed.
type DeadLetter struct {
	Source string
	Offset int64
	Line   int64
	// LogType is the type that rejected the record, "" when no type recognised it.
	LogType string
	Reason  string
	// Raw is the record's bytes (the first 64 KiB of oversized records). It aliases the decoder's
	// buffers until the next call.
	Raw []byte
}

// Decoder reads one input and yields its events and dead letters in input order. It is not safe for
// concurrent use.
type Decoder struct {
	opts      Options
	reg       *Registry
	src       io.Reader
	gz        *gzip.Reader
	frames    *frameReader
	jsonFr    *jsonFramer
	kind      Kind
	streamFmt *Format // chosen for the input; nil until known
	forced    bool
	parsers   map[string]Parser
	jp        fastjson.Parser
	subParser fastjson.Parser

	// pending holds the sub-records of an envelope being expanded.
	pending []subRecord
	scratch []byte

	// repaired says the current JSON record had invalid UTF-8 and was parsed from fixed.
	repaired bool
	fixed    []byte

	// groupFmt remembers the type of each CloudWatch Logs log group seen in this input.
	groupFmt map[string]*Format

	readErr error
}

type subRecord struct {
	data   []byte
	json   *fastjson.Value
	raw    []byte
	offset int64
	line   int64
	group  string
}

// NewDecoder returns a decoder for r. Gzip input is decompressed transparently (multi-member gzip
// too). It fails only when opts names an unknown type.
func NewDecoder(r io.Reader, opts Options) (*Decoder, error) {
	if opts.Registry == nil {
		opts.Registry = Default
	}
	if opts.MaxRecordSize <= 0 {
		opts.MaxRecordSize = DefaultMaxRecordSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	d := &Decoder{opts: opts, reg: opts.Registry, parsers: map[string]Parser{}, groupFmt: map[string]*Format{}}
	if opts.Type != "" {
		f, ok := d.reg.Lookup(opts.Type)
		if !ok {
			return nil, fmt.Errorf("unknown log type %q (known: %s)", opts.Type, strings.Join(d.reg.Names(), ", "))
		}
		d.streamFmt, d.forced = f, true
	}
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	d.src = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			d.src = errReader{fmt.Errorf("gzip: %w", err)}
		} else {
			d.gz = gz
			d.src = gz
		}
	}
	d.frames = newFrameReader(d.src, opts.MaxRecordSize)
	return d, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Format returns the type chosen for the input so far (nil before the first record or when none).
func (d *Decoder) Format() *Format { return d.streamFmt }

// Err returns the read error that cut the input short, if any (a truncated gzip stream). The records
// read before it were returned normally and the cut record as a dead letter.
func (d *Decoder) Err() error { return d.readErr }

// start chooses the framing and, unless forced, the input's log type from its first bytes.
func (d *Decoder) start() {
	f := d.frames
	for f.end-f.start < minBuf && f.fill() {
	}
	head := f.buf[f.start:f.end]
	i := skipSpace(head, 0)
	switch {
	case d.forced && d.streamFmt.Kind != Text|JSON:
		d.kind = d.streamFmt.Kind
	case i < len(head) && (head[i] == '{' || head[i] == '['):
		d.kind = JSON
	default:
		d.kind = Text
	}
	if d.kind == JSON {
		d.jsonFr = newJSONFramer(f)
	}
	if !d.forced {
		d.streamFmt = d.sniff(head)
	}
}

// sniff scores the formats on the first records of the input.
func (d *Decoder) sniff(head []byte) *Format {
	scores := map[*Format]int{}
	n := 0
	if d.kind == Text {
		for i, line := range bytes.SplitN(head, []byte{'\n'}, 12)[:min(11, bytes.Count(head, []byte{'\n'})+1)] {
			line = trimCR(line)
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			rec := &Record{Data: line, Line: int64(i + 1)}
			for _, f := range d.reg.Formats() {
				if f.Accepts(Text) {
					scores[f] += f.Detect(rec)
				}
			}
			if n++; n == 8 {
				break
			}
		}
	} else {
		// Frame the first values from a copy so the real framer starts at the beginning.
		cp := &frameReader{r: bytes.NewReader(nil), buf: append([]byte(nil), head...), end: len(head), eof: true, line: 1, maxSize: d.opts.MaxRecordSize}
		jf := &jsonFramer{f: cp}
		jf.linesMode = d.jsonFr.linesMode
		var p fastjson.Parser
		for n < 4 {
			fr, ok := jf.next()
			if !ok {
				break
			}
			if fr.err != nil {
				continue
			}
			v, err := p.ParseBytes(fr.data)
			if err != nil {
				continue
			}
			if subs := unwrapEnvelope(v); subs != nil {
				v = subs[0]
				if v == nil {
					continue
				}
			}
			rec := &Record{Data: fr.data, JSON: v}
			for _, f := range d.reg.Formats() {
				if f.Accepts(JSON) {
					scores[f] += f.Detect(rec)
				}
			}
			n++
		}
	}
	var best *Format
	bestScore := 0
	for f, s := range scores {
		if s > bestScore || s == bestScore && best != nil && f.Name < best.Name {
			best, bestScore = f, s
		}
	}
	if n == 0 || bestScore < n*10 {
		return nil
	}
	return best
}

// unwrapEnvelope returns the records inside an EventBridge event (its detail, or each of its
// detail.findings for Security Hub events), or nil when v is not an envelope. An element is nil for
// an envelope without records.
func unwrapEnvelope(v *fastjson.Value) []*fastjson.Value {
	if v.Type() != fastjson.TypeObject {
		return nil
	}
	detail := v.Get("detail")
	if detail == nil || v.Get("detail-type") == nil || v.Get("source") == nil {
		return nil
	}
	if fs := detail.GetArray("findings"); fs != nil {
		if len(fs) == 0 {
			return []*fastjson.Value{nil}
		}
		return fs
	}
	return []*fastjson.Value{detail}
}

// Next decodes the next record into ev or dl. It returns io.EOF after the last record; any other
// error is a failure of the decoder itself, not of a record.
func (d *Decoder) Next(ev *event.Event, dl *DeadLetter) (Result, error) {
	if d.frames != nil && d.kind == 0 {
		d.start()
	}
	if len(d.pending) > 0 {
		s := d.pending[0]
		d.pending = d.pending[1:]
		return d.parseSub(s, ev, dl), nil
	}
	var fr frame
	var ok bool
	if d.kind == JSON {
		fr, ok = d.jsonFr.next()
	} else {
		fr, ok = d.frames.readLine()
		for ok && fr.err == nil && len(bytes.TrimSpace(fr.data)) == 0 {
			fr, ok = d.frames.readLine()
		}
	}
	if d.frames.err != nil && d.readErr == nil {
		d.readErr = d.frames.err
	}
	if !ok {
		if d.gz != nil {
			_ = d.gz.Close()
		}
		return 0, io.EOF
	}
	if fr.err != nil {
		d.dead(dl, fr.data, fr.offset, fr.line, typeName(d.streamFmt), fr.err.Error())
		return ResultDeadLetter, nil
	}
	if d.kind == Text {
		return d.parseRecord(&Record{Data: fr.data, Offset: fr.offset, Line: fr.line}, fr.data, "", ev, dl), nil
	}
	// fastjson passes invalid UTF-8 inside strings through to every field it hands out: parse a
	// repaired copy instead (raw keeps the original bytes) and say so on the event.
	d.repaired = false
	data := fr.data
	if !utf8.Valid(data) {
		d.fixed = append(d.fixed[:0], bytes.ToValidUTF8(data, []byte("\uFFFD"))...)
		data, d.repaired = d.fixed, true
	}
	v, err := d.jp.ParseBytes(data)
	if err != nil {
		d.dead(dl, fr.data, fr.offset, fr.line, typeName(d.streamFmt), "invalid JSON: "+err.Error())
		return ResultDeadLetter, nil
	}
	if v.Type() != fastjson.TypeObject {
		d.dead(dl, fr.data, fr.offset, fr.line, typeName(d.streamFmt), fmt.Sprintf("JSON record is %s, not an object", v.Type()))
		return ResultDeadLetter, nil
	}
	if isCloudWatchPayload(v) {
		return d.expandCloudWatch(v, fr, ev, dl), nil
	}
	if subs := unwrapEnvelope(v); subs != nil {
		if subs[0] == nil {
			return ResultSkip, nil
		}
		// The record of the log type is the envelope's detail; the envelope is transport, like a
		// CloudWatch Logs payload, so raw holds the detail (and JSON columns can be read from it).
		d.scratch = d.scratch[:0]
		for _, s := range subs {
			start := len(d.scratch)
			d.scratch = s.MarshalTo(d.scratch)
			d.pending = append(d.pending, subRecord{json: s, offset: fr.offset, line: fr.line, raw: d.scratch[start:len(d.scratch):len(d.scratch)]})
		}
		s := d.pending[0]
		d.pending = d.pending[1:]
		return d.parseSub(s, ev, dl), nil
	}
	return d.parseRecord(&Record{Data: fr.data, JSON: v, Offset: fr.offset, Line: fr.line}, fr.data, "", ev, dl), nil
}

func isCloudWatchPayload(v *fastjson.Value) bool {
	return v.Get("messageType") != nil && v.Get("logEvents") != nil && v.Get("logGroup") != nil
}

// expandCloudWatch queues the log events of a CloudWatch Logs subscription payload (as delivered by
// Firehose or a subscription filter): each message is a record of its own.
func (d *Decoder) expandCloudWatch(v *fastjson.Value, fr frame, ev *event.Event, dl *DeadLetter) Result {
	if string(v.GetStringBytes("messageType")) == "CONTROL_MESSAGE" {
		return ResultSkip
	}
	group := string(v.GetStringBytes("logGroup"))
	d.scratch = d.scratch[:0]
	for _, le := range v.GetArray("logEvents") {
		msg := le.GetStringBytes("message")
		start := len(d.scratch)
		d.scratch = append(d.scratch, msg...)
		d.pending = append(d.pending, subRecord{data: d.scratch[start:len(d.scratch):len(d.scratch)], offset: fr.offset, line: fr.line, group: group})
	}
	if len(d.pending) == 0 {
		return ResultSkip
	}
	s := d.pending[0]
	d.pending = d.pending[1:]
	return d.parseSub(s, ev, dl)
}

// parseSub parses one record taken out of an envelope.
func (d *Decoder) parseSub(s subRecord, ev *event.Event, dl *DeadLetter) Result {
	if s.json != nil {
		return d.parseRecord(&Record{Data: s.raw, JSON: s.json, Offset: s.offset, Line: s.line}, s.raw, "", ev, dl)
	}
	rec := &Record{Data: s.data, Offset: s.offset, Line: s.line}
	if t := bytes.TrimSpace(s.data); len(t) > 0 && t[0] == '{' {
		v, err := d.subParser.ParseBytes(s.data)
		if err != nil {
			d.dead(dl, s.data, s.offset, s.line, "", "CloudWatch Logs message is not valid JSON: "+err.Error())
			return ResultDeadLetter
		}
		rec.JSON = v
	}
	return d.parseRecord(rec, s.data, s.group, ev, dl)
}

// parseRecord parses one record with the input's type, falling back to the best other type when the
// input's type rejects it (and the type was not forced).
func (d *Decoder) parseRecord(rec *Record, raw []byte, group string, ev *event.Event, dl *DeadLetter) Result {
	f := d.streamFmt
	if group != "" {
		f = d.groupFmt[group]
		if f == nil {
			f = d.detect(rec)
			if f != nil {
				d.groupFmt[group] = f
			}
		}
	} else if rec.JSON != nil && f != nil && !f.Accepts(JSON) || rec.JSON == nil && f != nil && !f.Accepts(Text) {
		f = nil
	}
	var firstErr error
	var firstFmt *Format
	if f != nil {
		err := d.parseWith(f, rec, raw, ev)
		if err == nil {
			return ResultEvent
		}
		if errors.Is(err, ErrSkip) {
			return ResultSkip
		}
		firstErr, firstFmt = err, f
		if d.forced {
			d.dead(dl, raw, rec.Offset, rec.Line, f.Name, err.Error())
			return ResultDeadLetter
		}
	}
	if alt := d.detect(rec); alt != nil && alt != f {
		err := d.parseWith(alt, rec, raw, ev)
		if err == nil {
			if d.streamFmt == nil {
				d.streamFmt = alt
			}
			return ResultEvent
		}
		if errors.Is(err, ErrSkip) {
			return ResultSkip
		}
		if firstErr == nil {
			firstErr, firstFmt = err, alt
		}
	}
	if firstErr == nil {
		d.dead(dl, raw, rec.Offset, rec.Line, "", d.unrecognised(rec))
		return ResultDeadLetter
	}
	d.dead(dl, raw, rec.Offset, rec.Line, firstFmt.Name, firstErr.Error())
	return ResultDeadLetter
}

func (d *Decoder) unrecognised(rec *Record) string {
	if !utf8.Valid(rec.Data) || bytes.IndexByte(rec.Data, 0) >= 0 {
		return "binary data, not a log record"
	}
	if rec.JSON != nil {
		return "no log type recognised this JSON record (the generic json type takes objects only)"
	}
	return fmt.Sprintf("no log type recognised this line (types tried: %s; use --type to force one)", strings.Join(d.namesOfKind(Text), ", "))
}

func (d *Decoder) namesOfKind(k Kind) []string {
	var out []string
	for _, f := range d.reg.Formats() {
		if f.Accepts(k) {
			out = append(out, f.Name)
		}
	}
	return out
}

// detect returns the format that scores highest on one record, if it is sure enough.
func (d *Decoder) detect(rec *Record) *Format {
	var best *Format
	bestScore := 0
	want := Text
	if rec.JSON != nil {
		want = JSON
	}
	for _, f := range d.reg.Formats() {
		if !f.Accepts(want) {
			continue
		}
		if s := f.Detect(rec); s > bestScore {
			best, bestScore = f, s
		}
	}
	if bestScore < 10 || best != d.streamFmt && bestScore < detectThreshold && d.streamFmt != nil {
		return nil
	}
	return best
}

func (d *Decoder) parseWith(f *Format, rec *Record, raw []byte, ev *event.Event) error {
	p := d.parsers[f.Name]
	if p == nil {
		p = f.New()
		if c, ok := p.(ClockUser); ok {
			c.SetClock(d.opts.Now)
		}
		d.parsers[f.Name] = p
	}
	ev.Reset()
	ev.LogType = f.Name
	ev.Source = d.opts.Source
	ev.Raw = raw
	ev.Offset = rec.Offset
	ev.Line = rec.Line
	if d.repaired && rec.JSON != nil {
		ev.Warn("invalid UTF-8 replaced")
	}
	if err := p.Parse(rec, ev); err != nil {
		return err
	}
	if ev.Fields == nil {
		ev.Fields = event.NoFields
	}
	if ev.EventID == "" {
		ev.EventID = HashID(f.Name, raw)
		ev.IDFromHash = true
	}
	if ev.Time.IsZero() {
		ev.Time = d.opts.Now().UTC()
		ev.Warn("record has no time of its own; ingest time used")
	}
	return nil
}

func (d *Decoder) dead(dl *DeadLetter, raw []byte, offset, line int64, logType, reason string) {
	*dl = DeadLetter{Source: d.opts.Source, Offset: offset, Line: line, LogType: logType, Reason: reason, Raw: raw}
}

func typeName(f *Format) string {
	if f == nil {
		return ""
	}
	return f.Name
}
