package jsonlog

import (
	"strconv"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Sanitizer repairs parsed JSON records that would otherwise be stored as invalid JSON. Native
// fields backed by a parsed value are rendered by fastjson byte for byte, and fastjson's parser is
// more lenient than its output is correct: it keeps invalid UTF-8 and raw control characters in
// strings and writes them back as Go escapes (\x00), and it accepts number literals such as "." or
// "inf" and writes them back as they are. The JSON formats of this module run every record through
// a Sanitizer before exposing it. Strings with escapes JSON does not allow are written back
// verbatim unless they were unescaped first; walking the record unescapes them.
//
// A Sanitizer belongs to one parser: the replacement values live in its arena until the next
// record, like the record itself.
type Sanitizer struct {
	arena fastjson.Arena
	num   []byte
	fixed bool
}

// Value returns rec.JSON, repaired in place when the record holds anything the renderer would get
// wrong: invalid UTF-8, control characters and non-printable supplementary characters in strings
// and keys become U+FFFD, malformed numbers become strings of their text. A repair is noted on ev.
// Records without such content (nearly all) cost one scan of their bytes.
func (s *Sanitizer) Value(rec *parse.Record, ev *event.Event) *fastjson.Value {
	if rec.JSON == nil || !suspicious(rec.Data) {
		return rec.JSON
	}
	s.arena.Reset()
	s.fixed = false
	s.clean(rec.JSON)
	if s.fixed {
		ev.Warn("invalid UTF-8, control characters or malformed numbers replaced")
	}
	return rec.JSON
}

// suspicious scans a record for content that may need repair; false positives only cost a walk.
func suspicious(b []byte) bool {
	if !utf8.Valid(b) {
		return true
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				switch c := b[i]; {
				case c == '\\':
					// fastjson writes a string it never had to unescape back as it was read, so
					// an escape JSON does not allow ("\0") would be stored as is.
					i++
					if i >= len(b) {
						return true
					}
					switch b[i] {
					case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					case 'u':
						if i+4 >= len(b) {
							return true
						}
						h, err := strconv.ParseUint(string(b[i+1:i+5]), 16, 32)
						if err != nil || h < 0x20 || h == 0x7f || h >= 0xd800 && h <= 0xdfff {
							return true
						}
					default:
						return true
					}
				case c < 0x20, c == 0x7f, c >= 0xf0:
					return true
				}
			}
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
			j := i
			for j < len(b) && numberByte(b[j]) {
				j++
			}
			if !validNumber(b[i:j]) {
				return true
			}
			i = j - 1
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
				j++
			}
			if w := string(b[i:j]); w != "true" && w != "false" && w != "null" {
				return true
			}
			i = j - 1
		}
	}
	return false
}

func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber checks a literal against the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// clean repairs the members of an object or array; fastjson bounds the nesting depth.
func (s *Sanitizer) clean(v *fastjson.Value) {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		var fix []string
		o.Visit(func(k []byte, m *fastjson.Value) {
			if needsFix(k) {
				fix = append(fix, string(k))
			}
			// Replacing in place (not by key) keeps repeated keys apart.
			if r := s.replacement(m); r != nil {
				*m = *r
			} else {
				s.clean(m)
			}
		})
		// Keys cannot be replaced in place; a repeated bad key keeps only its last value.
		for _, k := range fix {
			m := o.Get(k)
			o.Del(k)
			o.Set(fixText(k), m)
			s.fixed = true
		}
	case fastjson.TypeArray:
		a, _ := v.Array()
		for _, m := range a {
			if r := s.replacement(m); r != nil {
				*m = *r
			} else {
				s.clean(m)
			}
		}
	}
}

// replacement returns the repaired form of a string or number that needs one, else nil.
func (s *Sanitizer) replacement(m *fastjson.Value) *fastjson.Value {
	switch m.Type() {
	case fastjson.TypeString:
		if b := m.GetStringBytes(); needsFix(b) {
			s.fixed = true
			return s.arena.NewString(fixText(string(b)))
		}
	case fastjson.TypeNumber:
		s.num = m.MarshalTo(s.num[:0])
		if !validNumber(s.num) {
			s.fixed = true
			return s.arena.NewString(fixText(string(s.num)))
		}
	}
	return nil
}

// needsFix reports text that strconv.Quote, which fastjson uses for strings with special
// characters, would not write as valid JSON.
func needsFix(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\b' && c != '\f' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || r > 0xffff && !strconv.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

func fixText(s string) string {
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1,
			r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\b' && r != '\f',
			r == 0x7f,
			r > 0xffff && !strconv.IsPrint(r):
			r = utf8.RuneError
		}
		out = append(out, r)
		i += size
	}
	return string(out)
}
