// Package sshesame parses the text log of sshesame, the SSH honeypot that accepts any login and logs
// what clients do: "2022/05/06 05:10:03 [195.3.147.60:28696] authentication for user "admin" with
// password "aisadmin" accepted".
//
// Every message sshesame's text logger writes is recognised: authentication with no credentials, a
// password, a public key or keyboard-interactive answers; connection established and closed; global
// TCP/IP forwarding requests; and per-channel session, shell, exec, subsystem, PTY, X11, environment,
// window-change, direct TCP/IP forwarding, input and close messages, plus the DEBUG lines. Quoted values
// are Go %q strings and are unquoted with strconv. Lines may carry Go's log timestamp with or without
// microseconds (read as UTC, as sshesame runs in UTC containers and the log has no zone), no timestamp
// (logging.timestamps: false; the ingest time is then used), and a syslog or journald prefix
// ("… sshesame[812]: 2022/05/06 …").
//
// Activities are sshesame's own event types (password_auth, direct_tcpip, session_input …), the names
// its JSON logger uses.
package sshesame

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the sshesame log type.
var Format = &parse.Format{
	Name:  "sshesame",
	Title: "sshesame SSH honeypot",
	Doc: "The text log of the sshesame SSH honeypot: one line per event, \"2006/01/02 15:04:05 [client:port] message\", " +
		"bare or behind a syslog/journald prefix. Authentication attempts (no credentials, password, public key, " +
		"keyboard-interactive) are Authentication events with the attempted user in actor_user, the password or key in " +
		"their columns and the verdict in outcome; connection and channel requests (session, shell, exec, PTY, env …) " +
		"are SSH Activity; direct TCP/IP and TCP/IP forwarding requests are Network Activity with the forwarding target " +
		"in dst_ip/dst_port. Quoted values (commands, channel input) are unquoted. The activity is sshesame's event type " +
		"(password_auth, exec, direct_tcpip, session_input …). Times carry no zone and are read as UTC.",
	Kind:   parse.Text,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "event_type", Type: event.Varchar, Doc: "sshesame's event type: no_auth, password_auth, public_key_auth, keyboard_interactive_auth, connection, connection_close, session, exec, session_input, direct_tcpip, direct_tcpip_input …"},
		{Name: "channel", Type: event.Integer, Doc: "SSH channel id of channel events."},
		{Name: "auth_method", Type: event.Varchar, Doc: "none, password, publickey or keyboard-interactive."},
		{Name: "password", Type: event.Varchar, Doc: "Password tried."},
		{Name: "public_key", Type: event.Varchar, Doc: "Fingerprint of the public key offered."},
		{Name: "answers", Type: event.JSONType, Doc: "Keyboard-interactive answers, as a JSON array."},
		{Name: "client_version", Type: event.Varchar, Doc: "Client identification string (SSH-2.0-…)."},
		{Name: "command", Type: event.Varchar, Doc: "Command of an exec request."},
		{Name: "input", Type: event.Varchar, Doc: "Data the client sent on a channel (shell input, or the payload of a forwarded connection), unquoted."},
		{Name: "forward_src", Path: "from", Type: event.Varchar, Doc: "Originator address of a direct TCP/IP forwarding request."},
		{Name: "forward_dst", Path: "to", Type: event.Varchar, Doc: "Target address of a direct TCP/IP forwarding request (also in dst_ip/dst_port)."},
		{Name: "address", Type: event.Varchar, Doc: "Address of a tcpip-forward (remote forwarding) request."},
		{Name: "subsystem", Type: event.Varchar, Doc: "Subsystem requested (sftp)."},
		{Name: "terminal", Type: event.Varchar, Doc: "Terminal type of a PTY request."},
		{Name: "width", Type: event.Integer, Doc: "Terminal width of PTY and window-change requests."},
		{Name: "height", Type: event.Integer, Doc: "Terminal height of PTY and window-change requests."},
		{Name: "screen", Type: event.Integer, Doc: "X11 screen number."},
		{Name: "name", Type: event.Varchar, Doc: "Name of an environment variable request."},
		{Name: "value", Type: event.Varchar, Doc: "Value of an environment variable request."},
		{Name: "debug", Type: event.JSONType, Doc: "Payload of DEBUG lines (global and channel requests, new channels)."},
		{Name: "message", Type: event.Varchar, Doc: "The message, for lines sshesame writes outside its event log (startup, warnings)."},
	},
	New: func() parse.Parser { return &parser{chans: map[string]string{}} },
}

