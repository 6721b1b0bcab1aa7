package event

import (
	"strconv"
	"strings"
	"unsafe"

	"github.com/valyala/fastjson"
)

// Fields gives access to an event's native fields.
//
// Implementations alias the record they were built from; see Event for the lifetime rules.
type Fields interface {
	// Lookup returns the native field at path: a native name ("eventName", "dstport") or a dotted path
	// into nested objects ("userIdentity.arn", "requestParameters.bucketName"). A numeric segment
	// indexes an array; any other segment applied to an array collects that field from each element.
	Lookup(path string) (Value, bool)
	// Range calls fn for each top-level field in record order until fn returns false.
	Range(fn func(name string, v Value) bool)
}

// Kind is the type of a Value.
type Kind uint8

// Value kinds.
const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindArray
	KindObject
)

// Value is one native field value: a string, a number (kept as its literal text), a bool, null, or a
// JSON array or object.
type Value struct {
	kind Kind
	b    bool
	s    string
	j    *fastjson.Value
	list []Value
}

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, s: s} }

// Number returns a number value from its literal text.
func Number(text string) Value { return Value{kind: KindNumber, s: text} }

// Int returns a number value.
func Int(n int64) Value { return Value{kind: KindNumber, s: strconv.FormatInt(n, 10)} }

// Bool returns a bool value.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// Null is the null value.
var Null = Value{}

// List returns an array value made of vs.
func List(vs []Value) Value { return Value{kind: KindArray, list: vs} }

// JSON wraps a parsed JSON value. Strings alias the parser's memory.
func JSON(v *fastjson.Value) Value {
	if v == nil {
		return Null
	}
	switch v.Type() {
	case fastjson.TypeString:
		b := v.GetStringBytes()
		return Value{kind: KindString, s: unsafe.String(unsafe.SliceData(b), len(b)), j: v}
	case fastjson.TypeNumber:
		// fastjson keeps the literal number text; MarshalTo returns it without allocating a float.
		return Value{kind: KindNumber, s: numberText(v), j: v}
	case fastjson.TypeTrue:
		return Value{kind: KindBool, b: true, j: v}
	case fastjson.TypeFalse:
		return Value{kind: KindBool, j: v}
	case fastjson.TypeArray:
		return Value{kind: KindArray, j: v}
	case fastjson.TypeObject:
		return Value{kind: KindObject, j: v}
	}
	return Null
}

func numberText(v *fastjson.Value) string {
	var buf [32]byte
	b := v.MarshalTo(buf[:0])
	return string(b)
}

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.kind == KindNull }

// Str returns the text of a string or number value, "true"/"false" for bools, "" for null, and the
// compact JSON text of arrays and objects.
func (v Value) Str() string {
	switch v.kind {
	case KindString, KindNumber:
		return v.s
	case KindBool:
		if v.b {
			return "true"
		}
		return "false"
	case KindArray, KindObject:
		return string(v.AppendJSON(nil))
	}
	return ""
}

// Float returns the value as a number: numbers and numeric strings convert, others do not.
func (v Value) Float() (float64, bool) {
	switch v.kind {
	case KindNumber, KindString:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		return f, err == nil
	}
	return 0, false
}

// Int64 returns the value as an integer: integral numbers and integer strings convert.
func (v Value) Int64() (int64, bool) {
	switch v.kind {
	case KindNumber, KindString:
		s := strings.TrimSpace(v.s)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
			return int64(f), true
		}
	}
	return 0, false
}

// Bool returns a bool value, and parses "true"/"false" strings.
func (v Value) Bool() (bool, bool) {
	switch v.kind {
	case KindBool:
		return v.b, true
	case KindString:
		b, err := strconv.ParseBool(v.s)
		return b, err == nil
	}
	return false, false
}

// Len returns the number of elements of an array, 0 otherwise.
func (v Value) Len() int {
	if v.kind != KindArray {
		return 0
	}
	if v.j != nil {
		a, _ := v.j.Array()
		return len(a)
	}
	return len(v.list)
}

