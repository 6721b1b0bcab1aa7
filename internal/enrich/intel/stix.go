package intel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// stixObject holds the fields of a STIX 2.1 object that matter here.
type stixObject struct {
	Type        string          `json:"type"`
	ID          string          `json:"id"`
	Pattern     string          `json:"pattern"`
	PatternType string          `json:"pattern_type"`
	ValidUntil  string          `json:"valid_until"`
	Confidence  json.RawMessage `json:"confidence"`
	Revoked     bool            `json:"revoked"`
}

// parseSTIX reads a STIX 2.1 bundle ({"type":"bundle","objects":[…]}), a bare array of objects or
// a single indicator object. It streams the objects so each can be reported with its line.
func parseSTIX(data []byte, rep *FileReport, add sink) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := lineCounter{data: data}
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	objects := func() bool {
		for dec.More() {
			off := int(dec.InputOffset())
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				rep.skip(lines.at(off), "invalid JSON", err)
				return false // the decoder cannot resume after a syntax error
			}
			stixObjectAt(raw, lines.at(off+firstBrace(data[off:])), rep, add)
		}
		return true
	}
	switch tok {
	case json.Delim('['):
		objects()
		return nil
	case json.Delim('{'):
	default:
		return errors.New("not a STIX bundle or object")
	}
	top := map[string]json.RawMessage{}
	sawObjects := false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			rep.skip(lines.at(int(dec.InputOffset())), "invalid JSON", err)
			return nil
		}
		key, _ := kt.(string)
		if key == "objects" {
			t, err := dec.Token()
			if err != nil || t != json.Delim('[') {
				rep.skip(lines.at(int(dec.InputOffset())), "invalid bundle", errors.New(`"objects" is not an array`))
				return nil
			}
			sawObjects = true
			if !objects() {
				return nil
			}
			if _, err := dec.Token(); err != nil { // the closing ']'
				return nil
			}
			continue
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			rep.skip(lines.at(int(dec.InputOffset())), "invalid JSON", err)
			return nil
		}
		top[key] = v
	}
	if !sawObjects {
		// A single object: re-assemble it.
		obj, err := json.Marshal(top)
		if err != nil {
			return err
		}
		stixObjectAt(obj, 1, rep, add)
	}
	return nil
}

func firstBrace(b []byte) int {
	if i := bytes.IndexByte(b, '{'); i >= 0 {
		return i
	}
	return 0
}

// lineCounter turns byte offsets (visited in increasing order) into 1-based line numbers without
// rescanning the file for each object.
type lineCounter struct {
	data      []byte
	off, line int
}

func (l *lineCounter) at(off int) int {
	off = min(max(off, 0), len(l.data))
	if off < l.off {
		l.off, l.line = 0, 0
	}
	l.line += bytes.Count(l.data[l.off:off], []byte("\n"))
	l.off = off
	return l.line + 1
}

func stixObjectAt(raw json.RawMessage, line int, rep *FileReport, add sink) {
	var o stixObject
	if err := json.Unmarshal(raw, &o); err != nil {
		rep.skip(line, "bad STIX object", err)
		return
	}
	if o.Type != "indicator" {
		rep.ignore("object type " + clip(o.Type))
		return
	}
	id := o.ID
	if id == "" {
		id = "indicator without id"
	}
	if o.Revoked {
		rep.skip(line, "revoked", fmt.Errorf("%s: revoked", id))
		return
	}
	if o.PatternType != "" && o.PatternType != "stix" {
		rep.skip(line, "pattern_type "+clip(o.PatternType), fmt.Errorf("%s: pattern_type %q is not supported", id, clip(o.PatternType)))
		return
	}
	ind := Indicator{Confidence: -1}
	if len(o.Confidence) > 0 && string(o.Confidence) != "null" {
		var c float64
		if err := json.Unmarshal(o.Confidence, &c); err != nil || c < 0 || c > 100 {
			rep.skip(line, "bad confidence", fmt.Errorf("%s: confidence %s is not 0-100", id, clip(string(o.Confidence))))
			return
		}
		ind.Confidence = int(c)
	}
	if o.ValidUntil != "" {
		t, err := time.Parse(time.RFC3339Nano, o.ValidUntil)
		if err != nil {
			rep.skip(line, "bad valid_until", fmt.Errorf("%s: valid_until: %v", id, err))
			return
		}
		ind.Expires = t
	}
	terms, partial, err := parsePattern(o.Pattern)
	if err != nil {
		rep.skip(line, "unsupported pattern: "+reasonOf(err), fmt.Errorf("%s: pattern %q: %v", id, clip(o.Pattern), err))
		return
	}
	if partial != nil {
		// The OR'd terms we understand are each sufficient on their own, so they are kept.
		rep.ignore("pattern partly unsupported: " + reasonOf(partial))
	}
	for _, t := range terms {
		ind.Kind, ind.Value = t.kind, t.value
		add(line, ind)
	}
}

