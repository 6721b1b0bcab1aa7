// Package leef parses IBM QRadar Log Event Extended Format lines, bare or after an RFC 3164 or
// RFC 5424 syslog header: LEEF 1.0 ("LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>…") and
// LEEF 2.0 ("LEEF:2.0|Vendor|Product|Version|EventID|Delimiter|key=value<Delimiter>…", the delimiter
// written as a character or as hex "x09"/"0x09"; Trend Micro Deep Security leaves the delimiter
// field out and uses tabs). Attributes whose delimiter never occurs are read the CEF way, up to the
// next " key=", because some senders turn the tabs into spaces.
package leef

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/cef"
)

// Format is the leef log type.
var Format = &parse.Format{
	Name:  "leef",
	Title: "IBM QRadar Log Event Extended Format (LEEF)",
	Doc: "LEEF 1.0 and 2.0 lines as sent to QRadar by firewalls and endpoint agents (Trend Micro Deep Security …), " +
		"bare or after an RFC 3164 or RFC 5424 syslog header: \"LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>…\" " +
		"and \"LEEF:2.0|Vendor|Product|Version|EventID|^|key=value^…\" (the delimiter as a character or hex x09/0x09, or " +
		"left out). Every attribute is a native field and part of the attributes JSON column; the predefined keys are " +
		"flattened into columns. The time is devTime, read with devTimeFormat (a Java SimpleDateFormat pattern) when " +
		"given, else as epoch milliseconds or \"MMM dd yyyy HH:mm:ss\", else the syslog header's time.",
	Kind:   parse.Text,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "leef_version", Type: event.Varchar, Doc: "LEEF version from the header (1.0 or 2.0)."},
		{Name: "vendor", Type: event.Varchar, Doc: "Vendor of the sending product."},
		{Name: "product", Type: event.Varchar, Doc: "Sending product."},
		{Name: "product_version", Type: event.Varchar, Doc: "Version of the sending product."},
		{Name: "leef_event_id", Path: "event_id", Type: event.Varchar, Doc: "Event id from the header (QRadar's QID key); the event_id core column is the record's id."},
		{Name: "attributes", Type: event.JSONType, Doc: "Every attribute key and value, as written."},
		{Name: "syslog_host", Type: event.Varchar, Doc: "Host of the syslog header, when there is one."},
		{Name: "cat", Type: event.Varchar, Doc: "Event category."},
		{Name: "sev", Type: event.Varchar, Doc: "Severity 1–10 as written."},
		{Name: "name", Type: event.Varchar, Doc: "Event name (Deep Security), also the activity."},
		{Name: "desc", Type: event.Varchar, Doc: "Event description (Deep Security)."},
		{Name: "msg", Type: event.Varchar, Doc: "Free-text message."},
		{Name: "usrName", Type: event.Varchar, Doc: "User name (also actor_user)."},
		{Name: "devTime", Type: event.Varchar, Doc: "Device time as written."},
		{Name: "devTimeFormat", Type: event.Varchar, Doc: "Java SimpleDateFormat pattern of devTime."},
		{Name: "proto", Type: event.Varchar, Doc: "Transport protocol as written."},
		{Name: "act", Type: event.Varchar, Doc: "Action the device took."},
		{Name: "action", Type: event.Varchar, Doc: "Action the device took (other senders' key)."},
		{Name: "srcPreNAT", Type: event.Varchar, Doc: "Source address before NAT."},
		{Name: "dstPreNAT", Type: event.Varchar, Doc: "Destination address before NAT."},
		{Name: "srcPostNAT", Type: event.Varchar, Doc: "Source address after NAT."},
		{Name: "dstPostNAT", Type: event.Varchar, Doc: "Destination address after NAT."},
		{Name: "srcMAC", Type: event.Varchar, Doc: "Source MAC address."},
		{Name: "dstMAC", Type: event.Varchar, Doc: "Destination MAC address."},
		{Name: "identSrc", Type: event.Varchar, Doc: "Address of an identity event's subject."},
		{Name: "identHostName", Type: event.Varchar, Doc: "Host name of an identity event's subject."},
		{Name: "identUsrName", Type: event.Varchar, Doc: "User name of an identity event's subject."},
		{Name: "accountName", Type: event.Varchar, Doc: "Account name."},
		{Name: "srcBytes", Type: event.BigInt, Doc: "Bytes sent by the source."},
		{Name: "dstBytes", Type: event.BigInt, Doc: "Bytes sent by the destination."},
		{Name: "srcPackets", Type: event.BigInt, Doc: "Packets sent by the source."},
		{Name: "dstPackets", Type: event.BigInt, Doc: "Packets sent by the destination."},
		{Name: "policy", Type: event.Varchar, Doc: "Policy that matched."},
		{Name: "resource", Type: event.Varchar, Doc: "Resource the event is about."},
		{Name: "domain", Type: event.Varchar, Doc: "Domain."},
		{Name: "dvchost", Type: event.Varchar, Doc: "Host name of the device the event is about (Deep Security: the agent)."},
		{Name: "dvc", Type: event.Varchar, Doc: "Address of the device the event is about."},
	},
	New: func() parse.Parser { return &parser{now: time.Now, f: cef.Fields{ExtName: "attributes"}} },
}

