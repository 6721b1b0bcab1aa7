// Package dionaea parses the log_json output of the Dionaea honeypot: one JSON object per closed
// connection with connection{protocol, transport, type}, the endpoints (src_ip, src_port, dst_ip,
// dst_port, src_hostname), a timestamp without zone (UTC) and what the protocol handlers attached:
// credentials (a list of {username, password} objects, or with flat_data {username: [], password: []}),
// ftp.commands (likewise), downloads, p0f, mysql/mssql parts. Forks write dest_ip/dest_port for the
// destination, an epoch-milliseconds timestamp and credentials under extend; those are read too.
package dionaea

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the dionaea log type.
var Format = &parse.Format{
	Name:  "dionaea",
	Title: "Dionaea honeypot",
	Doc: "The log_json output of the Dionaea multi-protocol honeypot (SMB, HTTP, FTP, MySQL, MSSQL, SIP …): one " +
		"JSON object per connection with connection{protocol, transport, type}, the endpoints, the timestamp (UTC) and " +
		"what the service saw — credentials, FTP commands, downloads. The activity is protocol.type (smbd.accept); " +
		"the first credential's user name is the actor, the first download's URL and MD5 are url and file_hash.",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "connection_protocol", Path: "connection.protocol", Type: event.Varchar, Doc: "Dionaea service that handled the connection (smbd, httpd, ftpd, mysqld …)."},
		{Name: "connection_transport", Path: "connection.transport", Type: event.Varchar, Doc: "Transport: tcp, udp or tls (ip_protocol holds tcp for tls)."},
		{Name: "connection_type", Path: "connection.type", Type: event.Varchar, Doc: "accept, connect, listen or reject."},
		{Name: "src_hostname", Type: event.Varchar, Doc: "Reverse name of the source, usually empty."},
		{Name: "timestamp", Type: event.Varchar, Doc: "Time as written (ISO 8601 without zone, or epoch milliseconds in forks)."},
		{Name: "credentials", Type: event.JSONType, Doc: "Credentials tried: [{username, password}] or {username: [], password: []}."},
		{Name: "ftp", Type: event.JSONType, Doc: "FTP commands and their arguments."},
		{Name: "downloads", Type: event.JSONType, Doc: "Files downloaded: [{url, md5_hash}]."},
		{Name: "p0f", Type: event.JSONType, Doc: "Passive OS fingerprint of the source."},
		{Name: "mysql", Type: event.JSONType, Doc: "MySQL commands."},
		{Name: "mssql", Type: event.JSONType, Doc: "MSSQL details."},
		{Name: "http", Type: event.JSONType, Doc: "HTTP request details."},
		{Name: "extend", Type: event.JSONType, Doc: "Fork extension: credentials or commands the service saw."},
		{Name: "uuid", Type: event.Varchar, Doc: "Fork extension: record id (also event_id)."},
		{Name: "connection", Type: event.JSONType, Doc: "The connection object as written."},
	},
	New: func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	v := rec.JSON
	if v == nil {
		return 0
	}
	c := v.Get("connection")
	if c != nil && c.Get("protocol") != nil && c.Get("transport") != nil && v.Get("src_ip") != nil {
		return 100
	}
	return 0
}

