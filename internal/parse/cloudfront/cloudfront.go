// Package cloudfront parses Amazon CloudFront standard (legacy) access logs: W3C extended log files,
// tab-separated, that start with "#Version:" and "#Fields:" directives. The #Fields line sets the field
// order for the lines that follow (and may recur when files are concatenated); lines without one are
// read in the documented default order, of which older logs hold a prefix.
package cloudfront

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// field is one documented field, named as the #Fields directive names it.
type field struct {
	w3c string
	typ event.ColumnType
	doc string
}

// fields lists the documented fields in their default order.
var fields = []field{
	{"date", event.Varchar, "Date of the request, UTC (YYYY-MM-DD)."},
	{"time", event.Varchar, "Time CloudFront finished responding, UTC (hh:mm:ss); with date it makes the core time column."},
	{"x-edge-location", event.Varchar, "Edge location that served the request (IATA code and number, LAX1)."},
	{"sc-bytes", event.BigInt, "Bytes CloudFront sent to the viewer, headers included (the core bytes)."},
	{"c-ip", event.Varchar, "Viewer address (the core src_ip)."},
	{"cs-method", event.Varchar, "HTTP method (the core http_method)."},
	{"cs(Host)", event.Varchar, "CloudFront domain name of the distribution (d111111abcdef8.cloudfront.net)."},
	{"cs-uri-stem", event.Varchar, "Path of the request, without the query string."},
	{"sc-status", event.Integer, "HTTP status of the response; 000 when the viewer closed the connection first."},
	{"cs(Referer)", event.Varchar, "Referer header."},
	{"cs(User-Agent)", event.Varchar, "User-Agent header, URL-encoded; the core user_agent holds it decoded."},
	{"cs-uri-query", event.Varchar, "Query string of the request."},
	{"cs(Cookie)", event.Varchar, "Cookie header, when cookie logging is on."},
	{"x-edge-result-type", event.Varchar, "How the request was classified: Hit, RefreshHit, Miss, LimitExceeded, CapacityExceeded, Error, Redirect."},
	{"x-edge-request-id", event.Varchar, "Unique id of the request (the core event_id)."},
	{"x-host-header", event.Varchar, "Host header the viewer sent (an alternate domain name, or the distribution's domain)."},
	{"cs-protocol", event.Varchar, "Protocol of the viewer request: http, https, ws, wss, grpcs."},
	{"cs-bytes", event.BigInt, "Bytes of the viewer request, headers included."},
	{"time-taken", event.Double, "Seconds from receiving the request to writing the last byte of the response."},
	{"x-forwarded-for", event.Varchar, "X-Forwarded-For of a viewer that came through a proxy."},
	{"ssl-protocol", event.Varchar, "TLS protocol of an HTTPS request."},
	{"ssl-cipher", event.Varchar, "TLS cipher of an HTTPS request."},
	{"x-edge-response-result-type", event.Varchar, "How the response was classified just before it was returned."},
	{"cs-protocol-version", event.Varchar, "HTTP version of the viewer request."},
	{"fle-status", event.Varchar, "Field-level encryption result."},
	{"fle-encrypted-fields", event.Varchar, "Number of fields field-level encryption encrypted."},
	{"c-port", event.Integer, "Viewer port (the core src_port)."},
	{"time-to-first-byte", event.Double, "Seconds from receiving the request to writing the first byte of the response."},
	{"x-edge-detailed-result-type", event.Varchar, "Detailed result type (OriginDnsError, ClientCommError, ...)."},
	{"sc-content-type", event.Varchar, "Content-Type header of the response."},
	{"sc-content-len", event.BigInt, "Content-Length header of the response."},
	{"sc-range-start", event.BigInt, "First byte of a range response."},
	{"sc-range-end", event.BigInt, "Last byte of a range response."},
}

// minDefaultFields is how many leading default fields a line without #Fields must have: enough for
// the request (through the query string). Older logs hold a prefix of today's default order.
const minDefaultFields = 12

var fieldType = func() map[string]event.ColumnType {
	m := make(map[string]event.ColumnType, len(fields))
	for _, f := range fields {
		m[f.w3c] = f.typ
	}
	return m
}()

// sqlName makes a W3C field name SQL-friendly: cs(User-Agent) becomes cs_user_agent.
func sqlName(w3c string) string {
	r := strings.NewReplacer("(", "_", ")", "", "-", "_")
	return strings.ToLower(r.Replace(w3c))
}