func init() { parse.Register(Format) }

const (
	classAuth    = "Authentication"
	classSSH     = "SSH Activity"
	classNetwork = "Network Activity"
	classBase    = "Base Event"
)

// parser keeps the field map and answer list reused across records, and the kind of each open channel
// so that "input" and "closed" lines, which do not say, can be told apart: a session's input is what
// an attacker typed, a direct TCP/IP channel's is traffic relayed through the honeypot.
type parser struct {
	m       event.Map
	answers []event.Value
	jp      fastjson.Parser
	chans   map[string]string
	key     []byte
}

// maxChannels bounds the channel table against logs whose channels are never closed.
const maxChannels = 1 << 16

func detect(rec *parse.Record) int {
	if rec.JSON != nil {
		return 0
	}
	sys, rest := unwrapSyslog(bstr(rec.Data))
	_, rest, ok := splitTime(rest)
	if !ok && sys == "" {
		return 0
	}
	addr, msg, ok := splitSource(rest)
	if !ok || !parse.ParseIP(hostOf(addr)).IsValid() {
		return 0
	}
	score := 50
	if known(msg) {
		score = 90
	}
	if sys != "" {
		score = min(score, 70) // inside syslog: more than the syslog type's 40
	}
	return score
}

// known reports whether msg starts like one of sshesame's messages.
func known(msg string) bool {
	for _, p := range [...]string{"authentication for user \"", "connection with client version \"", "connection closed",
		"[channel ", "TCP/IP forwarding on ", "rejection of further session channels requested", "DEBUG "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// unwrapSyslog removes a syslog or journald prefix ending in an "sshesame[pid]: " or "sshesame: " tag,
// returning the syslog host and the message.
func unwrapSyslog(line string) (host, msg string) {
	i := strings.Index(line, " sshesame")
	if i < 0 {
		return "", line
	}
	rest := line[i+len(" sshesame"):]
	switch {
	case strings.HasPrefix(rest, "["):
		j := strings.Index(rest, "]: ")
		if j < 0 {
			return "", line
		}
		rest = rest[j+3:]
	case strings.HasPrefix(rest, ": "):
		rest = rest[2:]
	default:
		return "", line
	}
	before := strings.TrimRight(line[:i], " ")
	if k := strings.LastIndexByte(before, ' '); k >= 0 {
		host = before[k+1:]
	}
	if host == "" {
		host = "-" // a tag without a host still marks the line as syslog-borne
	}
	return host, rest
}

// splitTime splits Go's log timestamp "2006/01/02 15:04:05[.000000] " off s.
func splitTime(s string) (time.Time, string, bool) {
	if len(s) < 20 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, s, false
	}
	y, ok1 := num(s[0:4])
	mo, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	hh, ok4 := num(s[11:13])
	mi, ok5 := num(s[14:16])
	se, ok6 := num(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 || se > 59 {
		return time.Time{}, s, false
	}
	i := 19
	ns := 0
	if s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			if j-i <= 9 {
				ns = ns*10 + int(s[j]-'0')
			}
			j++
		}
		for k := min(j-i-1, 9); k < 9; k++ {
			ns *= 10
		}
		i = j
	}
	if i >= len(s) || s[i] != ' ' {
		return time.Time{}, s, false
	}
	t := time.Date(y, time.Month(mo), d, hh, mi, se, ns, time.UTC)
	if t.Day() != d {
		return time.Time{}, s, false
	}
	return t, s[i+1:], true
}

// splitSource splits "[addr] msg".
func splitSource(s string) (addr, msg string, ok bool) {
	if len(s) < 3 || s[0] != '[' {
		return "", s, false
	}
	end := strings.Index(s, "] ")
	if end < 0 {
		if s[len(s)-1] == ']' {
			return s[1 : len(s)-1], "", true
		}
		return "", s, false
	}
	return s[1:end], s[end+2:], true
}

