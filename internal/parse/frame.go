package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// frameReader is a growable window over an input stream shared by the line and JSON framers. It
// keeps absolute byte offsets and line numbers so that every record and dead letter can say where in
// the input it was.
//
// It is written by hand because the framers need to look ahead, grow up to a record-size limit and
// then skip the rest of an oversized record without buffering it, which bufio.Reader/Scanner do not
// offer together.
type frameReader struct {
	r     io.Reader
	buf   []byte
	start int   // first unconsumed byte
	end   int   // end of valid data
	base  int64 // input offset of buf[0]
	line  int64 // line number of buf[start], 1-based
	eof   bool
	err   error // read error other than io.EOF
	// errReported is set once a dead letter has told of err.
	errReported bool
	maxSize     int
}

const minBuf = 64 << 10

func newFrameReader(r io.Reader, maxSize int) *frameReader {
	return &frameReader{r: r, buf: make([]byte, minBuf), line: 1, maxSize: maxSize}
}

// fill reads more input, keeping buf[start:]. It returns false when nothing more can be read.
func (f *frameReader) fill() bool {
	if f.eof {
		return false
	}
	if f.start > 0 {
		n := copy(f.buf, f.buf[f.start:f.end])
		f.base += int64(f.start)
		f.end = n
		f.start = 0
	}
	if f.end == len(f.buf) {
		if len(f.buf) >= f.maxSize+minBuf {
			return false
		}
		nb := make([]byte, min(2*len(f.buf), f.maxSize+minBuf))
		copy(nb, f.buf[:f.end])
		f.buf = nb
	}
	for {
		n, err := f.r.Read(f.buf[f.end:])
		f.end += n
		if err != nil {
			f.eof = true
			if !errors.Is(err, io.EOF) {
				f.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// full reports whether the window cannot grow any more.
func (f *frameReader) full() bool { return f.end-f.start >= f.maxSize }

// offset returns the input offset of buf[i].
func (f *frameReader) offset(i int) int64 { return f.base + int64(i) }

// advance consumes buf[start:i], counting lines.
func (f *frameReader) advance(i int) {
	f.line += int64(bytes.Count(f.buf[f.start:i], []byte{'\n'}))
	f.start = i
}

// frame is one framed record or a framing failure.
type frame struct {
	data   []byte
	offset int64
	line   int64
	// err, when set, makes the frame a dead letter with this reason; data holds what was read of it.
	err error
}

// readLine returns the next line without its terminator. A line longer than the size limit is
// returned truncated with an error, and the rest of it is skipped.
func (f *frameReader) readLine() (frame, bool) {
	scanFrom := f.start
	for {
		if i := bytes.IndexByte(f.buf[scanFrom:f.end], '\n'); i >= 0 {
			nl := scanFrom + i
			fr := frame{data: trimCR(f.buf[f.start:nl]), offset: f.offset(f.start), line: f.line}
			f.start = nl + 1
			f.line++
			return fr, true
		}
		scanFrom = f.end
		if f.full() {
			return f.skipLongLine(), true
		}
		rel := scanFrom - f.start
		if !f.fill() {
			if f.start == f.end {
				return frame{}, false
			}
			fr := frame{data: trimCR(f.buf[f.start:f.end]), offset: f.offset(f.start), line: f.line}
			if f.err != nil {
				fr.err = fmt.Errorf("input ends early (%v): last record is incomplete", f.err)
				f.errReported = true
			}
			f.start = f.end
			return fr, true
		}
		scanFrom = f.start + rel
	}
}

// skipLongLine handles a line that exceeds the size limit: it keeps the first bytes for the dead
// letter and discards the rest up to the next newline.
func (f *frameReader) skipLongLine() frame {
	keep := append([]byte(nil), f.buf[f.start:f.start+min(f.end-f.start, deadLetterKeep)]...)
	fr := frame{data: keep, offset: f.offset(f.start), line: f.line}
	total := int64(0)
	for {
		if i := bytes.IndexByte(f.buf[f.start:f.end], '\n'); i >= 0 {
			total += int64(i)
			f.start += i + 1
			f.line++
			break
		}
		total += int64(f.end - f.start)
		f.start = f.end
		if !f.fill() {
			break
		}
	}
	fr.err = fmt.Errorf("record is %d bytes, over the %d-byte limit (raise --max-record-size to keep such records)", total, f.maxSize)
	return fr
}

// deadLetterKeep is how much of an oversized record a dead letter keeps.
const deadLetterKeep = 64 << 10

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

// jsonFramer splits a stream of JSON into records. It accepts JSON lines, concatenated or
// pretty-printed documents, top-level arrays, and container objects whose first member is an array of
// records ({"Records": […]}, {"Findings": […]}), descending into them without loading the whole
// document.
//
// In lines mode (chosen when the first value ends on its own line) a newline inside a value ends the
// record as truncated, so one damaged line never swallows the good lines after it.
type jsonFramer struct {
	f         *frameReader
	linesMode bool
	// inArray is set while emitting the elements of a top-level array or container; closeObj says the
	// array sits inside a container object whose '}' must be consumed after the ']'.
	inArray  bool
	closeObj bool
}

// containerKeys are the members whose array holds the records of a wrapper document.
var containerKeys = [][]byte{[]byte(`"Records"`), []byte(`"Findings"`), []byte(`"findings"`), []byte(`"records"`)}

func newJSONFramer(f *frameReader) *jsonFramer {
	j := &jsonFramer{f: f}
	j.linesMode = j.sniffLinesMode()
	return j
}

// sniffLinesMode looks at the first value: JSON lines when it is an object that closes before the
// first newline and is not a container.
func (j *jsonFramer) sniffLinesMode() bool {
	f := j.f
	for f.end-f.start < minBuf && f.fill() {
	}
	b := f.buf[f.start:f.end]
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return i < len(b) && b[i] != '['
	}
	if _, ok := containerAt(b, i); ok {
		return false
	}
	end, status := scanValue(b, i, true)
	return status == scanDone && end <= len(b)
}

// containerAt reports whether b[i] starts a container object and returns the index just after its
// array's '['.
func containerAt(b []byte, i int) (int, bool) {
	k := skipSpace(b, i+1)
	for _, key := range containerKeys {
		if bytes.HasPrefix(b[k:], key) {
			p := skipSpace(b, k+len(key))
			if p < len(b) && b[p] == ':' {
				p = skipSpace(b, p+1)
				if p < len(b) && b[p] == '[' {
					return p + 1, true
				}
			}
		}
	}
	return 0, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

type scanStatus int

const (
	scanDone     scanStatus = iota
	scanNeedMore            // the value continues past the end of b
	scanNewline             // lines mode: a newline came before the value ended
	scanBad                 // not the start of a JSON value
)

// scanValue finds the end of the JSON value starting at b[i] by tracking strings and nesting. It
// does not validate the value (the parser does); it only needs to find where it ends.
func scanValue(b []byte, i int, stopAtNewline bool) (int, scanStatus) {
	if i >= len(b) {
		return i, scanNeedMore
	}
	switch b[i] {
	case '{', '[':
		depth := 0
		inStr := false
		for p := i; p < len(b); p++ {
			c := b[p]
			if inStr {
				switch c {
				case '\\':
					p++
				case '"':
					inStr = false
				case '\n':
					if stopAtNewline {
						return p, scanNewline
					}
				}
				continue
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return p + 1, scanDone
				}
			case '\n':
				if stopAtNewline {
					return p, scanNewline
				}
			}
		}
		return len(b), scanNeedMore
	case '"':
		for p := i + 1; p < len(b); p++ {
			switch b[p] {
			case '\\':
				p++
			case '"':
				return p + 1, scanDone
			case '\n':
				if stopAtNewline {
					return p, scanNewline
				}
			}
		}
		return len(b), scanNeedMore
	}
	if c := b[i]; c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n' {
		for p := i; p < len(b); p++ {
			switch b[p] {
			case ',', '}', ']', ' ', '\n', '\r', '\t', '{', '[', '"':
				return p, scanDone
			}
		}
		return len(b), scanNeedMore
	}
	return i, scanBad
}

// next returns the next JSON record.
func (j *jsonFramer) next() (frame, bool) {
	f := j.f
	for {
		// Skip whitespace, and separators and closers while inside an array.
		for {
			for f.start < f.end {
				c := f.buf[f.start]
				if c == ' ' || c == '\t' || c == '\r' {
					f.start++
				} else if c == '\n' {
					f.start++
					f.line++
				} else if j.inArray && c == ',' {
					f.start++
				} else if j.inArray && c == ']' {
					f.start++
					j.inArray = false
					if j.closeObj {
						j.closeObj = false
						if fr, bad := j.skipRestOfObject(); bad {
							return fr, true
						}
					}
				} else {
					break
				}
			}
			if f.start < f.end || !f.fill() {
				break
			}
		}
		if f.start >= f.end {
			if j.inArray && f.err == nil {
				j.inArray = false
				return frame{offset: f.offset(f.start), line: f.line, err: errors.New("input ends inside a JSON array: the document is truncated")}, true
			}
			if f.err != nil && !f.errReported {
				f.errReported = true
				return frame{offset: f.offset(f.start), line: f.line, err: fmt.Errorf("input ends early: %v", f.err)}, true
			}
			return frame{}, false
		}
		c := f.buf[f.start]
		if !j.inArray && (c == '[' || c == '{') {
			if c == '[' {
				f.start++
				j.inArray = true
				continue
			}
			// A container object: descend into its array.
			for {
				if p, ok := containerAt(f.buf[:f.end], f.start); ok {
					f.advance(p)
					j.inArray, j.closeObj = true, true
					break
				}
				// Not enough bytes to see the first key: read more unless the window is clearly past it.
				if f.end-f.start > 4096 || !f.fill() {
					break
				}
			}
			if j.inArray {
				continue
			}
		}
		if !j.inArray && c != '{' && c != '[' {
			return j.badUntilNewline(fmt.Sprintf("not JSON: record starts with %q", clip(f.buf[f.start:f.end], 20))), true
		}
		return j.scanRecord()
	}
}

// scanRecord frames the value at f.start.
func (j *jsonFramer) scanRecord() (frame, bool) {
	f := j.f
	from := 0
	for {
		end, st := scanValue(f.buf[f.start+from:f.end], 0, j.linesMode)
		end += f.start + from
		switch st {
		case scanDone:
			fr := frame{data: f.buf[f.start:end], offset: f.offset(f.start), line: f.line}
			f.advance(end)
			return fr, true
		case scanBad:
			return j.badUntilNewline(fmt.Sprintf("not JSON: record starts with %q", clip(f.buf[f.start:f.end], 20))), true
		case scanNewline:
			return j.badUntilNewline("truncated JSON record: the line ends inside a value"), true
		case scanNeedMore:
			if f.full() {
				return j.skipOversized(), true
			}
			// Rescanning from the start is simplest and the window only doubles, so the cost stays linear.
			if !f.fill() {
				fr := frame{data: f.buf[f.start:f.end], offset: f.offset(f.start), line: f.line}
				if f.err != nil {
					fr.err = fmt.Errorf("input ends early (%v): last record is incomplete", f.err)
					f.errReported = true
				} else {
					fr.err = errors.New("truncated JSON record: input ends inside a value")
				}
				f.advance(f.end)
				j.inArray = false
				return fr, true
			}
		}
	}
}

// badUntilNewline turns the bytes up to the next newline into a dead letter and resynchronises there.
func (j *jsonFramer) badUntilNewline(reason string) frame {
	fr, _ := j.f.readLine()
	if fr.err == nil { // an oversized line keeps that reason, the more useful one
		fr.err = errors.New(reason)
	}
	// A damaged element inside an array must not leave the framer expecting more elements of it.
	j.inArray, j.closeObj = false, false
	return fr
}

// skipOversized discards a value larger than the size limit, keeping its first bytes.
func (j *jsonFramer) skipOversized() frame {
	f := j.f
	keep := append([]byte(nil), f.buf[f.start:f.start+min(deadLetterKeep, f.end-f.start)]...)
	fr := frame{data: keep, offset: f.offset(f.start), line: f.line}
	depth, inStr, esc := 0, false, false
	total := int64(0)
	for {
		for p := f.start; p < f.end; p++ {
			c := f.buf[p]
			switch {
			case esc:
				esc = false
			case inStr:
				if c == '\\' {
					esc = true
				} else if c == '"' {
					inStr = false
				}
			case c == '"':
				inStr = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth == 0 {
					total += int64(p + 1 - f.start)
					f.advance(p + 1)
					fr.err = fmt.Errorf("record is %d bytes, over the %d-byte limit (raise --max-record-size to keep such records)", total, f.maxSize)
					return fr
				}
			}
		}
		total += int64(f.end - f.start)
		f.advance(f.end)
		if !f.fill() {
			fr.err = fmt.Errorf("record is over the %d-byte limit and the input ends inside it", f.maxSize)
			return fr
		}
	}
}

// skipRestOfObject consumes the members of a container object after its record array, up to its '}'.
func (j *jsonFramer) skipRestOfObject() (frame, bool) {
	f := j.f
	for {
		for f.start < f.end && (f.buf[f.start] == ' ' || f.buf[f.start] == '\n' || f.buf[f.start] == '\r' || f.buf[f.start] == '\t' || f.buf[f.start] == ',') {
			f.advance(f.start + 1)
		}
		if f.start >= f.end && !f.fill() {
			return frame{}, false
		}
		if f.start >= f.end {
			continue
		}
		switch f.buf[f.start] {
		case '}':
			f.advance(f.start + 1)
			return frame{}, false
		case '"':
			// "key": value — skip both.
			for {
				end, st := scanValue(f.buf[f.start:f.end], 0, false)
				if st == scanNeedMore && f.fill() {
					continue
				}
				if st != scanDone {
					return j.badUntilNewline("malformed container object after its record array"), true
				}
				p := skipSpace(f.buf[:f.end], f.start+end)
				if p >= f.end || f.buf[p] != ':' {
					return j.badUntilNewline("malformed container object after its record array"), true
				}
				f.advance(p + 1)
				break
			}
			for f.start < f.end && (f.buf[f.start] == ' ' || f.buf[f.start] == '\n' || f.buf[f.start] == '\t' || f.buf[f.start] == '\r') {
				f.advance(f.start + 1)
			}
			for {
				end, st := scanValue(f.buf[f.start:f.end], 0, false)
				if st == scanNeedMore && !f.full() && f.fill() {
					continue
				}
				if st != scanDone {
					return j.badUntilNewline("malformed container object after its record array"), true
				}
				f.advance(f.start + end)
				break
			}
		default:
			return j.badUntilNewline("malformed container object after its record array"), true
		}
	}
}

func clip(b []byte, n int) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if len(b) > n {
		return b[:n]
	}
	return b
}
