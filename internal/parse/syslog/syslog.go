// Package syslog parses syslog lines and the OpenSSH, PAM and Cowrie messages that travel in them.
//
// Accepted shapes, one record per line:
//
//   - RFC 3164 (BSD syslog): an optional <PRI>, a "Mmm dd hh:mm:ss" timestamp (day padded with a space
//     or a zero, or unpadded), optionally with the year ("Mmm dd yyyy hh:mm:ss"), the host, a tag
//     ("sshd[123]:", "sshd-session[1]:", "sshd(pam_unix)[19939]:", "logrotate:") and the message. Lines
//     without a tag keep their whole remainder as the message.
//   - The RFC 3339 variant rsyslog and journald write: "2022-02-13T10:09:11.521Z host tag[pid]: msg".
//   - RFC 5424: "<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID [SD-ELEMENT…] MSG", with the structured
//     data parsed (escapes \" \\ \] undone) and a BOM before MSG dropped.
//
// RFC 3164 timestamps have no year and usually no zone: the parser takes the year that puts the time at
// most a day ahead of the decoder's clock (so December lines read in January fall in the year before)
// and reads the time as UTC.
//
// Messages of OpenSSH's sshd (also sshd-session, OpenSSH 9.8+), of pam_unix for any service, and of the
// Cowrie honeypot's text log are parsed into auth columns (auth_event, auth_method, …) and the core
// actor, address and outcome fields; see sshd.go and cowrie.go.
package syslog

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Class names (OCSF). Authentication covers log-on attempts, their results and sessions; SSH Activity
// (OCSF class 4007) covers the SSH connection-level events around them (connections, disconnects,
// negotiation failures, timeouts); every other syslog line is a Base Event (OCSF class 0), since a
// generic syslog message says nothing about which class it would belong to.
const (
	classAuth    = "Authentication"
	classSSH     = "SSH Activity"
	classNetwork = "Network Activity"
	classBase    = "Base Event"
)

// Format is the syslog log type.
var Format = &parse.Format{
	Name:  "syslog",
	Title: "Syslog (RFC 3164 / RFC 5424) with OpenSSH auth messages",
	Doc: "Syslog lines as written to /var/log/auth.log, /var/log/secure or /var/log/messages, or received by a " +
		"syslog server: RFC 3164 (\"Mmm dd hh:mm:ss host tag[pid]: message\", with optional <PRI> and year), the " +
		"RFC 3339-timestamped variant of rsyslog and journald, and RFC 5424 with structured data. RFC 3164 lines carry " +
		"no year: the year is chosen so that the time is at most a day ahead of the ingest clock; times without a zone " +
		"are UTC. OpenSSH sshd messages (failed and accepted logins, invalid users, pre-auth disconnects, negotiation " +
		"failures, timeouts …), pam_unix messages of any service and Cowrie honeypot text messages are parsed into " +
		"auth_event and related columns and the core actor_user, src_ip, src_port and outcome. class_name is " +
		"Authentication for log-on attempts and sessions, SSH Activity for SSH connection events and Base Event otherwise.",
	Kind:   parse.Text,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "facility", Type: event.Integer, Doc: "Syslog facility (0 kern, 1 user, 4 auth, 10 authpriv, 16–23 local0–7), from <PRI>; NULL without one."},
		{Name: "syslog_severity", Type: event.Integer, Doc: "Syslog severity from <PRI>: 0 emerg … 3 err, 4 warning, 5 notice, 6 info, 7 debug; NULL without one."},
		{Name: "app_name", Type: event.Varchar, Doc: "Program: the RFC 3164 tag without [pid] (sshd, sshd(pam_unix), cowrie) or the RFC 5424 APP-NAME."},
		{Name: "procid", Type: event.Varchar, Doc: "Process id from tag[pid] or the RFC 5424 PROCID."},
		{Name: "msgid", Type: event.Varchar, Doc: "RFC 5424 MSGID."},
		{Name: "message", Type: event.Varchar, Doc: "The free-text message."},
		{Name: "structured_data", Type: event.JSONType, Doc: "RFC 5424 structured data as {SD-ID: {PARAM: value}}; parameters are also addressable as structured_data.<SD-ID>.<PARAM>."},
		{Name: "auth_event", Type: event.Varchar, Doc: "Kind of OpenSSH/PAM/Cowrie message: failed_password, accepted_publickey, invalid_user, " +
			"connection_closed_preauth, preauth_timeout, pam_auth_failure, cowrie.login.failed … (also in activity)."},
		{Name: "auth_method", Type: event.Varchar, Doc: "SSH authentication method as logged: password, publickey, none, keyboard-interactive/pam …"},
		{Name: "invalid_user", Type: event.Boolean, Doc: "Whether sshd said the user does not exist (\"invalid user\"); NULL when the message does not say."},
		{Name: "ssh_key_type", Type: event.Varchar, Doc: "Key type of a public-key login (RSA, ED25519, ECDSA, RSA-CERT …)."},
		{Name: "ssh_key_fingerprint", Type: event.Varchar, Doc: "Key fingerprint of a public-key login (SHA256:…)."},
		{Name: "repeat_count", Type: event.Integer, Doc: "N of \"message repeated N times: [ … ]\" and of PAM's \"N more authentication failures\"."},
		{Name: "remote_host", Type: event.Varchar, Doc: "Client host name where the message gives one (reverse-mapping warnings, PAM rhost, tcp_wrappers)."},
		{Name: "ruser", Type: event.Varchar, Doc: "PAM ruser: the user requesting authentication (for su, who ran it)."},
		{Name: "reason", Type: event.Varchar, Doc: "Reason text of disconnects, negotiation failures and refusals."},
		{Name: "client_version", Type: event.Varchar, Doc: "Client identification string (bad protocol version lines, Cowrie)."},
		{Name: "password", Type: event.Varchar, Doc: "Password tried, where a honeypot logs it (Cowrie login attempts)."},
		{Name: "command", Type: event.Varchar, Doc: "Command entered in a honeypot session (Cowrie CMD lines)."},
		{Name: "session", Type: event.Varchar, Doc: "Honeypot session id (Cowrie)."},
	},
	New: func() parse.Parser { return newParser() },
}

