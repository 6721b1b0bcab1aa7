// Package csvlog is the generic CSV log type: comma-separated values whose first line names the
// columns (spreadsheet and SIEM exports, CloudTrail "Download events" CSV, security datasets).
//
// The first record of an input is the header: it is skipped as an event and gives the field names.
// Each later line becomes a row over those names. A record is one line (the decoder frames lines),
// so quoted fields may hold commas and doubled quotes but not line breaks.
//
// Field names are kept as written ("Event Name"); lookups also accept their lower snake_case form
// ("event_name"), which is also what the core-field mapping below is written against:
//
//   - time: the first column named time, timestamp, datetime, date, event_time, eventtime,
//     event_datetime, event_timestamp, event_date, created_at, creation_time, timegenerated,
//     time_generated, published, ts, _time, @timestamp whose value parses;
//   - src_ip: source_ip, src_ip, sourceipaddress, source_ip_address, client_ip, clientip, c_ip,
//     remote_addr, remote_ip, ip_address, ip, caller_ip; src_port: source_port, src_port, srcport;
//   - dst_ip: destination_ip, dst_ip, dest_ip, dstip; dst_port: destination_port, dst_port,
//     dest_port, dstport;
//   - actor_user: user, user_name, username, actor, principal, user_principal_name; actor_uid:
//     user_id, userid, user_arn, principal_id, actor_id;
//   - user_agent: user_agent, useragent, request_user_agent, http_user_agent, cs_user_agent;
//   - activity: event_name, eventname, event, action, activity, operation, event_type;
//   - event_id: event_id, eventid, uuid, record_id;
//   - host: host, hostname, computer, device_name; cloud_account: account_id, recipient_account_id,
//     aws_account_id; cloud_region: aws_region, region;
//   - http_method: http_method, method, request_method; url: url, request_url, uri;
//     http_status: http_status, status_code, status;
//   - outcome: outcome, result, status (success/succeeded/allow/ok → success,
//     failure/failed/deny/denied/error → failure).
//
// Values that start with '{' or '[' (embedded structures) never fill a core text field.
package csvlog

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the generic csv log type.
var Format = &parse.Format{
	Name:  "csv",
	Title: "Generic CSV",
	Doc: "Comma-separated values with a header row: the first line names the columns, each later line is a row " +
		"(quoted fields with commas and doubled quotes are understood; a record is one line). There are no fixed " +
		"columns: the row is stored and its fields are reachable by their header names as written and in lower " +
		"snake_case (\"Event Name\" and event_name). Time and core fields come from well-known column names " +
		"(time, timestamp, event_datetime ...; source_ip, user, user_agent, event_name ...). Detection is cautious: " +
		"a header-shaped first line (three or more identifier-like names) scores 30, other comma-separated lines 10, " +
		"so syslog and other text logs keep their own types.",
	Kind:   parse.Text,
	Detect: detect,
	New:    func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

// detect recognises a CSV input by its header: a first line of three or more identifier-like names
// scores 100. Other lines score nothing: the parser needs the header first, and any text with commas
// (a markdown table, a syslog message) would otherwise pass for CSV rows.
func detect(rec *parse.Record) int {
	line := rec.Data
	if len(line) == 0 || rec.Line > 1 || !utf8.Valid(line) {
		return 0
	}
	var buf [64]string
	fields, n, ok := split(unsafe.String(unsafe.SliceData(line), len(line)), buf[:0], len(buf))
	if !ok || n < 3 {
		return 0
	}
	// A header may leave a column unnamed and may start with a byte-order mark; every name it does
	// give must look like one, and at least three must be given.
	names := 0
	header := true
	for i, f := range fields {
		if i == 0 {
			f = strings.TrimPrefix(f, "\uFEFF")
		}
		if strings.TrimSpace(f) == "" {
			continue
		}
		if !identifierLike(f) {
			header = false
			break
		}
		names++
	}
	header = header && names >= 3
	if header {
		return 100
	}
	return 0
}

// identifierLike reports whether s could be a column name: letters, digits, spaces, '_', '-', '.',
// '@', '/', '(', ')', ',', starting with a letter, '_' or '@', at most 64 bytes.
func identifierLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return false
	}
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == ' ', c == '_', c == '-', c == '.', c == '@', c == '/', c == '(', c == ')', c == ',':
			// A comma can only be inside a quoted name ("note, free text").
		default:
			return false
		}
	}
	return true
}

