// Package cowrie parses the JSON log of the Cowrie SSH/Telnet honeypot (cowrie.json: one object per
// line, eventid "cowrie.*"). The fields vary by event; every one is kept as a native field.
//
// src_ip, src_port, dst_ip and dst_port are the core columns. For cowrie.direct-tcpip.request and
// .data Cowrie writes the forwarding target the attacker asked for into dst_ip/dst_port (and the
// originator port it claimed into src_port); the core columns keep that meaning, so for those
// events dst_ip is the address the attacker tried to reach through the honeypot, not the sensor.
package cowrie

import (
	"fmt"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the cowrie log type.
var Format = &parse.Format{
	Name:  "cowrie",
	Title: "Cowrie honeypot",
	Doc: "The JSON log of the Cowrie SSH/Telnet honeypot (cowrie.json, one event per line, eventid cowrie.*): " +
		"connections, client versions and key exchange (hassh), login attempts with user name and password, commands, " +
		"file downloads and uploads, direct-tcpip forwarding requests, TTY logs. src_ip/src_port/dst_ip/dst_port are " +
		"the core columns, and so is url (downloads); for cowrie.direct-tcpip.* events dst_ip/dst_port are the forwarding target the attacker " +
		"asked for. The event id is Cowrie's uuid when present, else session:timestamp:eventid.",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "eventid", Type: event.Varchar, Doc: "Event type: cowrie.session.connect, cowrie.login.failed, cowrie.command.input …"},
		{Name: "session", Type: event.Varchar, Doc: "Session id shared by the events of one connection."},
		{Name: "sensor", Type: event.Varchar, Doc: "Name of the honeypot sensor (also the host column)."},
		{Name: "timestamp", Type: event.Varchar, Doc: "Event time as written (ISO 8601, UTC)."},
		{Name: "message", Type: event.Varchar, Doc: "Human-readable message."},
		{Name: "system", Type: event.Varchar, Doc: "Twisted component that logged the event."},
		{Name: "isError", Type: event.Integer, Doc: "1 when Cowrie logged the event as an error."},
		{Name: "protocol", Type: event.Varchar, Doc: "ssh or telnet (session.connect)."},
		{Name: "username", Type: event.Varchar, Doc: "User name tried (login.*, also actor_user)."},
		{Name: "password", Type: event.Varchar, Doc: "Password tried (login.*)."},
		{Name: "fingerprint", Type: event.Varchar, Doc: "Public key fingerprint (client.fingerprint, publickey logins)."},
		{Name: "key", Type: event.Varchar, Doc: "Public key offered (client.fingerprint)."},
		{Name: "type", Type: event.Varchar, Doc: "Public key type (client.fingerprint)."},
		{Name: "input", Type: event.Varchar, Doc: "Command line entered (command.*)."},
		{Name: "shasum", Type: event.Varchar, Doc: "SHA-256 of a downloaded or uploaded file or TTY log (also file_hash)."},
		{Name: "outfile", Type: event.Varchar, Doc: "Where Cowrie stored the file."},
		{Name: "destfile", Type: event.Varchar, Doc: "File name the attacker saved the download as."},
		{Name: "filename", Type: event.Varchar, Doc: "Name of an uploaded file (session.file_upload)."},
		{Name: "duplicate", Type: event.Boolean, Doc: "Whether the file or TTY log was seen before."},
		{Name: "unique", Type: event.Boolean, Doc: "Whether the download was new (older Cowrie versions)."},
		{Name: "duration", Type: event.Double, Doc: "Seconds the session or TTY log lasted (session.closed, log.closed)."},
		{Name: "size", Type: event.BigInt, Doc: "Size in bytes (log.closed, downloads)."},
		{Name: "ttylog", Type: event.Varchar, Doc: "Path of the TTY log (log.open, log.closed)."},
		{Name: "version", Type: event.Varchar, Doc: "Client version string (client.version)."},
		{Name: "hassh", Type: event.Varchar, Doc: "HASSH fingerprint of the client's key exchange (client.kex)."},
		{Name: "hasshAlgorithms", Type: event.Varchar, Doc: "Algorithm string the HASSH is the MD5 of (client.kex)."},
		{Name: "kexAlgs", Type: event.JSONType, Doc: "Key exchange algorithms offered."},
		{Name: "keyAlgs", Type: event.JSONType, Doc: "Host key algorithms offered."},
		{Name: "encCS", Type: event.JSONType, Doc: "Ciphers offered."},
		{Name: "macCS", Type: event.JSONType, Doc: "MAC algorithms offered."},
		{Name: "compCS", Type: event.JSONType, Doc: "Compression algorithms offered."},
		{Name: "langCS", Type: event.JSONType, Doc: "Languages offered."},
		{Name: "width", Type: event.Integer, Doc: "Terminal width (client.size)."},
		{Name: "height", Type: event.Integer, Doc: "Terminal height (client.size)."},
		{Name: "name", Type: event.Varchar, Doc: "Environment variable name (client.var)."},
		{Name: "value", Type: event.Varchar, Doc: "Environment variable value (client.var)."},
		{Name: "data", Type: event.Varchar, Doc: "Data sent through a direct-tcpip channel (direct-tcpip.data)."},
		{Name: "arch", Type: event.Varchar, Doc: "Architecture the session emulates (session.params)."},
		{Name: "uuid", Type: event.Varchar, Doc: "Event uuid, where the Cowrie output adds one (also event_id)."},
	},
	New: func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	if rec.JSON == nil {
		return 0
	}
	if strings.HasPrefix(parse.StrRef(rec.JSON, "eventid"), "cowrie.") {
		return 100
	}
	return 0
}