// Each calls fn for each element of an array until fn returns false.
func (v Value) Each(fn func(Value) bool) {
	if v.kind != KindArray {
		return
	}
	if v.j != nil {
		a, _ := v.j.Array()
		for _, e := range a {
			if !fn(JSON(e)) {
				return
			}
		}
		return
	}
	for _, e := range v.list {
		if !fn(e) {
			return
		}
	}
}

// Get returns the member key of an object value.
func (v Value) Get(key string) (Value, bool) {
	if v.kind != KindObject || v.j == nil {
		return Null, false
	}
	m := v.j.Get(key)
	if m == nil {
		return Null, false
	}
	return JSON(m), true
}

// AppendJSON appends v as compact JSON.
func (v Value) AppendJSON(dst []byte) []byte {
	if v.j != nil {
		return appendFastJSON(dst, v.j)
	}
	switch v.kind {
	case KindString:
		return appendString(dst, v.s)
	case KindNumber:
		if v.s == "" {
			return append(dst, "null"...)
		}
		return append(dst, v.s...)
	case KindBool:
		return strconv.AppendBool(dst, v.b)
	case KindArray:
		dst = append(dst, '[')
		for i, e := range v.list {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.AppendJSON(dst)
		}
		return append(dst, ']')
	}
	return append(dst, "null"...)
}

// appendFastJSON writes a parsed value as strict JSON. fastjson's own MarshalTo writes back what it
// accepted leniently (invalid UTF-8 and control characters in strings, numbers such as "000" or
// ".5"), which would make event output invalid JSON; here strings are escaped properly and a number
// that is not a JSON number is written as a string.
func appendFastJSON(dst []byte, v *fastjson.Value) []byte {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		dst = append(dst, '{')
		first := true
		o.Visit(func(k []byte, m *fastjson.Value) {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendString(dst, unsafe.String(unsafe.SliceData(k), len(k)))
			dst = append(dst, ':')
			dst = appendFastJSON(dst, m)
		})
		return append(dst, '}')
	case fastjson.TypeArray:
		a, _ := v.Array()
		dst = append(dst, '[')
		for i, e := range a {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendFastJSON(dst, e)
		}
		return append(dst, ']')
	case fastjson.TypeString:
		b := v.GetStringBytes()
		return appendString(dst, unsafe.String(unsafe.SliceData(b), len(b)))
	case fastjson.TypeNumber:
		start := len(dst)
		dst = v.MarshalTo(dst)
		if !validNumber(dst[start:]) {
			lit := string(dst[start:])
			dst = appendString(dst[:start], lit)
		}
		return dst
	case fastjson.TypeTrue:
		return append(dst, "true"...)
	case fastjson.TypeFalse:
		return append(dst, "false"...)
	}
	return append(dst, "null"...)
}

// validNumber reports whether b is a number as JSON (RFC 8259) writes it.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	return i == len(b)
}

// NoFields is the Fields of a record without native fields.
var NoFields Fields = &Map{}

// JSONObject exposes a parsed JSON object as Fields. Values alias the parser's memory.
func JSONObject(o *fastjson.Value) Fields { return jsonFields{o} }

type jsonFields struct{ v *fastjson.Value }

func (f jsonFields) Lookup(path string) (Value, bool) {
	if f.v == nil {
		return Null, false
	}
	if m := f.v.Get(path); m != nil {
		return JSON(m), true
	}
	if !strings.Contains(path, ".") {
		return Null, false
	}
	return lookupPath(JSON(f.v), path)
}

func lookupPath(cur Value, path string) (Value, bool) {
	for path != "" {
		seg, rest, _ := strings.Cut(path, ".")
		switch cur.kind {
		case KindObject:
			// A key may itself contain dots ("Custom/x.y"): prefer the longest literal key.
			if m, ok := cur.Get(path); ok {
				return m, true
			}
			m, ok := cur.Get(seg)
			if !ok {
				return Null, false
			}
			cur = m
		case KindArray:
			if i, err := strconv.Atoi(seg); err == nil {
				var found Value
				ok := false
				n := 0
				cur.Each(func(e Value) bool {
					if n == i {
						found, ok = e, true
						return false
					}
					n++
					return true
				})
				if !ok {
					return Null, false
				}
				cur = found
			} else {
				var out []Value
				cur.Each(func(e Value) bool {
					if m, ok := lookupPath(e, path); ok {
						if m.kind == KindArray {
							m.Each(func(x Value) bool { out = append(out, x); return true })
						} else {
							out = append(out, m)
						}
					}
					return true
				})
				if len(out) == 0 {
					return Null, false
				}
				return List(out), true
			}
		default:
			return Null, false
		}
		path = rest
	}
	return cur, true
}

