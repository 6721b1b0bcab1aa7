// Package cef parses ArcSight Common Event Format lines:
// "CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension",
// bare or after an RFC 3164 or RFC 5424 syslog header (whose host and time are kept), with the
// variants senders produce: "CEF: 0|" with a space, and lines that lost the "CEF:" prefix but keep
// the seven-field header (UniFi). Header fields may escape '|' and '\'; extension values may escape
// '=', '\', newlines and carriage returns, and run up to the next " key=", so they may hold spaces.
package cef

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the cef log type.
var Format = &parse.Format{
	Name:  "cef",
	Title: "ArcSight Common Event Format (CEF)",
	Doc: "Common Event Format lines as sent by firewalls, IDS/IPS, endpoint agents (Trend Micro Deep Security, " +
		"UniFi, Kaspersky, OPSWAT …): \"CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value …\", bare or " +
		"after an RFC 3164 or RFC 5424 syslog header, also as \"CEF: 0|\" and without the \"CEF:\" prefix. The header " +
		"fields are columns; every extension key is a native field (and in the extensions JSON column), custom labels " +
		"(cs1Label=Threat cs1=…) also name their value (Threat), and the common keys are flattened into columns. " +
		"The time is rt, start, end or deviceReceiptTime (epoch milliseconds or \"MMM dd yyyy HH:mm:ss\"), else the syslog " +
		"header time, else a vendor time (UNIFIutcTime).",
	Kind:   parse.Text,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "cef_version", Type: event.Varchar, Doc: "CEF version from the header (0 or 1)."},
		{Name: "device_vendor", Type: event.Varchar, Doc: "Vendor of the sending device."},
		{Name: "device_product", Type: event.Varchar, Doc: "Product of the sending device."},
		{Name: "device_version", Type: event.Varchar, Doc: "Version of the sending device's software."},
		{Name: "signature_id", Type: event.Varchar, Doc: "Device event class id: the vendor's signature or event type."},
		{Name: "name", Type: event.Varchar, Doc: "Human-readable event name (also the activity)."},
		{Name: "severity", Type: event.Varchar, Doc: "Severity as written: 0–10 or Unknown/Low/Medium/High/Very-High."},
		{Name: "extensions", Type: event.JSONType, Doc: "Every extension key and value, as written."},
		{Name: "syslog_host", Type: event.Varchar, Doc: "Host of the syslog header, when there is one."},
		{Name: "act", Type: event.Varchar, Doc: "Action the device took (blocked, Deny, Log …)."},
		{Name: "app", Type: event.Varchar, Doc: "Application protocol (HTTP, SSH …)."},
		{Name: "cat", Type: event.Varchar, Doc: "Device event category."},
		{Name: "msg", Type: event.Varchar, Doc: "Free-text message."},
		{Name: "request", Type: event.Varchar, Doc: "Requested URL (also the url core column)."},
		{Name: "requestMethod", Type: event.Varchar, Doc: "HTTP method."},
		{Name: "suser", Type: event.Varchar, Doc: "Source user name (also actor_user)."},
		{Name: "duser", Type: event.Varchar, Doc: "Destination user name."},
		{Name: "shost", Type: event.Varchar, Doc: "Source host name."},
		{Name: "dhost", Type: event.Varchar, Doc: "Destination host name."},
		{Name: "dvchost", Type: event.Varchar, Doc: "Host name of the device the event is about (Deep Security: the agent)."},
		{Name: "dvc", Type: event.Varchar, Doc: "Address of the device the event is about."},
		{Name: "cef_outcome", Path: "outcome", Type: event.Varchar, Doc: "Outcome as written (the outcome core column holds it normalized)."},
		{Name: "fname", Type: event.Varchar, Doc: "File name."},
		{Name: "fileHash", Type: event.Varchar, Doc: "Hash of the file."},
		{Name: "cs1", Type: event.Varchar, Doc: "Custom string 1 (its name is in cs1Label)."},
		{Name: "cs1Label", Type: event.Varchar, Doc: "Name of custom string 1."},
		{Name: "cs2", Type: event.Varchar, Doc: "Custom string 2."},
		{Name: "cs2Label", Type: event.Varchar, Doc: "Name of custom string 2."},
		{Name: "cs3", Type: event.Varchar, Doc: "Custom string 3."},
		{Name: "cs3Label", Type: event.Varchar, Doc: "Name of custom string 3."},
		{Name: "cs4", Type: event.Varchar, Doc: "Custom string 4."},
		{Name: "cs4Label", Type: event.Varchar, Doc: "Name of custom string 4."},
		{Name: "cs5", Type: event.Varchar, Doc: "Custom string 5."},
		{Name: "cs5Label", Type: event.Varchar, Doc: "Name of custom string 5."},
		{Name: "cs6", Type: event.Varchar, Doc: "Custom string 6."},
		{Name: "cs6Label", Type: event.Varchar, Doc: "Name of custom string 6."},
		{Name: "cn1", Type: event.BigInt, Doc: "Custom number 1 (its name is in cn1Label)."},
		{Name: "cn1Label", Type: event.Varchar, Doc: "Name of custom number 1."},
		{Name: "cn2", Type: event.BigInt, Doc: "Custom number 2."},
		{Name: "cn2Label", Type: event.Varchar, Doc: "Name of custom number 2."},
		{Name: "cn3", Type: event.BigInt, Doc: "Custom number 3."},
		{Name: "cn3Label", Type: event.Varchar, Doc: "Name of custom number 3."},
		{Name: "rt", Type: event.Varchar, Doc: "Receipt time as written."},
	},
	New: func() parse.Parser { return &parser{now: time.Now} },
}