func init() { parse.Register(Format) }

// parser keeps the buffers reused from record to record: the field map, the structured-data JSON and
// its parser. The events it fills alias them until the next call, as event.Event allows.
type parser struct {
	now    func() time.Time
	nowT   time.Time
	nowN   int
	fields fields
	a      auth
	sdBuf  []byte
	sdJSON fastjson.Parser
}

func newParser() *parser { return &parser{now: time.Now} }

// SetClock implements parse.ClockUser: RFC 3164 timestamps take their year from it.
func (p *parser) SetClock(now func() time.Time) {
	p.now = now
	p.nowN = 0
}

// clock returns the current time, read afresh every 1024 records: the year rule needs only day
// precision and reading the clock per line would cost more than the rest of the timestamp.
func (p *parser) clock() time.Time {
	if p.nowN == 0 || p.nowN >= 1024 {
		p.nowT = p.now().UTC()
		p.nowN = 0
	}
	p.nowN++
	return p.nowT
}

// header is the syslog envelope of one line. All strings alias the record.
type header struct {
	pri      int // -1 when absent
	rfc5424  bool
	ts       string
	tsKind   tsKind
	host     string
	app      string
	procid   string
	msgid    string
	sd       string
	msg      string
	hasTag   bool
	tsFields bsdTime
}

type tsKind uint8

const (
	tsNone tsKind = iota
	tsBSD
	tsRFC3339
)

// bsdTime is an RFC 3164 timestamp before its year is known.
type bsdTime struct {
	month, day, hour, min, sec, year int
}

var errNotSyslog = errors.New("syslog: expected \"Mmm dd hh:mm:ss host tag: message\", an RFC 3339 timestamp and host, or \"<PRI>1 \" (RFC 5424)")