// parser is stateless: each record is parsed on its own.
type parser struct{}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return fmt.Errorf("cowrie: expected a JSON object with an eventid starting with \"cowrie.\", found %s", kindOf(v))
	}
	id := parse.StrRef(v, "eventid")
	if !strings.HasPrefix(id, "cowrie.") {
		return fmt.Errorf("cowrie: expected an eventid starting with \"cowrie.\", found %q", clip(id))
	}
	ts := parse.StrRef(v, "timestamp")
	t, ok := parse.ParseTime(ts)
	if !ok {
		return fmt.Errorf("cowrie: expected timestamp as an ISO 8601 time string, found %s", found(v.Get("timestamp")))
	}
	ev.Time = t
	ev.Fields = event.JSONObject(v)
	ev.Activity = id
	if u := parse.StrRef(v, "uuid"); u != "" {
		ev.EventID = u
	} else if s := parse.StrRef(v, "session"); s != "" {
		ev.EventID = s + ":" + ts + ":" + id
	}
	ev.SrcIP = parse.ParseIP(parse.StrRef(v, "src_ip"))
	ev.SrcPort = parse.JSONPort(v.Get("src_port"))
	ev.DstIP = parse.ParseIP(parse.StrRef(v, "dst_ip"))
	ev.DstPort = parse.JSONPort(v.Get("dst_port"))
	ev.IPProtocol = "tcp"
	ev.Host = parse.StrRef(v, "sensor")
	ev.ActorUser = parse.StrRef(v, "username")
	ev.URL = parse.StrRef(v, "url")
	ev.FileHash = parse.StrRef(v, "shasum")

	kind := id[len("cowrie."):]
	switch {
	case kind == "login.success":
		ev.Outcome = "success"
	case kind == "login.failed", strings.HasSuffix(kind, ".failed"):
		ev.Outcome = "failure"
	case kind == "command.success":
		ev.Outcome = "success"
	}
	switch {
	case strings.HasPrefix(kind, "login."):
		ev.ClassName = "Authentication"
	case strings.HasPrefix(kind, "command."):
		ev.ClassName = "Process Activity"
	case strings.HasPrefix(kind, "session.file_"):
		ev.ClassName = "File System Activity"
	default:
		// Connections, client negotiation, TTY logs and port forwarding are all session traffic.
		ev.ClassName = "Network Activity"
	}
	return nil
}

// found describes a value for a dead-letter reason.
func found(v *fastjson.Value) string {
	if v == nil {
		return "none"
	}
	if v.Type() == fastjson.TypeString {
		return fmt.Sprintf("%q", clip(string(v.GetStringBytes())))
	}
	return clip(string(v.MarshalTo(nil)))
}

func kindOf(v *fastjson.Value) string {
	if v == nil {
		return "text"
	}
	return v.Type().String()
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
