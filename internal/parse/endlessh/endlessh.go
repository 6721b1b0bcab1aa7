// Package endlessh parses the logs of Endlessh, the SSH tarpit that keeps clients waiting on an
// endless banner, and of its Go port endlessh-go.
//
// Accepted shapes, one record per line:
//
//   - Endlessh (skeeto/endlessh, -v): "2022-02-13T10:42:17.813Z ACCEPT host=::ffff:1.2.3.4 port=39590 fd=4 n=1/4096",
//     "… CLOSE host=… port=… fd=… time=20.017 bytes=20", the startup settings ("Port 22", "Delay 10000",
//     "MaxLineLength 32", "MaxClients 4096", "BindFamily IPv4 Mapped IPv6", "LogLevel 1"), "TOTALS
//     connects=… seconds=… bytes=…", and -vv debug lines ("write(4) = 25"), each kept as an event;
//   - endlessh-go (glog): "I0613 10:22:21.684962       1 client.go:58] ACCEPT host=… port=… n=2/4096";
//   - either of them behind a syslog or journald prefix ("Feb 13 10:42:17 host endlessh[812]: 2022-02-13T… ACCEPT …").
//
// glog timestamps have no year; it is taken from the decoder's clock (the latest year that puts the
// time at most a day ahead), and they are read as UTC.
package endlessh

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the endlessh log type.
var Format = &parse.Format{
	Name:  "endlessh",
	Title: "Endlessh SSH tarpit",
	Doc: "Logs of the Endlessh SSH tarpit (and of endlessh-go, whose glog lines are accepted too), as written to " +
		"stdout with -v, bare or behind a syslog/journald prefix. ACCEPT and CLOSE lines become Network Activity " +
		"events with the client in src_ip (IPv4-mapped IPv6 addresses unmapped) and src_port, and, for CLOSE, the " +
		"bytes sent to the client in bytes and the time it was held in time_spent. Startup settings (Port, Delay, " +
		"MaxLineLength, MaxClients, BindFamily) and TOTALS lines are Application Lifecycle events with the setting " +
		"or totals in their columns; debug lines are kept as Base Events. The activity is the line's keyword " +
		"(ACCEPT, CLOSE, Port, TOTALS …).",
	Kind:   parse.Text,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "event", Type: event.Varchar, Doc: "The line's keyword: ACCEPT, CLOSE, TOTALS, a setting name (Port, Delay …), or debug."},
		{Name: "client_host", Path: "host", Type: event.Varchar, Doc: "The client address as logged (host=, possibly ::ffff:-mapped). Named client_host because the core host column is the reporting sensor; src_ip holds the parsed address."},
		{Name: "fd", Type: event.Integer, Doc: "File descriptor of the client socket."},
		{Name: "n", Type: event.Integer, Doc: "Clients held after this ACCEPT (the N of n=N/MAX)."},
		{Name: "max_clients", Type: event.Integer, Doc: "The MAX of n=N/MAX on ACCEPT lines."},
		{Name: "time_spent", Path: "time", Type: event.Double, Doc: "Seconds the client was held, on CLOSE lines (time=)."},
		{Name: "setting", Type: event.Varchar, Doc: "Value of a startup setting line (\"22\" for Port 22, \"IPv4 Mapped IPv6\" for BindFamily)."},
		{Name: "connects", Type: event.BigInt, Doc: "Total connections, on TOTALS lines."},
		{Name: "seconds", Type: event.Double, Doc: "Total seconds clients were held, on TOTALS lines."},
		{Name: "total_bytes", Type: event.BigInt, Doc: "Total bytes sent, on TOTALS lines (kept out of the core bytes column so sums over CLOSE events stay right)."},
		{Name: "message", Type: event.Varchar, Doc: "The message after the timestamp, for lines without fields of their own (debug output)."},
	},
	New: func() parse.Parser { return &parser{now: time.Now} },
}

func init() { parse.Register(Format) }

type parser struct {
	m    event.Map
	now  func() time.Time
	nowT time.Time
	nowN int
}

// SetClock implements parse.ClockUser: glog timestamps take their year from it.
func (p *parser) SetClock(now func() time.Time) { p.now, p.nowN = now, 0 }