// hostOf returns the address part of "ip:port" or "[ip]:port".
func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		addr = addr[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
}

func errShape(line string) error {
	return fmt.Errorf("sshesame: expected \"2006/01/02 15:04:05 [client:port] message\", found %q", clip(line, 40))
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	line := bstr(rec.Data)
	sys, rest := unwrapSyslog(line)
	t, rest, hasTime := splitTime(rest)
	if !hasTime && sys == "" && !strings.HasPrefix(rest, "[") {
		return errShape(line)
	}
	ev.Time = t
	if sys != "-" {
		ev.Host = sys
	}
	m := &p.m
	m.Reset()
	ev.Fields = m
	addr, msg, ok := splitSource(rest)
	if !ok || !parse.ParseIP(hostOf(addr)).IsValid() {
		if !hasTime {
			return errShape(line)
		}
		// sshesame's own notices ("Listening on [::]:2022") have no client.
		m.Set("message", event.String(strings.TrimSpace(rest)))
		ev.ClassName = classBase
		return nil
	}
	ev.SrcIP, ev.SrcPort = parse.SplitHostPort(addr)
	ev.IPProtocol = "tcp"
	msg = strings.TrimRight(msg, " ")
	if err := p.message(addr, msg, ev); err != nil {
		return err
	}
	return nil
}

// setType records the event type as the activity and the event_type field.
func (p *parser) setType(ev *event.Event, typ, class string) {
	ev.Activity, ev.ClassName = typ, class
	p.m.Set("event_type", event.String(typ))
}

func (p *parser) message(addr, msg string, ev *event.Event) error {
	m := &p.m
	switch {
	case strings.HasPrefix(msg, "authentication for user "):
		return p.auth(msg[len("authentication for user "):], ev)
	case strings.HasPrefix(msg, "connection with client version "):
		v, _, err := quoted(msg[len("connection with client version "):])
		if err != nil {
			return err
		}
		p.setType(ev, "connection", classSSH)
		m.Set("client_version", event.String(v))
		ev.UserAgent = v
	case msg == "connection closed":
		p.setType(ev, "connection_close", classSSH)
		p.forgetConnection(addr)
	case strings.HasPrefix(msg, "TCP/IP forwarding on "):
		rest := msg[len("TCP/IP forwarding on "):]
		a, verdict := cutLast(rest, " ")
		typ := "tcpip_forward"
		if verdict == "canceled" {
			typ = "cancel_tcpip_forward"
		}
		p.setType(ev, typ, classNetwork)
		m.Set("address", event.String(a))
	case msg == "rejection of further session channels requested":
		p.setType(ev, "no_more_sessions", classSSH)
	case strings.HasPrefix(msg, "[channel "):
		return p.channel(addr, msg[len("[channel "):], ev)
	case strings.HasPrefix(msg, "DEBUG "):
		what, payload, ok := strings.Cut(msg[len("DEBUG "):], ": ")
		typ := "debug"
		switch what {
		case "global request received":
			typ = "debug_global_request"
		case "new channel requested":
			typ = "debug_channel"
		case "channel request received":
			typ = "debug_channel_request"
		}
		p.setType(ev, typ, classSSH)
		if ok {
			if v, err := p.jp.Parse(payload); err == nil {
				m.Set("debug", event.JSON(v))
				if id := v.Get("channel_id"); id != nil {
					m.Set("channel", event.JSON(id))
				}
			} else {
				m.Set("message", event.String(payload))
			}
		}
	default:
		ev.ClassName = classBase
		m.Set("message", event.String(msg))
	}
	return nil
}