func (r *FileReport) ignore(reason string) {
	r.Ignored++
	if r.Reasons == nil {
		r.Reasons = map[string]int{}
	}
	r.Reasons[reason]++
}

// patternError is an unsupported or malformed pattern; reason is short and stable, for counting.
type patternError struct{ reason, detail string }

func (e *patternError) Error() string {
	if e.detail == "" {
		return e.reason
	}
	return e.reason + ": " + e.detail
}

func reasonOf(err error) string {
	var pe *patternError
	if errors.As(err, &pe) {
		return pe.reason
	}
	return err.Error()
}

type term struct {
	kind  Kind
	value string
}

// parsePattern understands the part of STIX patterning that describes plain indicators:
// observation expressions "[comparison OR comparison …]" joined by OR, where a comparison is
// ipv4-addr:value, ipv6-addr:value, domain-name:value, url:value or file:hashes.<MD5|SHA-1|SHA-256>
// compared with '=', IN ('a', 'b') or (addresses) ISSUBSET. AND, FOLLOWEDBY, NOT, qualifiers
// and other objects make a pattern unsupported, because matching only a part of an AND would
// raise false alarms. Unsupported comparisons inside a disjunction are returned as partial, the
// rest is still usable.
func parsePattern(s string) (terms []term, partial error, err error) {
	p := &patParser{s: s}
	defer func() {
		if err == nil && len(terms) == 0 {
			if partial != nil {
				err, partial = partial, nil
			} else {
				err = &patternError{reason: "empty pattern"}
			}
		}
	}()
	for {
		p.space()
		if p.eof() {
			break
		}
		if !p.lit("[") {
			if p.keyword("(") {
				return nil, nil, &patternError{reason: "parenthesised observations"}
			}
			return nil, nil, &patternError{reason: "syntax", detail: "expected '[' at offset " + fmt.Sprint(p.i)}
		}
		for {
			t, perr := p.comparison()
			var pe *patternError
			if perr != nil && errors.As(perr, &pe) && pe.reason == "syntax" {
				return nil, nil, perr
			}
			if perr != nil {
				if partial == nil {
					partial = perr
				}
			} else {
				terms = append(terms, t...)
			}
			p.space()
			switch {
			case p.lit("]"):
			case p.word("OR"):
				continue
			case p.word("AND"):
				return nil, nil, &patternError{reason: "AND"}
			default:
				return nil, nil, &patternError{reason: "syntax", detail: "expected OR or ']' at offset " + fmt.Sprint(p.i)}
			}
			break
		}
		p.space()
		switch {
		case p.eof():
		case p.word("OR"):
			continue
		case p.word("AND"):
			return nil, nil, &patternError{reason: "AND"}
		case p.word("FOLLOWEDBY"):
			return nil, nil, &patternError{reason: "FOLLOWEDBY"}
		case p.word("WITHIN"), p.word("REPEATS"), p.word("START"):
			return nil, nil, &patternError{reason: "qualifier"}
		default:
			return nil, nil, &patternError{reason: "syntax", detail: "unexpected text at offset " + fmt.Sprint(p.i)}
		}
	}
	return terms, partial, nil
}

type patParser struct {
	s string
	i int
}

func (p *patParser) eof() bool { return p.i >= len(p.s) }

func (p *patParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *patParser) lit(s string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], s) {
		p.i += len(s)
		return true
	}
	return false
}

func (p *patParser) keyword(s string) bool {
	p.space()
	return strings.HasPrefix(p.s[p.i:], s)
}

// word consumes a keyword (case-sensitive, as STIX requires) followed by a non-word character.
func (p *patParser) word(w string) bool {
	p.space()
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	if j := p.i + len(w); j < len(p.s) && isWordByte(p.s[j]) {
		return false
	}
	p.i += len(w)
	return true
}

// atWord reports whether keyword w starts exactly at the current position.
func (p *patParser) atWord(w string) bool {
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	j := p.i + len(w)
	return j >= len(p.s) || !isWordByte(p.s[j])
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// path reads an object path such as file:hashes.'SHA-256'.
func (p *patParser) path() (string, error) {
	p.space()
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case isWordByte(c) || c == ':' || c == '.':
			p.i++
		case c == '\'':
			end := strings.IndexByte(p.s[p.i+1:], '\'')
			if end < 0 {
				return "", &patternError{reason: "syntax", detail: "unterminated quote in path"}
			}
			p.i += end + 2
		case c == '[':
			// A list index (x:refs[*].value): skip to its end so the caller can skip the rest.
			end := strings.IndexByte(p.s[p.i:], ']')
			if end < 0 {
				return "", &patternError{reason: "syntax", detail: "unterminated list index"}
			}
			p.i += end + 1
			return "", &patternError{reason: "list index in path"}
		default:
			return p.s[start:p.i], nil
		}
	}
	return p.s[start:p.i], nil
}