func detect(rec *parse.Record) int {
	if rec.JSON != nil || len(rec.Data) == 0 {
		return 0
	}
	var h header
	if parseHeader(bstr(rec.Data), &h) != nil {
		return 0
	}
	switch {
	case h.rfc5424:
		return 60
	case h.hasTag:
		return 40
	case h.tsKind == tsBSD:
		// A timestamp and a host but no tag: syslog-like, but so are many other logs.
		return 20
	default:
		// An RFC 3339 timestamp and a word: most application logs start that way.
		return 10
	}
}

// bstr views b as a string without copying. The record's bytes outlive every use of the result (see
// parse.Record and event.Event), and nothing writes to them while they are in use.
func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// parseHeader splits line into its syslog header and message.
func parseHeader(line string, h *header) error {
	h.pri = -1
	s := line
	if len(s) > 0 && s[0] == '<' {
		end := strings.IndexByte(s, '>')
		if end < 2 || end > 4 {
			return fmt.Errorf("syslog: expected <PRI> of 1–3 digits, found %q", clip(s, 8))
		}
		pri, ok := atoi(s[1:end])
		if !ok || pri > 191 {
			return fmt.Errorf("syslog: expected <PRI> between 0 and 191, found %q", s[:end+1])
		}
		h.pri = pri
		s = s[end+1:]
		if len(s) >= 2 && s[0] == '1' && s[1] == ' ' {
			return parse5424(s[2:], h)
		}
	}
	// RFC 3164 or its RFC 3339 variant.
	if len(s) >= 15 && isUpper(s[0]) {
		n, ok := parseBSDTime(s, &h.tsFields)
		if !ok {
			return errNotSyslog
		}
		h.ts, h.tsKind = s[:n], tsBSD
		s = s[n:]
	} else if len(s) >= 19 && isDigit(s[0]) && s[4] == '-' {
		sp := strings.IndexByte(s, ' ')
		if sp < 0 {
			return errNotSyslog
		}
		if _, ok := parseRFC3339(s[:sp]); !ok {
			return fmt.Errorf("syslog: expected an RFC 3339 timestamp, found %q", clip(s[:sp], 40))
		}
		h.ts, h.tsKind = s[:sp], tsRFC3339
		s = s[sp:]
	} else {
		return errNotSyslog
	}
	if len(s) == 0 || s[0] != ' ' {
		return errNotSyslog
	}
	s = strings.TrimLeft(s, " ")
	// Host. A first token that is already a tag ("sshd[1]:") means the host was left out, as local
	// syslog daemons on some systems do.
	tok, rest := cutSpace(s)
	if tok == "" {
		return fmt.Errorf("syslog: expected a host name after the timestamp, found %q", clip(s, 20))
	}
	if app, pid, ok := splitTag(tok); ok && rest != "" {
		h.app, h.procid, h.hasTag = app, pid, true
		h.msg = rest
		return nil
	}
	h.host = tok
	s = strings.TrimLeft(rest, " ")
	tok, rest = cutSpace(s)
	if app, pid, ok := splitTag(tok); ok {
		h.app, h.procid, h.hasTag = app, pid, true
		h.msg = rest
	} else {
		h.msg = s
	}
	return nil
}

// splitTag splits an RFC 3164 tag token "app[pid]:" or "app:" (the colon is required).
func splitTag(tok string) (app, pid string, ok bool) {
	if len(tok) < 2 || tok[len(tok)-1] != ':' {
		return "", "", false
	}
	tok = tok[:len(tok)-1]
	if tok[len(tok)-1] == ']' {
		i := strings.LastIndexByte(tok, '[')
		if i <= 0 {
			return "", "", false
		}
		pid = tok[i+1 : len(tok)-1]
		tok = tok[:i]
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == '(' || c == ')' || c == '@') {
			return "", "", false
		}
	}
	return tok, pid, tok != ""
}