// parser is stateless: each record is parsed on its own.
type parser struct{}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return fmt.Errorf("dionaea: expected a JSON object with connection{protocol, transport, type}, found %s", kindOf(v))
	}
	conn := v.Get("connection")
	if conn == nil || conn.Type() != fastjson.TypeObject {
		return fmt.Errorf("dionaea: expected a connection object, found %s", kindOf(conn))
	}
	proto, transport, typ := parse.StrRef(conn, "protocol"), parse.StrRef(conn, "transport"), parse.StrRef(conn, "type")
	if proto == "" {
		return fmt.Errorf("dionaea: expected connection.protocol as a string, found %s", kindOf(conn.Get("protocol")))
	}
	tv := v.Get("timestamp")
	t, ok := timestamp(tv)
	if !ok {
		return fmt.Errorf("dionaea: expected timestamp as an ISO 8601 time or epoch milliseconds, found %s", clip(text(tv)))
	}
	ev.Time = t
	ev.Fields = event.JSONObject(v)
	ev.EventID = parse.StrRef(v, "uuid")
	if typ != "" {
		ev.Activity = proto + "." + typ
	} else {
		ev.Activity = proto
	}
	ev.SrcIP = parse.ParseIP(parse.StrRef(v, "src_ip"))
	ev.SrcPort = parse.JSONPort(v.Get("src_port"))
	if d := parse.StrRef(v, "dst_ip"); d != "" {
		ev.DstIP = parse.ParseIP(d)
		ev.DstPort = parse.JSONPort(v.Get("dst_port"))
	} else {
		ev.DstIP = parse.ParseIP(parse.StrRef(v, "dest_ip"))
		ev.DstPort = parse.JSONPort(v.Get("dest_port"))
	}
	switch transport {
	case "tls":
		ev.IPProtocol = "tcp" // TLS is what dionaea speaks over TCP, not an IP protocol
	default:
		ev.IPProtocol = transport
	}
	ev.ActorUser = firstUser(v)
	ev.ClassName = "Network Activity"
	if hasCredentials(v) {
		ev.ClassName = "Authentication"
	}
	if dl := first(v.Get("downloads")); dl != nil {
		ev.URL = parse.StrRef(dl, "url")
		ev.FileHash = parse.StrRef(dl, "md5_hash")
		if ev.FileHash == "" {
			ev.FileHash = parse.StrRef(dl, "sha256_hash")
		}
	}
	return nil
}

// timestamp reads the ISO time of log_json (no zone: UTC) or the epoch milliseconds of forks.
func timestamp(v *fastjson.Value) (t time.Time, ok bool) {
	if v == nil {
		return t, false
	}
	switch v.Type() {
	case fastjson.TypeString:
		return parse.ParseTime(string(v.GetStringBytes()))
	case fastjson.TypeNumber:
		return parse.ParseEpoch(string(v.MarshalTo(nil)))
	}
	return t, false
}

// firstUser returns the first user name tried: from credentials as a list of objects, as flat
// lists, or from a fork's extend list.
func firstUser(v *fastjson.Value) string {
	if c := v.Get("credentials"); c != nil {
		switch c.Type() {
		case fastjson.TypeArray:
			if e := first(c); e != nil {
				return parse.StrRef(e, "username")
			}
		case fastjson.TypeObject:
			u := c.Get("username")
			if u != nil && u.Type() == fastjson.TypeArray {
				if e := first(u); e != nil && e.Type() == fastjson.TypeString {
					return unsafeString(e.GetStringBytes())
				}
			}
			return parse.StrRef(c, "username")
		}
	}
	if e := first(v.Get("extend")); e != nil && e.Type() == fastjson.TypeObject {
		return parse.StrRef(e, "username")
	}
	return ""
}

// hasCredentials reports whether the record carries at least one credential.
func hasCredentials(v *fastjson.Value) bool {
	if c := v.Get("credentials"); c != nil {
		switch c.Type() {
		case fastjson.TypeArray:
			return first(c) != nil
		case fastjson.TypeObject:
			u := c.Get("username")
			p := c.Get("password")
			return first(u) != nil || first(p) != nil || u != nil && u.Type() == fastjson.TypeString
		}
	}
	if e := first(v.Get("extend")); e != nil && e.Type() == fastjson.TypeObject {
		return e.Get("username") != nil || e.Get("password") != nil
	}
	return false
}

// first returns the first element of an array, nil for anything else.
func first(v *fastjson.Value) *fastjson.Value {
	if v == nil || v.Type() != fastjson.TypeArray {
		return nil
	}
	a, _ := v.Array()
	if len(a) == 0 {
		return nil
	}
	return a[0]
}

func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func text(v *fastjson.Value) string {
	if v == nil {
		return "none"
	}
	return string(v.MarshalTo(nil))
}

func kindOf(v *fastjson.Value) string {
	if v == nil {
		return "none"
	}
	return v.Type().String()
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