// str reads a quoted string literal with \' and \\ escapes.
func (p *patParser) str() (string, error) {
	p.space()
	if p.eof() || p.s[p.i] != '\'' {
		// Numbers, booleans and h'…', b'…', t'…' constants: consume them so the caller can go
		// on, but they never describe an indicator we index.
		j := p.i
		for j < len(p.s) && (isWordByte(p.s[j]) || p.s[j] == '.' || p.s[j] == '+') {
			j++
		}
		if j < len(p.s) && j == p.i+1 && p.s[j] == '\'' {
			p.i = j
			if _, err := p.str(); err != nil {
				return "", err
			}
			return "", &patternError{reason: "non-string constant"}
		}
		if j > p.i {
			p.i = j
			return "", &patternError{reason: "non-string constant"}
		}
		return "", &patternError{reason: "syntax", detail: "expected a quoted string at offset " + fmt.Sprint(p.i)}
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '\\':
			if p.i+1 >= len(p.s) {
				return "", &patternError{reason: "syntax", detail: "unterminated string"}
			}
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case '\'':
			p.i++
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", &patternError{reason: "syntax", detail: "unterminated string"}
}

func (p *patParser) comparison() ([]term, error) {
	p.space()
	if p.word("NOT") {
		return nil, p.skipComparison(&patternError{reason: "NOT"})
	}
	path, err := p.path()
	if err != nil {
		return nil, p.skipUnlessSyntax(err)
	}
	if path == "" {
		return nil, &patternError{reason: "syntax", detail: "expected an object path at offset " + fmt.Sprint(p.i)}
	}
	kind, kerr := pathKind(path)
	p.space()
	if p.word("NOT") {
		return nil, p.skipComparison(&patternError{reason: "NOT"})
	}
	var op string
	switch {
	case p.lit("!="):
		op = "!="
	case p.lit("<="), p.lit(">="), p.lit("<"), p.lit(">"):
		op = "ordering"
	case p.lit("="):
		op = "="
	case p.word("IN"):
		op = "IN"
	case p.word("ISSUBSET"):
		op = "ISSUBSET"
	case p.word("ISSUPERSET"):
		op = "ISSUPERSET"
	case p.word("LIKE"):
		op = "LIKE"
	case p.word("MATCHES"):
		op = "MATCHES"
	default:
		return nil, &patternError{reason: "syntax", detail: "expected an operator at offset " + fmt.Sprint(p.i)}
	}
	var values []string
	if op == "IN" {
		if !p.lit("(") {
			return nil, &patternError{reason: "syntax", detail: "expected '(' after IN"}
		}
		for {
			v, err := p.str()
			if err != nil {
				return nil, p.skipUnlessSyntax(err)
			}
			values = append(values, v)
			if p.lit(")") {
				break
			}
			if !p.lit(",") {
				return nil, &patternError{reason: "syntax", detail: "expected ',' or ')' in IN list"}
			}
		}
	} else {
		v, err := p.str()
		if err != nil {
			return nil, p.skipUnlessSyntax(err)
		}
		values = []string{v}
	}
	if kerr != nil {
		return nil, kerr
	}
	switch op {
	case "=", "IN":
	case "ISSUBSET":
		if kind != KindIP {
			return nil, &patternError{reason: "operator ISSUBSET on " + path}
		}
	default:
		return nil, &patternError{reason: "operator " + op}
	}
	out := make([]term, len(values))
	for i, v := range values {
		out[i] = term{kind: kind, value: v}
	}
	return out, nil
}

func (p *patParser) skipUnlessSyntax(err error) error {
	var pe *patternError
	if errors.As(err, &pe) && pe.reason == "syntax" {
		return err
	}
	return p.skipComparison(err)
}

// skipComparison consumes the rest of a comparison we will not use, so parsing can go on.
func (p *patParser) skipComparison(reason error) error {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '\'':
			if _, err := p.str(); err != nil {
				return err
			}
			continue
		case ']':
			return reason
		}
		if p.i > 0 && !isWordByte(p.s[p.i-1]) && (p.atWord("OR") || p.atWord("AND")) {
			return reason
		}
		p.i++
	}
	return reason
}

func pathKind(path string) (Kind, error) {
	obj, prop, ok := strings.Cut(path, ":")
	if !ok {
		return 0, &patternError{reason: "syntax", detail: "object path without ':': " + clip(path)}
	}
	switch obj {
	case "ipv4-addr", "ipv6-addr":
		if prop == "value" {
			return KindIP, nil
		}
	case "domain-name":
		if prop == "value" {
			return KindDomain, nil
		}
	case "url":
		if prop == "value" {
			return KindURL, nil
		}
	case "file":
		if h, ok := strings.CutPrefix(prop, "hashes."); ok {
			h = strings.ToUpper(strings.ReplaceAll(strings.Trim(h, "'"), "-", ""))
			switch h {
			case "MD5":
				return KindMD5, nil
			case "SHA1":
				return KindSHA1, nil
			case "SHA256":
				return KindSHA256, nil
			}
			return 0, &patternError{reason: "hash " + clip(h)}
		}
	}
	return 0, &patternError{reason: "object path " + clip(path)}
}
