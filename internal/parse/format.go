// Package parse turns raw input streams into Events: it undoes compression, frames records (lines, or
// JSON values inside arrays, {"Records":[…]} documents and envelopes), recognises each log type by
// content, and hands every record to the parser of its type. Records that cannot be parsed come out as
// dead letters with a reason; nothing is dropped silently.
//
// Each log type lives in its own package under parse/ and registers a Format from init; the package
// parse/all imports every one of them and so decides what the binary ships.
package parse

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
)

// Kind says how a format's records are framed. A format may accept both (Text|JSON): API Gateway
// access logs are JSON or CLF lines depending on the template.
type Kind int

// Record framings.
const (
	// Text records are lines.
	Text Kind = 1 << iota
	// JSON records are JSON values: lines of JSON, elements of a top-level array, elements of a
	// {"Records": […]} style container, or concatenated documents.
	JSON
)

// Accepts reports whether records of framing k are handed to the format.
func (f *Format) Accepts(k Kind) bool { return f.Kind&k != 0 }

// Record is one framed record handed to a Parser.
type Record struct {
	// Data is the record's bytes: a line without its line terminator, or one JSON value. It aliases
	// the decoder's buffers and is valid only during the Parse call.
	Data []byte
	// JSON is the parsed value for JSON records, nil for text records.
	JSON *fastjson.Value
	// Offset is the byte offset of the record in the decompressed input; Line its 1-based line.
	Offset int64
	Line   int64
}

// Column is one native column of a log type's table.
type Column struct {
	// Name is the SQL column name. Native names are kept; '-' becomes '_'.
	Name string
	// Path is the native field path read through Event.Fields; empty means Name.
	Path string
	Type event.ColumnType
	Doc  string
	// Core names the core column this native field always equals (CloudTrail eventID is event_id):
	// the value is stored once and the native name is an alias of it.
	Core string
	// Lazy marks a rarely queried field of a JSON format that is not stored as a column of its own:
	// queries read it from the raw record. Use it for values that are unique per record (request
	// ids), which would cost as much again in storage as they are worth.
	Lazy bool
}

// FieldPath returns the path used to read the column's value.
func (c Column) FieldPath() string {
	if c.Path != "" {
		return c.Path
	}
	return c.Name
}

// Parser parses records of one format. A Parser is used by one goroutine and sees an input's records
// in order, so it may keep state across records (a header line that names the fields).
type Parser interface {
	// Parse fills ev (already Reset, with Source, Raw, Offset and Line set) from rec. It returns
	// ErrSkip for records that are not events (headers, comments, control messages) and otherwise an
	// error whose text is the dead-letter reason: say what was expected and what was found.
	Parse(rec *Record, ev *event.Event) error
}

// ClockUser is implemented by parsers that need the current time, such as RFC 3164 syslog, whose
// timestamps have no year. The decoder passes its clock (Options.Now) right after New.
type ClockUser interface {
	SetClock(now func() time.Time)
}

// ErrSkip marks a record that is not an event and is not an error either (a header line, a comment,
// a CloudWatch Logs control message). Skipped records are counted, not stored.
var ErrSkip = errors.New("not an event record")

// Format describes one log type.
type Format struct {
	// Name is the log type name, also its table name: lower case letters, digits and '_'.
	Name string
	// Title is the human name ("AWS CloudTrail").
	Title string
	// Doc is a paragraph for docs/log-types.md: what the type is, which shapes are accepted.
	Doc string
	// Kind is the framing of the format's records.
	Kind Kind
	// Detect scores how sure the format is that rec is one of its records: 0 no, 100 certain. It is
	// called on the first records of an input to choose its type, and again on a record the chosen
	// type rejects. It must be cheap and must not keep rec.
	Detect func(rec *Record) int
	// Columns are the native columns stored after the core columns. A native field with the same name
	// as a core column must carry the same value and is not listed again.
	Columns []Column
	// New returns a parser for one input.
	New func() Parser
}

// Registry holds the known formats. The package-level functions use a default registry that format
// packages register into from init; tests may build their own.
type Registry struct {
	mu      sync.RWMutex
	formats map[string]*Format
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{formats: map[string]*Format{}} }

// Register adds f. It panics on a duplicate or malformed format: that is a programming error.
func (r *Registry) Register(f *Format) {
	if err := f.validate(); err != nil {
		panic("parse: " + err.Error())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.formats[f.Name]; dup {
		panic("parse: format registered twice: " + f.Name)
	}
	r.formats[f.Name] = f
}

// Lookup returns the format named name.
func (r *Registry) Lookup(name string) (*Format, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.formats[name]
	return f, ok
}

// Formats returns every format sorted by name.
func (r *Registry) Formats() []*Format {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Format, 0, len(r.formats))
	for _, f := range r.formats {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the registered format names, sorted.
func (r *Registry) Names() []string {
	fs := r.Formats()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func (f *Format) validate() error {
	if f.Name == "" || f.New == nil || f.Detect == nil || f.Kind&^(Text|JSON) != 0 || f.Kind == 0 {
		return fmt.Errorf("format %q: Name, Kind, Detect and New are required", f.Name)
	}
	for _, r := range f.Name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return fmt.Errorf("format %q: name must be lower case letters, digits and '_'", f.Name)
		}
	}
	seen := map[string]bool{}
	for _, c := range event.CoreColumns {
		seen[c.Name] = true
	}
	for _, c := range f.Columns {
		if c.Name == "" || c.Type == "" {
			return fmt.Errorf("format %q: column with empty name or type", f.Name)
		}
		if c.Core != "" {
			if _, ok := event.CoreColumnByName(c.Core); !ok {
				return fmt.Errorf("format %q: column %q aliases unknown core column %q", f.Name, c.Name, c.Core)
			}
		}
		if c.Lazy && f.Kind != JSON {
			return fmt.Errorf("format %q: column %q is lazy, which only JSON formats can be", f.Name, c.Name)
		}
		if seen[lower(c.Name)] {
			return fmt.Errorf("format %q: column %q repeats a core or native column (names are case-insensitive in SQL)", f.Name, c.Name)
		}
		seen[lower(c.Name)] = true
	}
	return nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// Default is the registry the format packages register into.
var Default = NewRegistry()

// Register adds f to the default registry.
func Register(f *Format) { Default.Register(f) }

// Lookup returns a format of the default registry.
func Lookup(name string) (*Format, bool) { return Default.Lookup(name) }

// Formats returns the formats of the default registry.
func Formats() []*Format { return Default.Formats() }