// parse5424 parses what follows "<PRI>1 ".
func parse5424(s string, h *header) error {
	h.rfc5424 = true
	var parts [5]string
	for i := range parts {
		tok, rest, ok := strings.Cut(s, " ")
		if !ok && i < 4 {
			return fmt.Errorf("syslog: RFC 5424 header: expected TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, found only %d fields", i+1)
		}
		if tok == "" {
			return fmt.Errorf("syslog: RFC 5424 header: expected %s, found an empty field", [...]string{"TIMESTAMP", "HOSTNAME", "APP-NAME", "PROCID", "MSGID"}[i])
		}
		parts[i] = nil5424(tok)
		s = rest
		if !ok {
			s = ""
		}
	}
	if parts[0] != "" {
		if _, ok := parseRFC3339(parts[0]); !ok {
			return fmt.Errorf("syslog: RFC 5424 TIMESTAMP: expected RFC 3339, found %q", clip(parts[0], 40))
		}
		h.ts, h.tsKind = parts[0], tsRFC3339
	}
	h.host, h.app, h.procid, h.msgid = parts[1], parts[2], parts[3], parts[4]
	h.hasTag = h.app != ""
	switch {
	case s == "":
		return fmt.Errorf("syslog: RFC 5424: expected STRUCTURED-DATA after MSGID, found the end of the line")
	case s[0] == '-':
		s = s[1:]
	case s[0] == '[':
		n, err := scanSD(s)
		if err != nil {
			return err
		}
		h.sd = s[:n]
		s = s[n:]
	default:
		return fmt.Errorf("syslog: RFC 5424: expected STRUCTURED-DATA (\"-\" or \"[…]\"), found %q", clip(s, 20))
	}
	if s != "" {
		if s[0] != ' ' {
			return fmt.Errorf("syslog: RFC 5424: expected a space after STRUCTURED-DATA, found %q", clip(s, 20))
		}
		s = s[1:]
	}
	h.msg = strings.TrimPrefix(s, "\ufeff")
	return nil
}

func nil5424(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	line := bstr(rec.Data)
	var h header
	if err := parseHeader(line, &h); err != nil {
		return err
	}
	switch h.tsKind {
	case tsBSD:
		ev.Time = p.bsdToTime(&h.tsFields)
	case tsRFC3339:
		ev.Time, _ = parseRFC3339(h.ts)
	}
	ev.Host = h.host
	f := &p.fields
	f.reset()
	if h.pri >= 0 {
		f.add("facility", event.Int(int64(h.pri>>3)))
		f.add("syslog_severity", event.Int(int64(h.pri&7)))
		ev.SeverityID = severityID(h.pri & 7)
	}
	if h.app != "" {
		f.add("app_name", event.String(h.app))
	}
	if h.procid != "" {
		f.add("procid", event.String(h.procid))
	}
	if h.msgid != "" {
		f.add("msgid", event.String(h.msgid))
	}
	msg := strings.TrimRight(h.msg, " \t")
	f.add("message", event.String(msg))
	if h.sd != "" {
		v, err := p.structuredData(h.sd)
		if err != nil {
			return err
		}
		f.sd = v
		f.add("structured_data", event.JSON(v))
	}
	ev.Fields = f

	a := &p.a
	*a = auth{}
	switch {
	case strings.HasPrefix(msg, "pam_unix(") || strings.HasSuffix(h.app, "(pam_unix)"):
		parsePAM(msg, a)
	case isSSHD(h.app):
		parseSSHD(msg, a)
	case h.app == "cowrie":
		if t, ok := parseCowrie(msg, a); ok && !t.IsZero() {
			ev.Time = t
		}
	}
	ev.ClassName = classBase
	if a.event != "" {
		a.apply(ev, f)
	}
	return nil
}

// isSSHD reports whether app is OpenSSH's server: sshd, sshd-session (the per-connection process of
// OpenSSH 9.8+), sshd-auth, and the PAM-annotated tag sshd(pam_unix) of older Red Hat systems.
func isSSHD(app string) bool {
	if !strings.HasPrefix(app, "sshd") {
		return false
	}
	switch app[4:] {
	case "", "-session", "-auth", "(pam_unix)":
		return true
	}
	return false
}

// severityID maps a syslog severity to OCSF severity_id.
func severityID(sev int) int {
	switch sev {
	case 0:
		return 6 // emerg: fatal
	case 1, 2:
		return 5 // alert, crit: critical
	case 3:
		return 4 // err: high
	case 4:
		return 3 // warning: medium
	case 5:
		return 2 // notice: low
	default:
		return 1 // info, debug: informational
	}
}