func init() { parse.Register(Format) }

// detect scores "LEEF:" followed by a version and the four '|'-terminated header fields at 95: it
// must beat plain syslog, which carries the same lines.
func detect(rec *parse.Record) int {
	s := unsafe.String(unsafe.SliceData(rec.Data), len(rec.Data))
	i := strings.Index(s, "LEEF:")
	if i < 0 {
		return 0
	}
	s = s[i+5:]
	if s == "" || s[0] < '0' || s[0] > '9' || strings.Count(s, "|") < 5 {
		return 0
	}
	return 95
}

type parser struct {
	now func() time.Time
	f   cef.Fields
	// javaFmt and goLayout cache the last devTimeFormat translated: a source uses one.
	javaFmt, goLayout string
	layoutOK          bool
}

// SetClock implements parse.ClockUser: RFC 3164 syslog headers have no year.
func (p *parser) SetClock(now func() time.Time) { p.now = now }

var errNoHeader = errors.New(`leef: expected "LEEF:Version|Vendor|Product|Version|EventID|" followed by attributes, found no "LEEF:"`)

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	s := unsafe.String(unsafe.SliceData(rec.Data), len(rec.Data))
	i := strings.Index(s, "LEEF:")
	if i < 0 {
		return errNoHeader
	}
	prefix, body := s[:i], s[i+5:]
	var hdr [5]string
	n := 0
	for n < 5 {
		j := strings.IndexByte(body, '|')
		if j < 0 {
			break
		}
		hdr[n] = body[:j]
		body = body[j+1:]
		n++
	}
	if n < 5 {
		return fmt.Errorf("leef: expected 5 '|'-terminated header fields (Version|Vendor|Product|Version|EventID|), found %d", n)
	}
	version := strings.TrimSpace(hdr[0])
	if version == "" || version[0] < '0' || version[0] > '9' {
		return fmt.Errorf("leef: expected a version such as 1.0 or 2.0 after \"LEEF:\", found %q", clip(hdr[0]))
	}
	delim := "\t"
	if version[0] >= '2' {
		if j := strings.IndexByte(body, '|'); j >= 0 {
			if d, ok := delimiter(body[:j]); ok {
				delim = d
				body = body[j+1:]
			}
		}
	}
	f := &p.f
	f.Begin()
	f.Add("leef_version", event.String(version))
	f.Add("vendor", event.String(hdr[1]))
	f.Add("product", event.String(hdr[2]))
	f.Add("product_version", event.String(hdr[3]))
	f.Add("event_id", event.String(hdr[4]))
	host, hdrTime := "", time.Time{}
	if strings.TrimSpace(prefix) != "" {
		host, hdrTime, _ = cef.SyslogHeader(prefix, p.now())
		if host != "" {
			f.Add("syslog_host", event.String(host))
		}
	}
	f.StartExtension()
	var c core
	set := func(k, v string) {
		c.catch(k, v)
		f.Set(k, typed(k, v))
	}
	if dropped := splitAttributes(body, delim, set); dropped != "" {
		ev.Warn("leef: attribute text without a key dropped: " + clip(dropped))
	}
	f.EndExtension()
	ev.Fields = f

	ev.Activity = c.name
	if ev.Activity == "" {
		ev.Activity = hdr[4]
	}
	ev.SeverityID = cef.SeverityID(c.sev)
	p.setTime(ev, &c, hdrTime)
	ev.SrcIP = parse.ParseIP(c.src)
	ev.DstIP = parse.ParseIP(c.dst)
	ev.SrcPort = parse.ParsePort(c.srcPort)
	ev.DstPort = parse.ParsePort(c.dstPort)
	ev.IPProtocol = cef.Protocol(c.proto)
	ev.ActorUser = c.usrName
	ev.URL = c.url
	ev.FileHash = c.fileHash
	ev.UserAgent = c.userAgent
	ev.HTTPMethod = c.method
	ev.Disposition = cef.Disposition(c.act)
	ev.Outcome = cef.Outcome(c.outcome)
	switch {
	case c.dvchost != "":
		ev.Host = c.dvchost
	case c.dvc != "":
		ev.Host = c.dvc
	default:
		ev.Host = host
	}
	if c.srcBytes != "" || c.dstBytes != "" {
		ev.Bytes = atoi(c.srcBytes) + atoi(c.dstBytes)
		ev.Packets = atoi(c.srcPackets) + atoi(c.dstPackets)
		if ev.Packets == 0 {
			ev.Packets = atoi(c.totalPackets)
		}
		ev.HasTraffic = true
	}
	switch {
	case isTrue(c.login) || isTrue(c.logout):
		ev.ClassName = "Authentication"
	case ev.SrcIP.IsValid() || ev.DstIP.IsValid():
		ev.ClassName = "Network Activity"
	default:
		ev.ClassName = "Base Event"
	}
	return nil
}