func (p *parser) clock() time.Time {
	if p.nowN == 0 || p.nowN >= 1024 {
		p.nowT, p.nowN = p.now().UTC(), 0
	}
	p.nowN++
	return p.nowT
}

// settings are the startup lines endlessh logs, "Name value".
var settings = map[string]bool{"Port": true, "Delay": true, "MaxLineLength": true, "MaxClients": true, "BindFamily": true, "LogLevel": true}

func detect(rec *parse.Record) int {
	if rec.JSON != nil {
		return 0
	}
	host, _, _, msg, ok := split(bstr(rec.Data))
	if !ok {
		return 0
	}
	word, rest, _ := strings.Cut(msg, " ")
	score := 0
	switch {
	case (word == "ACCEPT" || word == "CLOSE") && strings.HasPrefix(rest, "host=") && strings.Contains(rest, " port="):
		score = 90
	case word == "TOTALS" && strings.HasPrefix(rest, "connects="):
		score = 90
	case settings[word] && rest != "":
		score = 60
	}
	if score > 0 && host != "" {
		score = 70 // inside syslog: more than the syslog type's 40, less than a bare line
	}
	return score
}

// bstr views b as a string without copying; the record outlives the event (see parse.Record).
func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

type tsKind uint8

const (
	tsEndlessh tsKind = iota + 1 // 2022-02-13T10:42:17.813Z
	tsGlog                       // I0613 10:22:21.684962 1 client.go:58]
)

// split splits a line into the syslog host (when it came through syslog), the timestamp and the
// message.
func split(line string) (host string, kind tsKind, ts, msg string, ok bool) {
	if strings.Contains(line, " endlessh") {
		host, inner := unwrapSyslog(line)
		if inner != line {
			if kind, ts, msg, ok := splitTime(inner); ok {
				return host, kind, ts, msg, true
			}
		}
	}
	kind, ts, msg, ok = splitTime(line)
	return "", kind, ts, msg, ok
}

// unwrapSyslog removes a syslog or journald prefix ending in an "endlessh[pid]: " or "endlessh: " tag,
// returning the syslog host and the message; a line without one is returned whole.
func unwrapSyslog(line string) (host, msg string) {
	for _, tag := range [...]string{" endlessh[", " endlessh: ", " endlessh-go[", " endlessh-go: "} {
		i := strings.Index(line, tag)
		if i < 0 {
			continue
		}
		j := strings.Index(line[i:], ": ")
		if j < 0 {
			return "", line
		}
		before := strings.TrimRight(line[:i], " ")
		if k := strings.LastIndexByte(before, ' '); k >= 0 {
			host = before[k+1:]
		}
		return host, line[i+j+2:]
	}
	return "", line
}

// splitTime splits the timestamp off a line.
func splitTime(line string) (tsKind, string, string, bool) {
	if len(line) >= 19 && line[0] >= '0' && line[0] <= '9' && line[4] == '-' {
		ts, rest, ok := strings.Cut(line, " ")
		if !ok || len(ts) < 19 || ts[10] != 'T' {
			return 0, "", "", false
		}
		return tsEndlessh, ts, rest, true
	}
	// glog: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
	if len(line) >= 22 && strings.IndexByte("IWEF", line[0]) >= 0 && line[5] == ' ' && line[8] == ':' {
		end := strings.Index(line, "] ")
		sp := strings.IndexByte(line[6:], ' ')
		if end < 0 || sp < 0 {
			return 0, "", "", false
		}
		return tsGlog, line[:6+sp], line[end+2:], true
	}
	return 0, "", "", false
}