// bsdToTime gives an RFC 3164 timestamp its year: the latest year that puts it no more than a day
// ahead of the clock. Lines that carry their own year keep it.
func (p *parser) bsdToTime(b *bsdTime) time.Time {
	if b.year != 0 {
		return time.Date(b.year, time.Month(b.month), b.day, b.hour, b.min, b.sec, 0, time.UTC)
	}
	now := p.clock()
	limit := now.Add(24 * time.Hour)
	// Feb 29 exists only in leap years, so look back far enough to find one.
	for y := now.Year() + 1; y >= now.Year()-8; y-- {
		t := time.Date(y, time.Month(b.month), b.day, b.hour, b.min, b.sec, 0, time.UTC)
		if t.Day() != b.day {
			continue
		}
		if !t.After(limit) {
			return t
		}
	}
	return time.Date(now.Year()-1, time.Month(b.month), b.day, b.hour, b.min, b.sec, 0, time.UTC)
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// parseBSDTime parses "Mmm dd hh:mm:ss" (day " d", "dd", "d" or "0d"), optionally "Mmm dd yyyy
// hh:mm:ss", at the start of s, and returns its length.
func parseBSDTime(s string, b *bsdTime) (int, bool) {
	*b = bsdTime{}
	b.month = 0
	for i, m := range months {
		if s[:3] == m {
			b.month = i + 1
			break
		}
	}
	if b.month == 0 || s[3] != ' ' {
		return 0, false
	}
	i := 4
	if s[i] == ' ' {
		i++
	}
	d, n := digits(s[i:], 2)
	if n == 0 || d < 1 || d > 31 {
		return 0, false
	}
	b.day = d
	i += n
	if i >= len(s) || s[i] != ' ' {
		return 0, false
	}
	i++
	if y, n := digits(s[i:], 4); n == 4 && i+n < len(s) && s[i+n] == ' ' {
		b.year = y
		i += n + 1
	}
	if len(s) < i+8 || s[i+2] != ':' || s[i+5] != ':' {
		return 0, false
	}
	hh, n1 := digits(s[i:], 2)
	mm, n2 := digits(s[i+3:], 2)
	ss, n3 := digits(s[i+6:], 2)
	if n1 != 2 || n2 != 2 || n3 != 2 || hh > 23 || mm > 59 || ss > 60 {
		return 0, false
	}
	if ss == 60 {
		ss = 59 // a leap second: keep the record, a second early
	}
	b.hour, b.min, b.sec = hh, mm, ss
	i += 8
	// Some daemons add milliseconds ("Mmm dd hh:mm:ss.123"); they are dropped with the rest of the
	// precision RFC 3164 does not have.
	if i < len(s) && s[i] == '.' {
		_, n := digits(s[i+1:], 9)
		i += 1 + n
	}
	return i, true
}

// parseRFC3339 parses an RFC 3339 timestamp ("2006-01-02T15:04:05.999999999Z07:00", zone optional and
// then UTC, also "+hhmm") without allocating, falling back to parse.ParseTime for other shapes.
func parseRFC3339(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	y, n1 := digits(s, 4)
	mo, n2 := digits(s[5:], 2)
	d, n3 := digits(s[8:], 2)
	hh, n4 := digits(s[11:], 2)
	mi, n5 := digits(s[14:], 2)
	se, n6 := digits(s[17:], 2)
	if n1 != 4 || n2 != 2 || n3 != 2 || n4 != 2 || n5 != 2 || n6 != 2 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 || se > 60 {
		return time.Time{}, false
	}
	if se == 60 {
		se = 59
	}
	i := 19
	ns := 0
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			if i-start < 9 {
				ns = ns*10 + int(s[i]-'0')
			}
			i++
		}
		if i == start {
			return time.Time{}, false
		}
		for k := i - start; k < 9; k++ {
			ns *= 10
		}
	}
	off := 0
	switch {
	case i == len(s):
	case s[i] == 'Z' || s[i] == 'z':
		i++
	case s[i] == '+' || s[i] == '-':
		z := s[i+1:]
		var oh, om, n, m int
		switch {
		case len(z) == 5 && z[2] == ':':
			oh, n = digits(z, 2)
			om, m = digits(z[3:], 2)
		case len(z) == 4:
			oh, n = digits(z, 2)
			om, m = digits(z[2:], 2)
		case len(z) == 2:
			oh, n = digits(z, 2)
			m = 2
		}
		if n != 2 || m != 2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = oh*3600 + om*60
		if s[i] == '-' {
			off = -off
		}
		i = len(s)
	default:
		return time.Time{}, false
	}
	if i != len(s) {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, hh, mi, se, ns, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t.Add(-time.Duration(off) * time.Second), true
}