// split appends the fields of a CSV line to dst, at most limit of them (the count returned is that
// of all fields), and collapses doubled quotes in quoted fields. It reports false for a line whose
// quotes do not close or that has text after a closing quote. Unquoted fields alias line.
func split(line string, dst []string, limit int) ([]string, int, bool) {
	n := 0
	for i := 0; ; {
		var f string
		if i < len(line) && line[i] == '"' {
			j := i + 1
			doubled := false
			for {
				k := strings.IndexByte(line[j:], '"')
				if k < 0 {
					return dst, n, false
				}
				j += k
				if j+1 < len(line) && line[j+1] == '"' {
					doubled = true
					j += 2
					continue
				}
				break
			}
			f = line[i+1 : j]
			if doubled {
				f = strings.ReplaceAll(f, `""`, `"`)
			}
			i = j + 1
			if i < len(line) && line[i] != ',' {
				return dst, n, false
			}
		} else {
			k := strings.IndexByte(line[i:], ',')
			if k < 0 {
				f, i = line[i:], len(line)
			} else {
				f, i = line[i:i+k], i+k
			}
		}
		if len(dst) < limit {
			dst = append(dst, f)
		}
		n++
		if i >= len(line) {
			return dst, n, true
		}
		i++ // the comma
	}
}

// maxColumns bounds the header: a longer first line is more likely not CSV at all.
const maxColumns = 4096

type parser struct {
	schema *event.Schema
	norm   *event.Schema
	// roles holds, per core field, the column positions to try in order.
	roles  [numRoles][]int
	row    row
	values []string
}

// row is an event.Row over the header's names as written, that also answers their snake_case form.
type row struct {
	event.Row
	norm *event.Schema
}

func (r *row) Lookup(path string) (event.Value, bool) {
	if v, ok := r.Row.Lookup(path); ok {
		return v, true
	}
	i, ok := r.norm.Index(path)
	if !ok {
		i, ok = r.norm.Index(normalize(path))
	}
	if !ok || i >= len(r.Values) || r.Missing[i] {
		return event.Null, false
	}
	return event.String(r.Values[i]), true
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	// The row aliases the line: events may hold the decoder's bytes until their consumer returns.
	line := unsafe.String(unsafe.SliceData(rec.Data), len(rec.Data))
	if p.schema == nil {
		return p.header(line)
	}
	want := len(p.schema.Names())
	values, got, ok := split(line, p.values[:0], want)
	p.values = values
	if !ok {
		return fmt.Errorf("csv: expected %d comma-separated fields, got a quoted field that does not close or is followed by text", want)
	}
	if got != want {
		return fmt.Errorf("csv: expected %d fields as in the header, got %d", want, got)
	}
	p.row.Values = p.values
	for i, v := range p.values {
		p.row.Missing[i] = v == ""
	}
	ev.Fields = &p.row
	p.core(ev)
	return nil
}

// header takes the field names from the first line.
func (p *parser) header(line string) error {
	names, n, ok := split(strings.TrimPrefix(line, "\ufeff"), nil, maxColumns)
	if !ok {
		return fmt.Errorf("csv: expected a header line of comma-separated names, got a quoted name that does not close or is followed by text")
	}
	if n > maxColumns {
		return fmt.Errorf("csv: expected a header line of at most %d names, got %d", maxColumns, n)
	}
	orig := make([]string, len(names))
	norm := make([]string, len(names))
	seen := make(map[string]bool, 2*len(names))
	// unique suffixes repeated names ("user", "user_2"), since a row must not name two fields alike.
	unique := func(name string) string {
		for n := 2; seen[name]; n++ {
			if c := name + "_" + strconv.Itoa(n); !seen[c] {
				name = c
			}
		}
		seen[name] = true
		return name
	}
	for i, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			name = "column_" + strconv.Itoa(i+1)
		}
		// Names are copied: the line's bytes belong to the decoder.
		orig[i] = unique(strings.Clone(name))
	}
	clear(seen)
	for i, name := range orig {
		nn := normalize(name)
		if nn == "" {
			nn = "column_" + strconv.Itoa(i+1)
		}
		norm[i] = unique(nn)
	}
	p.schema = event.NewSchema(orig...)
	p.norm = event.NewSchema(norm...)
	p.row = row{Row: event.Row{Schema: p.schema, Missing: make([]bool, len(orig))}, norm: p.norm}
	for r, cands := range roleNames {
		for _, c := range cands {
			if i, ok := p.norm.Index(c); ok {
				p.roles[r] = append(p.roles[r], i)
			}
		}
	}
	return parse.ErrSkip
}

// normalize turns a column name into lower snake_case: letters and digits kept (lower-cased), runs
// of anything else become one '_', none at either end.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c >= 0x80:
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteByte(c)
		default:
			pending = true
		}
	}
	return b.String()
}

type role int

const (
	roleTime role = iota
	roleSrcIP
	roleSrcPort
	roleDstIP
	roleDstPort
	roleUser
	roleUID
	roleUserAgent
	roleActivity
	roleEventID
	roleHost
	roleAccount
	roleRegion
	roleMethod
	roleURL
	roleStatus
	roleOutcome
	numRoles
)