// Format is the cloudfront log type.
var Format = &parse.Format{
	Name:  "cloudfront",
	Title: "Amazon CloudFront standard access logs",
	Doc: "Viewer requests served by a CloudFront distribution, from standard (legacy) logging: W3C extended log files " +
		"with \"#Version:\" and \"#Fields:\" directives (skipped; #Fields sets the field order) and one tab-separated request " +
		"per line. Without a #Fields line the documented default order is used, of which older lines may hold a prefix. " +
		"Columns are the W3C names made SQL-friendly (cs(User-Agent) is cs_user_agent, x-edge-location is x_edge_location). " +
		"The core user agent is URL-decoded; the URL is built from protocol, Host header, path and query. The outcome is " +
		"failure for 4xx and 5xx responses.",
	Kind:    parse.Text,
	Detect:  detect,
	Columns: columns(),
	New:     func() parse.Parser { return &parser{lay: defaultLayout} },
}

func init() { parse.Register(Format) }

func columns() []parse.Column {
	var out []parse.Column
	for _, f := range fields {
		if f.w3c == "time" {
			continue // the core time column holds date and time
		}
		c := parse.Column{Name: sqlName(f.w3c), Type: f.typ, Doc: f.doc}
		// The row answers to the W3C name; '-' and '_' are interchangeable there, parentheses are not.
		if strings.ContainsAny(f.w3c, "()") {
			c.Path = f.w3c
		}
		out = append(out, c)
	}
	return out
}

// layout is a field order: the shared Schema, the kind of each field and the positions of the fields
// the core columns come from (-1 when absent).
type layout struct {
	schema     *event.Schema
	typed      []event.Kind
	fromHeader bool

	date, tm, edge, scBytes, cip, method, csHost, stem, status, ua, query, reqID, hostHeader, proto, cport int
}

func newLayout(names []string, fromHeader bool) *layout {
	l := &layout{schema: event.NewSchema(names...), typed: make([]event.Kind, len(names)), fromHeader: fromHeader}
	for i, n := range names {
		l.typed[i] = event.KindString
		if t, ok := fieldType[n]; ok && t != event.Varchar {
			l.typed[i] = event.KindNumber
		}
	}
	pos := func(name string) int {
		for i, n := range names {
			if n == name {
				return i
			}
		}
		return -1
	}
	l.date, l.tm, l.edge, l.scBytes, l.cip = pos("date"), pos("time"), pos("x-edge-location"), pos("sc-bytes"), pos("c-ip")
	l.method, l.csHost, l.stem, l.status, l.ua = pos("cs-method"), pos("cs(Host)"), pos("cs-uri-stem"), pos("sc-status"), pos("cs(User-Agent)")
	l.query, l.reqID, l.hostHeader, l.proto, l.cport = pos("cs-uri-query"), pos("x-edge-request-id"), pos("x-host-header"), pos("cs-protocol"), pos("c-port")
	return l
}

var defaultLayout = func() *layout {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.w3c
	}
	return newLayout(names, false)
}()

type parser struct {
	lay     *layout
	values  []string
	missing []bool
	row     event.Row
}