// auth parses what follows "authentication for user ":
// "USER" without credentials|with password "P"|with public key "K"|with keyboard interactive answers ["A" …] accepted|rejected.
func (p *parser) auth(s string, ev *event.Event) error {
	m := &p.m
	user, rest, err := quoted(s)
	if err != nil {
		return err
	}
	rest, verdict := cutLast(rest, " ")
	switch verdict {
	case "accepted":
		ev.Outcome = "success"
	case "rejected":
		ev.Outcome = "failure"
	default:
		return fmt.Errorf("sshesame: expected an authentication line to end in accepted or rejected, found %q", clip(verdict, 20))
	}
	ev.ActorUser = user
	rest = strings.TrimPrefix(rest, " ")
	switch {
	case rest == "without credentials":
		p.setType(ev, "no_auth", classAuth)
		m.Set("auth_method", event.String("none"))
	case strings.HasPrefix(rest, "with password "):
		pw, _, err := quoted(rest[len("with password "):])
		if err != nil {
			return err
		}
		p.setType(ev, "password_auth", classAuth)
		m.Set("auth_method", event.String("password"))
		m.Set("password", event.String(pw))
	case strings.HasPrefix(rest, "with public key "):
		k, _, err := quoted(rest[len("with public key "):])
		if err != nil {
			return err
		}
		p.setType(ev, "public_key_auth", classAuth)
		m.Set("auth_method", event.String("publickey"))
		m.Set("public_key", event.String(k))
	case strings.HasPrefix(rest, "with keyboard interactive answers "):
		list := strings.TrimPrefix(rest[len("with keyboard interactive answers "):], "[")
		p.answers = p.answers[:0]
		for {
			list = strings.TrimLeft(list, " ")
			if list == "" || list[0] == ']' {
				break
			}
			a, r, err := quoted(list)
			if err != nil {
				return err
			}
			p.answers = append(p.answers, event.String(a))
			list = r
		}
		p.setType(ev, "keyboard_interactive_auth", classAuth)
		m.Set("auth_method", event.String("keyboard-interactive"))
		m.Set("answers", event.List(p.answers))
	default:
		return fmt.Errorf("sshesame: expected \"without credentials\" or \"with password|public key|keyboard interactive answers …\" after the user, found %q", clip(rest, 30))
	}
	m.Set("user", event.String(user))
	return nil
}

// channel parses what follows "[channel ".
func (p *parser) channel(addr, s string, ev *event.Event) error {
	m := &p.m
	id, msg, ok := strings.Cut(s, "] ")
	n, err := strconv.Atoi(id)
	if !ok || err != nil || n < 0 {
		return fmt.Errorf("sshesame: expected \"[channel N] message\", found %q", clip("[channel "+s, 30))
	}
	m.Set("channel", event.Number(id))
	switch {
	case msg == "session requested":
		p.setType(ev, "session", classSSH)
		p.remember(addr, id, "session")
	case msg == "closed":
		switch p.recall(addr, id, true) {
		case "session":
			p.setType(ev, "session_close", classSSH)
		case "direct_tcpip":
			p.setType(ev, "direct_tcpip_close", classNetwork)
		default:
			p.setType(ev, "channel_close", classSSH)
		}
	case strings.HasPrefix(msg, "input: "):
		in, _, err := quoted(msg[len("input: "):])
		if err != nil {
			return err
		}
		m.Set("input", event.String(in))
		switch p.recall(addr, id, false) {
		case "direct_tcpip":
			p.setType(ev, "direct_tcpip_input", classNetwork)
		case "session":
			p.setType(ev, "session_input", classSSH)
		default:
			p.setType(ev, "channel_input", classSSH)
		}
	case strings.HasPrefix(msg, "direct TCP/IP forwarding from "):
		// "direct TCP/IP forwarding from 127.0.0.1:22 to 142.93.136.142:80 requested"
		rest := strings.TrimSuffix(msg[len("direct TCP/IP forwarding from "):], " requested")
		from, to, ok := strings.Cut(rest, " to ")
		if !ok {
			return fmt.Errorf("sshesame: expected \"direct TCP/IP forwarding from A to B requested\", found %q", clip(msg, 40))
		}
		p.setType(ev, "direct_tcpip", classNetwork)
		m.Set("from", event.String(from))
		m.Set("to", event.String(to))
		ev.DstIP, ev.DstPort = parse.SplitHostPort(to)
		p.remember(addr, id, "direct_tcpip")
	case msg == "shell requested":
		p.setType(ev, "shell", classSSH)
	case strings.HasPrefix(msg, "command "):
		c, _, err := quoted(msg[len("command "):])
		if err != nil {
			return err
		}
		p.setType(ev, "exec", classSSH)
		m.Set("command", event.String(c))
	case strings.HasPrefix(msg, "subsystem "):
		c, _, err := quoted(msg[len("subsystem "):])
		if err != nil {
			return err
		}
		p.setType(ev, "subsystem", classSSH)
		m.Set("subsystem", event.String(c))
	case strings.HasPrefix(msg, "PTY using terminal "):
		// "PTY using terminal "xterm" (size 80x24) requested"
		term, rest, err := quoted(msg[len("PTY using terminal "):])
		if err != nil {
			return err
		}
		p.setType(ev, "pty", classSSH)
		m.Set("terminal", event.String(term))
		size, _, _ := strings.Cut(strings.TrimPrefix(rest, " (size "), ")")
		p.size(size)
	case strings.HasPrefix(msg, "window size change to "):
		p.setType(ev, "window_change", classSSH)
		size, _, _ := strings.Cut(msg[len("window size change to "):], " ")
		p.size(size)
	case strings.HasPrefix(msg, "X11 forwarding on screen "):
		p.setType(ev, "x11", classSSH)
		scr, _, _ := strings.Cut(msg[len("X11 forwarding on screen "):], " ")
		if _, err := strconv.ParseUint(scr, 10, 32); err == nil {
			m.Set("screen", event.Number(scr))
		}
	case strings.HasPrefix(msg, "environment variable "):
		name, rest, err := quoted(msg[len("environment variable "):])
		if err != nil {
			return err
		}
		val, _, err := quoted(strings.TrimPrefix(rest, " with value "))
		if err != nil {
			return err
		}
		p.setType(ev, "env", classSSH)
		m.Set("name", event.String(name))
		m.Set("value", event.String(val))
	default:
		ev.ClassName = classSSH
		m.Set("message", event.String(msg))
	}
	return nil
}