func (p *parser) setTime(ev *event.Event, c *core, hdrTime time.Time) {
	if c.devTime != "" {
		if t, ok := p.devTime(c.devTime, c.devTimeFormat); ok {
			ev.Time = t
			return
		}
		ev.Warn(fmt.Sprintf("leef: devTime %q does not match devTimeFormat %q", clip(c.devTime), clip(c.devTimeFormat)))
	}
	ev.Time = hdrTime
}

// devTime reads devTime with the Go layout devTimeFormat translates to, then in the shapes CEF
// times take (epoch milliseconds, "MMM dd yyyy HH:mm:ss zone", RFC 3339).
func (p *parser) devTime(v, javaFmt string) (time.Time, bool) {
	if javaFmt != "" {
		if javaFmt != p.javaFmt {
			p.javaFmt = strings.Clone(javaFmt)
			p.goLayout, p.layoutOK = goLayout(javaFmt)
		}
		if p.layoutOK {
			if t, err := time.Parse(p.goLayout, v); err == nil {
				return t.UTC(), true
			}
		}
	}
	return cef.ParseTime(v, p.now())
}

// goLayout translates the common Java SimpleDateFormat letters to a Go layout; ok is false for a
// pattern it cannot express.
func goLayout(java string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(java); {
		c := java[i]
		if c == '\'' {
			j := strings.IndexByte(java[i+1:], '\'')
			if j < 0 {
				return "", false
			}
			if j == 0 {
				b.WriteByte('\'')
			} else {
				b.WriteString(java[i+1 : i+1+j])
			}
			i += j + 2
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			if c >= '0' && c <= '9' {
				return "", false // a literal digit would read as a Go layout element
			}
			b.WriteByte(c)
			i++
			continue
		}
		n := 1
		for i+n < len(java) && java[i+n] == c {
			n++
		}
		i += n
		var tok string
		switch c {
		case 'y':
			tok = "2006"
			if n == 2 {
				tok = "06"
			}
		case 'M':
			tok = [...]string{"1", "01", "Jan", "January"}[min(n, 4)-1]
		case 'd':
			tok = "02"
			if n == 1 {
				tok = "2"
			}
		case 'H':
			tok = "15"
		case 'h':
			tok = "03"
			if n == 1 {
				tok = "3"
			}
		case 'm':
			tok = "04"
			if n == 1 {
				tok = "4"
			}
		case 's':
			tok = "05"
			if n == 1 {
				tok = "5"
			}
		case 'S':
			// Go reads fractions only after a '.' or ','.
			s := b.String()
			if s == "" || s[len(s)-1] != '.' && s[len(s)-1] != ',' {
				return "", false
			}
			tok = strings.Repeat("0", n)
		case 'a':
			tok = "PM"
		case 'z':
			tok = "MST"
		case 'Z':
			tok = "-0700"
		case 'X':
			tok = [...]string{"Z07", "Z0700", "Z07:00"}[min(n, 3)-1]
		case 'E':
			tok = "Mon"
			if n >= 4 {
				tok = "Monday"
			}
		default:
			return "", false
		}
		b.WriteString(tok)
	}
	return b.String(), true
}