func init() { parse.Register(Format) }

// detect scores "CEF:" followed by a version and six more '|'-terminated fields at 95: that beats
// plain syslog, which carries the same lines. A line without the prefix that still starts with a
// version and the seven-field header scores 60.
func detect(rec *parse.Record) int {
	s := unsafe.String(unsafe.SliceData(rec.Data), len(rec.Data))
	if i := strings.Index(s, "CEF:"); i >= 0 {
		if headerPipes(strings.TrimLeft(s[i+4:], " ")) >= 6 {
			return 95
		}
		return 0
	}
	t := strings.TrimLeft(s, " ")
	if len(t) > 1 && t[0] >= '0' && t[0] <= '9' && t[1] == '|' && headerPipes(t) >= 7 {
		return 60
	}
	return 0
}

// headerPipes counts the unescaped '|' of a CEF header after a numeric version, up to 7.
func headerPipes(s string) int {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0
	}
	n := 0
	for i := 0; i < len(s) && n < 7; i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

type parser struct {
	now func() time.Time
	f   Fields
}

// SetClock implements parse.ClockUser: RFC 3164 syslog headers and "MMM dd HH:mm:ss" times have no
// year.
func (p *parser) SetClock(now func() time.Time) { p.now = now }

var errNoHeader = errors.New(`cef: expected "CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|Extension", found no "CEF:" and no 7-field header`)

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	if len(rec.Data) == 0 {
		return errNoHeader
	}
	s := unsafe.String(unsafe.SliceData(rec.Data), len(rec.Data))
	var prefix, body string
	if i := strings.Index(s, "CEF:"); i >= 0 {
		prefix, body = s[:i], strings.TrimLeft(s[i+4:], " ")
	} else {
		body = strings.TrimLeft(s, " ")
		if len(body) < 2 || body[0] < '0' || body[0] > '9' || headerPipes(body) < 7 {
			return errNoHeader
		}
	}
	var hdr [7]string
	n, ext := splitHeader(body, &hdr)
	if n < 6 || n == 6 && SeverityID(hdr[6]) == 0 && strings.TrimSpace(hdr[6]) != "0" {
		return fmt.Errorf("cef: expected 7 '|'-separated header fields (Version|Vendor|Product|Version|SignatureID|Name|Severity|), found %d", n)
	}
	if !allDigits(strings.TrimSpace(hdr[0])) {
		return fmt.Errorf("cef: expected a numeric version after \"CEF:\", found %q", clip(hdr[0]))
	}
	f := &p.f
	f.reset()
	names := [7]string{"cef_version", "device_vendor", "device_product", "device_version", "signature_id", "name", "severity"}
	for i, v := range hdr {
		f.add(names[i], event.String(unescapeHeader(v)))
	}
	host, hdrTime, zoned := "", time.Time{}, false
	if strings.TrimSpace(prefix) != "" {
		host, hdrTime, zoned = SyslogHeader(prefix, p.now())
		if host != "" {
			f.add("syslog_host", event.String(host))
		}
	}
	f.extStart = len(f.Keys)
	var c core
	if bad := SplitExtension(ext, func(k, v string) {
		c.catch(k, v)
		f.set(k, typed(k, v))
	}); bad != "" {
		ev.Warn("cef: extension text without a key dropped: " + clip(bad))
	}
	f.extEnd = len(f.Keys)
	f.addLabels()
	ev.Fields = f

	ev.Activity = f.Values[5].Str()
	ev.SeverityID = SeverityID(hdr[6])
	p.setTime(ev, &c, hdrTime, zoned)
	ev.SrcIP = parse.ParseIP(c.src)
	if !ev.SrcIP.IsValid() {
		ev.SrcIP = parse.ParseIP(c.c6a2)
	}
	ev.DstIP = parse.ParseIP(c.dst)
	if !ev.DstIP.IsValid() {
		ev.DstIP = parse.ParseIP(c.c6a3)
	}
	ev.SrcPort = parse.ParsePort(c.spt)
	ev.DstPort = parse.ParsePort(c.dpt)
	ev.IPProtocol = Protocol(c.proto)
	ev.ActorUser = c.suser
	ev.URL = c.request
	ev.HTTPMethod = c.requestMethod
	ev.FileHash = c.fileHash
	ev.Outcome = Outcome(c.outcome)
	ev.Disposition = Disposition(c.act)
	ev.UserAgent = c.userAgent
	switch {
	case c.dvchost != "":
		ev.Host = c.dvchost
	case c.dvc != "":
		ev.Host = c.dvc
	case c.shost != "":
		ev.Host = c.shost
	default:
		ev.Host = host
	}
	if c.in != "" || c.out != "" {
		in, _ := event.String(c.in).Int64()
		out, _ := event.String(c.out).Int64()
		ev.Bytes, ev.HasTraffic = in+out, true
	}
	ev.ClassName = "Base Event"
	if ev.SrcIP.IsValid() || ev.DstIP.IsValid() {
		ev.ClassName = "Network Activity"
	}
	return nil
}