// Parse implements parse.Parser.
func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	line := string(rec.Data)
	if strings.HasPrefix(line, "#") {
		if names, ok := strings.CutPrefix(line, "#Fields:"); ok {
			if f := strings.Fields(names); len(f) > 0 {
				p.lay = newLayout(f, true)
			}
		}
		// #Version, #Fields and any other W3C directive are not requests.
		return parse.ErrSkip
	}
	l := p.lay
	want := len(l.typed)
	p.values = p.values[:0]
	for f := range strings.SplitSeq(line, "\t") {
		p.values = append(p.values, f)
	}
	// A trailing tab leaves empty fields after the last one; they carry nothing.
	for len(p.values) > want && p.values[len(p.values)-1] == "" {
		p.values = p.values[:len(p.values)-1]
	}
	n := len(p.values)
	switch {
	case l.fromHeader && n != want:
		return fmt.Errorf("cloudfront: expected %d tab-separated fields as named by the #Fields line, got %d", want, n)
	case !l.fromHeader && (n > want || n < minDefaultFields):
		return fmt.Errorf("cloudfront: expected %d to %d tab-separated fields of the default format, got %d", minDefaultFields, want, n)
	}
	if cap(p.missing) < n {
		p.missing = make([]bool, want)
	}
	p.missing = p.missing[:n]
	for i, v := range p.values {
		p.missing[i] = v == "-" || v == ""
		if p.missing[i] {
			p.values[i] = ""
		} else if l.typed[i] == event.KindNumber {
			if strings.Trim(v, "0") == "" {
				// sc-status 000 (the viewer left before a response): a JSON number has no leading zeros.
				p.values[i] = "0"
			} else if !isNumber(v) {
				return fmt.Errorf("cloudfront: %s should be a number, found %q", l.schema.Names()[i], clip(v))
			}
		}
	}
	date, tm := p.get(l.date), p.get(l.tm)
	t, err := time.Parse("2006-01-02 15:04:05", date+" "+tm)
	if err != nil {
		return fmt.Errorf("cloudfront: expected date and time as 2019-12-04 and 21:02:31, found %q and %q", clip(date), clip(tm))
	}
	p.row = event.Row{Schema: l.schema, Values: p.values, Missing: p.missing, Typed: l.typed[:n]}
	ev.Fields = &p.row
	ev.Time = t
	ev.ClassName = "HTTP Activity"
	ev.Host = p.get(l.edge)
	ev.EventID = p.get(l.reqID)
	ev.SrcIP = parse.ParseIP(p.get(l.cip))
	ev.SrcPort = parse.ParsePort(p.get(l.cport))
	ev.HTTPMethod = p.get(l.method)
	ev.Activity = ev.HTTPMethod
	ev.UserAgent = unescape(p.get(l.ua))
	ev.HTTPStatus = parse.ParsePort(p.get(l.status))
	switch {
	case ev.HTTPStatus >= 400:
		ev.Outcome = "failure"
	case ev.HTTPStatus > 0:
		ev.Outcome = "success"
	}
	if s := p.get(l.scBytes); s != "" {
		ev.Bytes, _ = strconv.ParseInt(s, 10, 64)
		ev.HasTraffic = true
	}
	ev.URL = p.url()
	return nil
}

// url rebuilds the requested URL from protocol, the Host header the viewer sent (else the
// distribution's domain), path and query.
func (p *parser) url() string {
	l := p.lay
	stem := p.get(l.stem)
	if stem == "" {
		return ""
	}
	host := p.get(l.hostHeader)
	if host == "" {
		host = p.get(l.csHost)
	}
	var b strings.Builder
	if host != "" {
		scheme := strings.ToLower(p.get(l.proto))
		if scheme == "" {
			scheme = "http"
		}
		b.WriteString(scheme)
		b.WriteString("://")
		b.WriteString(host)
	}
	b.WriteString(stem)
	if q := p.get(l.query); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

func (p *parser) get(i int) string {
	if i < 0 || i >= len(p.values) || p.missing[i] {
		return ""
	}
	return p.values[i]
}

// unescape undoes the %XX encoding CloudFront applies to spaces and other characters of header values.
// Malformed escapes are kept as they are: the value is evidence, not something to reject.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// isNumber accepts integers and decimals in the shape of a JSON number, since the text goes into the
// event's JSON as it is.
func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 18 || len(whole) > 1 && whole[0] == '0' {
		return false
	}
	if !digits(whole) {
		return false
	}
	return !dot || frac != "" && digits(frac)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// detect scores the #Fields directive of a CloudFront log 100 (the x-edge- fields are CloudFront's),
// #Version 30 (other W3C logs start with it too) and a data line 90 when it starts with date, time
// and an edge location and has at least the leading default fields.
func detect(rec *parse.Record) int {
	line := string(rec.Data)
	if strings.HasPrefix(line, "#") {
		switch {
		case strings.HasPrefix(line, "#Fields:") && strings.Contains(line, "x-edge-"):
			return 100
		case strings.HasPrefix(line, "#Version:"):
			return 30
		}
		return 0
	}
	if strings.Count(line, "\t") < minDefaultFields-1 {
		return 0
	}
	f := strings.SplitN(line, "\t", 7)
	if _, err := time.Parse("2006-01-02 15:04:05", f[0]+" "+f[1]); err != nil {
		return 0
	}
	if !isEdgeLocation(f[2]) || !isNumber(f[3]) || !parse.ParseIP(f[4]).IsValid() {
		return 0
	}
	return 90
}

// isEdgeLocation accepts edge location codes: three letters, digits, and an optional -suffix (SEA19-C1).
func isEdgeLocation(s string) bool {
	code, _, _ := strings.Cut(s, "-")
	if len(code) < 4 {
		return false
	}
	for i := range 3 {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return digits(code[3:])
}