// delimiter reads the LEEF 2.0 delimiter field: one character, or its code in hex ("x09",
// "0x09", "\t" spelled out). ok is false when the field is not a delimiter (Deep Security leaves
// it out, so the field is the first attribute).
func delimiter(s string) (string, bool) {
	switch {
	case s == "":
		return "\t", true
	case len(s) == 1 && s != "=":
		return s, true
	case s == `\t`:
		return "\t", true
	}
	h := s
	if len(h) > 2 && (h[:2] == "0x" || h[:2] == "0X") {
		h = h[2:]
	} else if len(h) > 1 && (h[0] == 'x' || h[0] == 'X') {
		h = h[1:]
	} else {
		return "", false
	}
	if len(h) > 4 {
		return "", false
	}
	n, err := strconv.ParseUint(h, 16, 32)
	if err != nil || n == 0 || n == '=' {
		return "", false
	}
	return string(rune(n)), true
}

// splitAttributes reads "key=value<delim>key=value…". A piece without '=' belongs to the value
// before it (the delimiter occurred inside a value). When the delimiter does not occur at all the
// attributes are read the CEF way, up to the next " key=".
func splitAttributes(s, delim string, fn func(k, v string)) (dropped string) {
	if !strings.Contains(s, delim) && strings.Contains(s, " ") {
		return cef.SplitExtension(s, fn)
	}
	var key string
	vs, ve := -1, -1
	flush := func() {
		if vs >= 0 {
			fn(key, s[vs:ve])
		}
	}
	pos := 0
	for pos <= len(s) {
		end := strings.Index(s[pos:], delim)
		if end < 0 {
			end = len(s)
		} else {
			end += pos
		}
		piece := s[pos:end]
		if eq := strings.IndexByte(piece, '='); eq > 0 && validKey(piece[:eq]) {
			flush()
			key, vs, ve = piece[:eq], pos+eq+1, end
		} else if vs >= 0 {
			ve = end
		} else if strings.TrimSpace(piece) != "" && dropped == "" {
			dropped = piece
		}
		pos = end + len(delim)
	}
	flush()
	return dropped
}

func validKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c == ' ' || c == '\t' || c == '|' {
			return false
		}
	}
	return true
}

// core holds the attribute values the core fields are made of, caught while the attributes are
// read so that no key is looked up twice.
type core struct {
	src, dst, srcPort, dstPort, proto, usrName, sev, name, url, fileHash string
	srcBytes, dstBytes, srcPackets, dstPackets, totalPackets             string
	devTime, devTimeFormat, act, outcome, dvchost, dvc                   string
	login, logout, userAgent, method                                     string
}

func (c *core) catch(k, v string) {
	switch k {
	case "src":
		c.src = v
	case "dst":
		c.dst = v
	case "srcPort", "spt":
		c.srcPort = v
	case "dstPort", "dpt":
		c.dstPort = v
	case "proto":
		c.proto = v
	case "usrName":
		c.usrName = v
	case "sev":
		c.sev = v
	case "name":
		c.name = v
	case "url":
		c.url = v
	case "fileHash":
		c.fileHash = v
	case "srcBytes":
		c.srcBytes = v
	case "dstBytes":
		c.dstBytes = v
	case "srcPackets":
		c.srcPackets = v
	case "dstPackets":
		c.dstPackets = v
	case "totalPackets":
		c.totalPackets = v
	case "devTime":
		c.devTime = v
	case "devTimeFormat":
		c.devTimeFormat = v
	case "act", "action":
		c.act = v
	case "outcome", "result":
		c.outcome = v
	case "dvchost":
		c.dvchost = v
	case "dvc":
		c.dvc = v
	case "isLoginEvent":
		c.login = v
	case "isLogoutEvent":
		c.logout = v
	case "userAgent":
		c.userAgent = v
	case "method", "requestMethod":
		c.method = v
	}
}

// typed returns numbers for the counters and ports LEEF defines as integers.
func typed(k, v string) event.Value {
	switch k {
	case "srcPort", "dstPort", "srcPreNATPort", "dstPreNATPort", "srcPostNATPort", "dstPostNATPort",
		"srcBytes", "dstBytes", "srcPackets", "dstPackets", "totalPackets", "sev", "cn1", "cn2", "cn3":
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
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

func isTrue(s string) bool { return strings.EqualFold(s, "true") || s == "1" }

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