var roleNames = [numRoles][]string{
	roleTime: {"time", "timestamp", "datetime", "date", "event_time", "eventtime", "event_datetime", "event_timestamp",
		"event_date", "created_at", "creation_time", "timegenerated", "time_generated", "published", "ts"},
	roleSrcIP:     {"source_ip", "src_ip", "sourceipaddress", "source_ip_address", "client_ip", "clientip", "c_ip", "remote_addr", "remote_ip", "ip_address", "ip", "caller_ip"},
	roleSrcPort:   {"source_port", "src_port", "srcport"},
	roleDstIP:     {"destination_ip", "dst_ip", "dest_ip", "dstip"},
	roleDstPort:   {"destination_port", "dst_port", "dest_port", "dstport"},
	roleUser:      {"user", "user_name", "username", "actor", "principal", "user_principal_name"},
	roleUID:       {"user_id", "userid", "user_arn", "principal_id", "actor_id"},
	roleUserAgent: {"user_agent", "useragent", "request_user_agent", "http_user_agent", "cs_user_agent"},
	roleActivity:  {"event_name", "eventname", "event", "action", "activity", "operation", "event_type"},
	roleEventID:   {"event_id", "eventid", "uuid", "record_id"},
	roleHost:      {"host", "hostname", "computer", "device_name"},
	roleAccount:   {"account_id", "recipient_account_id", "aws_account_id"},
	roleRegion:    {"aws_region", "region"},
	roleMethod:    {"http_method", "method", "request_method"},
	roleURL:       {"url", "request_url", "uri"},
	roleStatus:    {"http_status", "status_code", "status"},
	roleOutcome:   {"outcome", "result", "status"},
}

func (p *parser) text(r role) string {
	for _, i := range p.roles[r] {
		if v := strings.TrimSpace(p.values[i]); v != "" && v[0] != '{' && v[0] != '[' {
			return v
		}
	}
	return ""
}

// addrPort parses an address with or without a port. Only "a.b.c.d:port" and "[v6]:port" are
// tried as address and port: failing that on a bare address would build an error per row.
func addrPort(s string) (netip.Addr, int) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, 0
	}
	if s[0] == '[' || strings.Count(s, ":") == 1 {
		return parse.SplitHostPort(s)
	}
	return parse.ParseIP(s), 0
}

// port parses a port column; an absent one costs nothing (parsing "" would build an error).
func port(s string) int {
	if s == "" {
		return 0
	}
	return parse.ParsePort(s)
}

func (p *parser) core(ev *event.Event) {
	for _, i := range p.roles[roleTime] {
		if t, ok := parse.ParseTime(p.values[i]); ok && t.Year() >= 1990 && t.Year() < 2200 {
			ev.Time = t
			break
		}
	}
	for _, i := range p.roles[roleSrcIP] {
		if a, port := addrPort(p.values[i]); a.IsValid() {
			ev.SrcIP, ev.SrcPort = a, port
			break
		}
	}
	if ev.SrcPort == 0 {
		ev.SrcPort = port(p.text(roleSrcPort))
	}
	for _, i := range p.roles[roleDstIP] {
		if a, port := addrPort(p.values[i]); a.IsValid() {
			ev.DstIP, ev.DstPort = a, port
			break
		}
	}
	if ev.DstPort == 0 {
		ev.DstPort = port(p.text(roleDstPort))
	}
	ev.ActorUser = p.text(roleUser)
	ev.ActorUID = p.text(roleUID)
	ev.UserAgent = p.text(roleUserAgent)
	ev.Activity = p.text(roleActivity)
	ev.EventID = p.text(roleEventID)
	ev.Host = p.text(roleHost)
	ev.CloudAccount = p.text(roleAccount)
	ev.CloudRegion = p.text(roleRegion)
	ev.HTTPMethod = p.text(roleMethod)
	ev.URL = p.text(roleURL)
	for _, i := range p.roles[roleStatus] {
		if n, err := strconv.Atoi(strings.TrimSpace(p.values[i])); err == nil && n >= 100 && n <= 599 {
			ev.HTTPStatus = n
			break
		}
	}
	for _, i := range p.roles[roleOutcome] {
		switch strings.ToLower(strings.TrimSpace(p.values[i])) {
		case "success", "succeeded", "successful", "allow", "allowed", "ok", "pass", "passed":
			ev.Outcome = "success"
		case "failure", "failed", "fail", "deny", "denied", "error", "blocked", "rejected":
			ev.Outcome = "failure"
		}
		if ev.Outcome != "" {
			break
		}
	}
}