// setTime takes the first of rt, start, end and deviceReceiptTime that reads as a time, then the
// syslog header's time, then vendor times. A vendor time in UTC (UNIFIutcTime) is preferred to an
// RFC 3164 header time, which is the sender's local time without a zone.
func (p *parser) setTime(ev *event.Event, c *core, hdrTime time.Time, zoned bool) {
	for _, kv := range [...][2]string{{"rt", c.rt}, {"start", c.start}, {"end", c.end}, {"deviceReceiptTime", c.receipt}} {
		if kv[1] == "" {
			continue
		}
		if t, ok := ParseTime(kv[1], p.now()); ok {
			ev.Time = t
			return
		}
		ev.Warn(fmt.Sprintf("cef: %s %q is not a time", kv[0], clip(kv[1])))
	}
	if !hdrTime.IsZero() && zoned {
		ev.Time = hdrTime
		return
	}
	if c.vendorTime != "" {
		if t, ok := ParseTime(c.vendorTime, p.now()); ok {
			ev.Time = t
			return
		}
	}
	ev.Time = hdrTime
}

// core holds the extension values the core fields are made of, caught while the extension is read
// so that no key is looked up twice.
type core struct {
	src, dst, c6a2, c6a3, spt, dpt, proto        string
	suser, request, requestMethod, fileHash      string
	outcome, act, dvchost, dvc, shost, userAgent string
	in, out, rt, start, end, receipt, vendorTime string
}

func (c *core) catch(k, v string) {
	switch k {
	case "src":
		c.src = v
	case "dst":
		c.dst = v
	case "c6a2":
		c.c6a2 = v
	case "c6a3":
		c.c6a3 = v
	case "spt":
		c.spt = v
	case "dpt":
		c.dpt = v
	case "proto":
		c.proto = v
	case "suser":
		c.suser = v
	case "request":
		c.request = v
	case "requestMethod":
		c.requestMethod = v
	case "requestClientApplication":
		c.userAgent = v
	case "fileHash":
		c.fileHash = v
	case "outcome":
		c.outcome = v
	case "act":
		c.act = v
	case "dvchost":
		c.dvchost = v
	case "dvc":
		c.dvc = v
	case "shost":
		c.shost = v
	case "in":
		c.in = v
	case "out":
		c.out = v
	case "rt":
		c.rt = v
	case "start":
		c.start = v
	case "end":
		c.end = v
	case "deviceReceiptTime":
		c.receipt = v
	case "UNIFIutcTime":
		c.vendorTime = v
	}
}