var errShape = errors.New(`endlessh: expected "2006-01-02T15:04:05.000Z MESSAGE" (or a glog "I0102 15:04:05.000000 … file.go:N] MESSAGE" line)`)

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	host, kind, ts, msg, ok := split(bstr(rec.Data))
	if !ok {
		return errShape
	}
	switch kind {
	case tsEndlessh:
		t, ok := parse.ParseTime(ts)
		if !ok {
			return fmt.Errorf("endlessh: expected an RFC 3339 timestamp, found %q", clip(ts, 40))
		}
		ev.Time = t
	case tsGlog:
		t, ok := p.glogTime(ts)
		if !ok {
			return fmt.Errorf("endlessh: expected a glog timestamp \"I0102 15:04:05.000000\", found %q", clip(ts, 40))
		}
		ev.Time = t
	}
	ev.Host = host
	m := &p.m
	m.Reset()
	ev.Fields = m
	msg = strings.TrimRight(msg, " ")
	word, rest, _ := strings.Cut(msg, " ")
	switch {
	case word == "ACCEPT" || word == "CLOSE":
		m.Set("event", event.String(word))
		ev.Activity = word
		ev.ClassName = "Network Activity"
		ev.IPProtocol = "tcp"
		if err := p.keyValues(rest, ev); err != nil {
			return err
		}
		if word == "ACCEPT" {
			ev.Disposition = "allowed"
		}
	case word == "TOTALS":
		m.Set("event", event.String(word))
		ev.Activity = word
		ev.ClassName = "Application Lifecycle"
		if err := p.keyValues(rest, ev); err != nil {
			return err
		}
	case settings[word] && rest != "":
		m.Set("event", event.String(word))
		m.Set("setting", event.String(rest))
		ev.Activity = word
		ev.ClassName = "Application Lifecycle"
	default:
		m.Set("event", event.String("debug"))
		m.Set("message", event.String(msg))
		ev.Activity = "debug"
		ev.ClassName = "Base Event"
	}
	return nil
}

// keyValues reads the "key=value" pairs of ACCEPT, CLOSE and TOTALS lines.
func (p *parser) keyValues(s string, ev *event.Event) error {
	m := &p.m
	for s != "" {
		var kv string
		kv, s, _ = strings.Cut(s, " ")
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("endlessh: expected key=value pairs after %s, found %q", ev.Activity, clip(kv, 30))
		}
		switch k {
		case "host":
			m.Set("host", event.String(v))
			ev.SrcIP = parse.ParseIP(v)
		case "port":
			m.Set("port", number(v))
			ev.SrcPort = parse.ParsePort(v)
		case "fd":
			m.Set("fd", number(v))
		case "n":
			n, max, _ := strings.Cut(v, "/")
			m.Set("n", number(n))
			if max != "" {
				m.Set("max_clients", number(max))
			}
		case "time":
			m.Set("time", number(v))
		case "bytes":
			if ev.Activity == "TOTALS" {
				m.Set("total_bytes", number(v))
				continue
			}
			m.Set("bytes", number(v))
			if n, ok := atoi64(v); ok {
				ev.Bytes, ev.HasTraffic = n, true
			}
		case "connects":
			m.Set("connects", number(v))
		case "seconds":
			m.Set("seconds", number(v))
		default:
			m.Set(k, event.String(v))
		}
	}
	return nil
}

// number returns s as a number value when it is a decimal number; anything else stays a string, which
// the numeric column stores as NULL while the raw record keeps the original.
func number(s string) event.Value {
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' && !dot && i > 0 && i < len(s)-1 {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return event.String(s)
		}
	}
	if s == "" {
		return event.String(s)
	}
	return event.Number(s)
}

func atoi64(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// glogTime parses "Lmmdd hh:mm:ss.uuuuuu" and gives it the latest year that puts it at most a day
// ahead of the clock.
func (p *parser) glogTime(ts string) (time.Time, bool) {
	if len(ts) < 14 {
		return time.Time{}, false
	}
	mo, ok1 := num(ts[1:3])
	d, ok2 := num(ts[3:5])
	hh, ok3 := num(ts[6:8])
	mi, ok4 := num(ts[9:11])
	se, ok5 := num(ts[12:14])
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || ts[11] != ':' || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	ns := 0
	if len(ts) > 15 && ts[14] == '.' {
		frac := ts[15:]
		if len(frac) > 9 {
			frac = frac[:9]
		}
		v, ok := num(frac)
		if !ok {
			return time.Time{}, false
		}
		ns = v
		for k := len(frac); k < 9; k++ {
			ns *= 10
		}
	}
	now := p.clock()
	limit := now.Add(24 * time.Hour)
	for y := now.Year() + 1; y >= now.Year()-8; y-- {
		t := time.Date(y, time.Month(mo), d, hh, mi, se, ns, time.UTC)
		if t.Day() == d && !t.After(limit) {
			return t, true
		}
	}
	return time.Time{}, false
}

func num(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