// digits parses up to max leading decimal digits of s.
func digits(s string, max int) (v, n int) {
	for n < max && n < len(s) && isDigit(s[n]) {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n
}

// atoi parses a non-negative decimal of at most 9 digits.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	v, n := digits(s, 9)
	return v, n == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// cutSpace splits s at its first space.
func cutSpace(s string) (string, string) {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// fields is the native fields of one record: an ordered map, plus the parsed structured data so that
// structured_data.<SD-ID>.<PARAM> paths resolve.
type fields struct {
	event.Map
	sd *fastjson.Value
}

func (f *fields) reset() {
	f.Map.Reset()
	f.sd = nil
}

// add appends a field. Keys are unique by construction, so the duplicate check of Map.Set is not needed.
func (f *fields) add(k string, v event.Value) {
	f.Keys = append(f.Keys, k)
	f.Values = append(f.Values, v)
}

// Lookup implements event.Fields.
func (f *fields) Lookup(path string) (event.Value, bool) {
	if v, ok := f.Map.Lookup(path); ok {
		return v, true
	}
	rest, ok := strings.CutPrefix(path, "structured_data.")
	if !ok || f.sd == nil {
		return event.Null, false
	}
	o, err := f.sd.Object()
	if err != nil {
		return event.Null, false
	}
	var found *fastjson.Value
	o.Visit(func(k []byte, v *fastjson.Value) {
		if found != nil {
			return
		}
		id := bstr(k)
		if rest == id {
			found = v
			return
		}
		if param, ok := strings.CutPrefix(rest, id+"."); ok {
			found = v.Get(param)
		}
	})
	if found == nil {
		return event.Null, false
	}
	return event.JSON(found), true
}

// Range implements event.Fields.
func (f *fields) Range(fn func(string, event.Value) bool) { f.Map.Range(fn) }

// auth is what an OpenSSH, PAM or Cowrie message says about an authentication or connection.
type auth struct {
	event, method, user, keyType, keyFP, repeat, remoteHost, ruser, reason string
	clientVersion, password, command, session                              string
	invalid, hasInvalid                                                    bool
	class, outcome                                                         string
	src, dst                                                               netip.Addr
	srcPort, dstPort                                                       int
}

func (a *auth) apply(ev *event.Event, f *fields) {
	ev.Activity = a.event
	ev.ClassName = a.class
	ev.Outcome = a.outcome
	ev.ActorUser = a.user
	ev.SrcIP, ev.SrcPort = a.src, a.srcPort
	ev.DstIP, ev.DstPort = a.dst, a.dstPort
	if a.src.IsValid() || a.dst.IsValid() {
		ev.IPProtocol = "tcp"
	}
	f.add("auth_event", event.String(a.event))
	str := func(k, v string) {
		if v != "" {
			f.add(k, event.String(v))
		}
	}
	str("auth_method", a.method)
	if a.hasInvalid {
		f.add("invalid_user", event.Bool(a.invalid))
	}
	str("ssh_key_type", a.keyType)
	str("ssh_key_fingerprint", a.keyFP)
	if a.repeat != "" {
		f.add("repeat_count", event.Number(a.repeat))
	}
	str("remote_host", a.remoteHost)
	str("ruser", a.ruser)
	str("reason", a.reason)
	str("client_version", a.clientVersion)
	str("password", a.password)
	str("command", a.command)
	str("session", a.session)
}