// splitHeader splits the seven header fields off body and returns how many '|'-terminated fields
// it found and the extension after them. With only six, hdr[6] holds the rest of the line (a
// header whose extension and last '|' are missing).
func splitHeader(body string, hdr *[7]string) (int, string) {
	n, start := 0, 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '|':
			hdr[n] = body[start:i]
			n++
			start = i + 1
			if n == 7 {
				return n, body[start:]
			}
		}
	}
	if n == 6 {
		hdr[6] = body[start:]
	}
	return n, ""
}

// unescapeHeader undoes the header escapes \| and \\.
func unescapeHeader(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\') {
			i++
		}
		b = append(b, s[i])
	}
	return string(b)
}

// SplitExtension reads a CEF extension, "key=value key=value …", calling fn for each pair with
// the value unescaped. A value runs up to the space before the next key; keys are
// [A-Za-z0-9_.-[]]+ followed by '='. It returns the text it had to drop (words before the first
// key), "" when none.
func SplitExtension(s string, fn func(k, v string)) (dropped string) {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	for i < len(s) {
		klen := keyAt(s, i)
		if klen == 0 {
			// Not a key: skip to the next one and report what was skipped.
			j := nextKey(s, i)
			if dropped == "" {
				if j < 0 {
					dropped = s[i:]
				} else {
					dropped = s[i:j]
				}
			}
			if j < 0 {
				return dropped
			}
			i = j + 1
			continue
		}
		k := s[i : i+klen]
		vs := i + klen + 1
		ve := nextKey(s, vs)
		next := ve + 1
		if ve < 0 {
			ve, next = len(s), len(s)
		}
		fn(k, unescapeValue(strings.TrimRight(s[vs:ve], " ")))
		i = next
	}
	return dropped
}

// keyAt returns the length of the key at s[i:] when a key and '=' start there, else 0.
func keyAt(s string, i int) int {
	j := i
	for j < len(s) && isKeyChar(s[j]) {
		j++
	}
	if j == i || j >= len(s) || s[j] != '=' {
		return 0
	}
	return j - i
}

// nextKey returns the index of the space that precedes the next key at or after i, or -1.
func nextKey(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ' ':
			if keyAt(s, i+1) > 0 {
				return i
			}
		}
	}
	return -1
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '[' || c == ']'
}