// JSON returns the parsed object, for consumers that walk it directly (the store's column writer).
func (f jsonFields) JSON() *fastjson.Value { return f.v }

func (f jsonFields) Range(fn func(string, Value) bool) {
	o, err := f.v.Object()
	if err != nil {
		return
	}
	stop := false
	o.Visit(func(k []byte, v *fastjson.Value) {
		if stop {
			return
		}
		if !fn(unsafe.String(unsafe.SliceData(k), len(k)), JSON(v)) {
			stop = true
		}
	})
}

// Schema names the columns of a text record format. It is built once per format (or per header line)
// and shared by every record that uses it.
type Schema struct {
	names []string
	index map[string]int
}

// NewSchema returns a schema for the given field names. Lookups also accept '-' and '_'
// interchangeably, so "log-status" and "log_status" name the same field.
func NewSchema(names ...string) *Schema {
	s := &Schema{names: names, index: make(map[string]int, 2*len(names))}
	for i, n := range names {
		s.index[n] = i
		alt := strings.ReplaceAll(n, "-", "_")
		if _, ok := s.index[alt]; !ok {
			s.index[alt] = i
		}
		alt = strings.ReplaceAll(n, "_", "-")
		if _, ok := s.index[alt]; !ok {
			s.index[alt] = i
		}
	}
	return s
}

// Names returns the field names in order.
func (s *Schema) Names() []string { return s.names }

// Index returns the position of a field.
func (s *Schema) Index(name string) (int, bool) {
	i, ok := s.index[name]
	return i, ok
}

// Row is a text record split into fields that follow a Schema. Absent values are "" in Values and
// are reported as missing by Lookup when Missing marks them (for "-" placeholders).
type Row struct {
	Schema *Schema
	Values []string
	// Missing, when set, reports per field whether the value is absent ("-" in AWS logs).
	Missing []bool
	// Typed, when set, gives per field the Kind to report (KindNumber for counters); KindString otherwise.
	Typed []Kind
}

// Lookup implements Fields.
func (r *Row) Lookup(path string) (Value, bool) {
	i, ok := r.Schema.Index(path)
	if !ok || i >= len(r.Values) {
		return Null, false
	}
	if r.Missing != nil && r.Missing[i] {
		return Null, false
	}
	return r.value(i), true
}

func (r *Row) value(i int) Value {
	if r.Typed != nil && r.Typed[i] == KindNumber {
		return Value{kind: KindNumber, s: r.Values[i]}
	}
	return Value{kind: KindString, s: r.Values[i]}
}

// Range implements Fields.
func (r *Row) Range(fn func(string, Value) bool) {
	for i, n := range r.Schema.names {
		if i >= len(r.Values) {
			return
		}
		if r.Missing != nil && r.Missing[i] {
			continue
		}
		if !fn(n, r.value(i)) {
			return
		}
	}
}

// Map is a small ordered set of named values for formats whose fields vary per record (CEF
// extensions, syslog structured data, parsed sshd messages). Nested names use dots.
type Map struct {
	Keys   []string
	Values []Value
}

// Set adds or replaces a field.
func (m *Map) Set(key string, v Value) {
	for i, k := range m.Keys {
		if k == key {
			m.Values[i] = v
			return
		}
	}
	m.Keys = append(m.Keys, key)
	m.Values = append(m.Values, v)
}

// Reset empties m, keeping capacity.
func (m *Map) Reset() { m.Keys, m.Values = m.Keys[:0], m.Values[:0] }

// Lookup implements Fields.
func (m *Map) Lookup(path string) (Value, bool) {
	for i, k := range m.Keys {
		if k == path {
			return m.Values[i], true
		}
	}
	return Null, false
}

// Range implements Fields.
func (m *Map) Range(fn func(string, Value) bool) {
	for i, k := range m.Keys {
		if !fn(k, m.Values[i]) {
			return
		}
	}
}