// size sets width and height from "WxH".
func (p *parser) size(s string) {
	w, h, ok := strings.Cut(s, "x")
	if !ok {
		return
	}
	if _, err := strconv.ParseUint(w, 10, 32); err == nil {
		p.m.Set("width", event.Number(w))
	}
	if _, err := strconv.ParseUint(h, 10, 32); err == nil {
		p.m.Set("height", event.Number(h))
	}
}

func (p *parser) chanKey(addr, id string) []byte {
	p.key = append(append(append(p.key[:0], addr...), ' '), id...)
	return p.key
}

func (p *parser) remember(addr, id, kind string) {
	if len(p.chans) >= maxChannels {
		clear(p.chans)
	}
	p.chans[string(p.chanKey(addr, id))] = kind
}

func (p *parser) recall(addr, id string, forget bool) string {
	k := p.chanKey(addr, id)
	kind := p.chans[string(k)]
	if forget && kind != "" {
		delete(p.chans, string(k))
	}
	return kind
}

// forgetConnection drops the channels of a closed connection.
func (p *parser) forgetConnection(addr string) {
	if len(p.chans) == 0 {
		return
	}
	for k := range p.chans {
		if strings.HasPrefix(k, addr) && len(k) > len(addr) && k[len(addr)] == ' ' {
			delete(p.chans, k)
		}
	}
}

// quoted reads the Go-quoted string at the start of s (as fmt's %q writes it) and returns its value
// and what follows it.
func quoted(s string) (string, string, error) {
	if s == "" || s[0] != '"' {
		return "", s, fmt.Errorf("sshesame: expected a quoted string, found %q", clip(s, 20))
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			v, err := strconv.Unquote(s[:i+1])
			if err != nil {
				return "", s, fmt.Errorf("sshesame: expected a Go-quoted string, found %q", clip(s[:i+1], 30))
			}
			return v, s[i+1:], nil
		}
	}
	return "", s, fmt.Errorf("sshesame: expected a closing quote in %q", clip(s, 30))
}

// cutLast splits s around its last sep.
func cutLast(s, sep string) (string, string) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):]
	}
	return "", s
}

func num(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, s != ""
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