// unescapeValue undoes the extension escapes \= \\ \n \r (and \|, which some senders use). Other
// backslashes are kept: Windows paths are often sent unescaped.
func unescapeValue(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '=', '\\', '|':
				b = append(b, s[i+1])
				i++
				continue
			case 'n':
				b = append(b, '\n')
				i++
				continue
			case 'r':
				b = append(b, '\r')
				i++
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// typed returns numbers for the extension keys the CEF dictionary defines as integers, so that
// they sort and compare as numbers.
func typed(k, v string) event.Value {
	switch k {
	case "spt", "dpt", "in", "out", "cnt", "cn1", "cn2", "cn3", "fsize", "oldFileSize", "dvcpid", "spid", "dpid",
		"sourceTranslatedPort", "destinationTranslatedPort", "type", "rt", "start", "end", "deviceReceiptTime":
		if isInt(v) {
			return event.Number(v)
		}
	}
	return event.String(v)
}

// isInt reports whether s is an integer as JSON writes it (no leading zeros, no '+').
func isInt(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) > 1 && s[0] == '0' {
		return false
	}
	return len(s) > 0 && len(s) <= 18 && allDigits(s)
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// Fields are the native fields of a CEF (or LEEF) record: the header fields, the syslog host and
// every extension key in record order, then the names custom labels give (cs1Label=Threat adds
// Threat). It embeds an event.Map that parsers reuse from record to record; Lookup also answers
// the extension object (or the name given to ExtName) with all extension keys as JSON.
type Fields struct {
	event.Map
	// ExtName is the name under which Lookup returns the extension keys as one JSON object.
	ExtName string

	extStart, extEnd int
	// index finds extension keys once there are many: records with thousands of keys would make
	// the linear search quadratic.
	index map[string]int
	jp    fastjson.Parser
	buf   []byte
	obj   *fastjson.Value
}

// indexFrom is the number of extension keys above which set uses the index.
const indexFrom = 32

func (f *Fields) reset() {
	f.Map.Reset()
	if len(f.index) > 0 {
		clear(f.index)
	}
	f.obj = nil
	f.extStart, f.extEnd = 0, 0
}

// add appends a field the caller knows to be new.
func (f *Fields) add(k string, v event.Value) {
	f.Keys = append(f.Keys, k)
	f.Values = append(f.Values, v)
}

// set adds an extension field; a key repeated in the extension keeps its last value.
func (f *Fields) set(k string, v event.Value) {
	n := len(f.Keys) - f.extStart
	if n < indexFrom {
		for i := f.extStart; i < len(f.Keys); i++ {
			if f.Keys[i] == k {
				f.Values[i] = v
				return
			}
		}
		f.add(k, v)
		return
	}
	if f.index == nil {
		f.index = make(map[string]int, 2*indexFrom)
	}
	if len(f.index) == 0 {
		for i := f.extStart; i < len(f.Keys); i++ {
			f.index[f.Keys[i]] = i
		}
	}
	if i, ok := f.index[k]; ok {
		f.Values[i] = v
		return
	}
	f.index[k] = len(f.Keys)
	f.add(k, v)
}

// addLabels names custom fields after their labels: "cs1Label=Threat cs1=x" adds Threat=x, unless
// a field of that name exists.
func (f *Fields) addLabels() {
	for i := f.extStart; i < f.extEnd; i++ {
		k := f.Keys[i]
		base, ok := strings.CutSuffix(k, "Label")
		if !ok || base == "" {
			continue
		}
		label := f.Values[i].Str()
		if label == "" {
			continue
		}
		if f.has(label) {
			continue
		}
		if j, ok := f.find(base); ok {
			f.add(label, f.Values[j])
		}
	}
}

// find returns the position of an extension key.
func (f *Fields) find(k string) (int, bool) {
	if len(f.index) > 0 {
		i, ok := f.index[k]
		return i, ok
	}
	for i := f.extStart; i < f.extEnd; i++ {
		if f.Keys[i] == k {
			return i, true
		}
	}
	return 0, false
}

// has reports whether any field is named k: the header fields, then the extension keys.
func (f *Fields) has(k string) bool {
	for i := 0; i < f.extStart; i++ {
		if f.Keys[i] == k {
			return true
		}
	}
	if _, ok := f.find(k); ok {
		return true
	}
	for i := f.extEnd; i < len(f.Keys); i++ {
		if f.Keys[i] == k {
			return true
		}
	}
	return false
}

// Begin starts a record: it empties f and marks where the extension fields begin. For package
// leef, which fills the header itself.
func (f *Fields) Begin() { f.reset() }

// Add appends a header field. For package leef.
func (f *Fields) Add(k string, v event.Value) { f.add(k, v) }

// StartExtension marks the following fields as extension fields. For package leef.
func (f *Fields) StartExtension() { f.extStart = len(f.Keys) }

// Set adds an extension field, replacing a repeated key. For package leef.
func (f *Fields) Set(k string, v event.Value) { f.set(k, v) }

// EndExtension closes the extension fields and adds the names custom labels give. For package leef.
func (f *Fields) EndExtension() {
	f.extEnd = len(f.Keys)
	f.addLabels()
}

// Lookup implements event.Fields.
func (f *Fields) Lookup(path string) (event.Value, bool) {
	name := f.ExtName
	if name == "" {
		name = "extensions"
	}
	if path == name {
		if _, shadowed := f.Map.Lookup(path); !shadowed {
			return event.JSON(f.extensions()), true
		}
	}
	return f.Map.Lookup(path)
}

// extensions builds the extension object once per record, on demand: most consumers never ask.
// It writes the JSON text and parses it, which stays linear in the number of keys (fastjson's
// Object.Set searches for the key it sets).
func (f *Fields) extensions() *fastjson.Value {
	if f.obj != nil {
		return f.obj
	}
	b := append(f.buf[:0], '{')
	for i := f.extStart; i < f.extEnd; i++ {
		if i > f.extStart {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.Keys[i])
		b = append(b, ':')
		if v := f.Values[i]; v.Kind() == event.KindNumber {
			b = append(b, v.Str()...)
		} else {
			b = appendJSONString(b, v.Str())
		}
	}
	b = append(b, '}')
	f.buf = b
	o, err := f.jp.ParseBytes(b)
	if err != nil {
		// Cannot happen for text written above; an empty object is the safe answer.
		o, _ = f.jp.Parse("{}")
	}
	f.obj = o
	return o
}

// appendJSONString appends s as a JSON string, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
