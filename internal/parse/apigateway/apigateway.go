// Package apigateway parses Amazon API Gateway access logs. Their shape is a template the API owner
// writes with $context variables, so this package accepts the shapes the AWS documentation
// recommends: JSON objects (REST and HTTP APIs; whichever of the documented keys are present are
// mapped) and the Common Log Format line
//
//	$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId [$context.extendedRequestId]
//
// (the HTTP API variant puts $context.routeKey where the resource path is). The templates themselves,
// still holding $context variables, are rejected with a reason that says so.
package apigateway

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the apigateway log type.
var Format = &parse.Format{
	Name:  "apigateway",
	Title: "Amazon API Gateway access logs",
	Doc: "Requests to REST, HTTP and WebSocket APIs as written by API Gateway access logging to CloudWatch Logs (or " +
		"Firehose). The log format is a user-defined template; accepted are the JSON templates the AWS documentation " +
		"recommends (keys such as requestId, extendedRequestId, ip or sourceIp, caller, user, requestTime, " +
		"requestTimeEpoch, httpMethod, resourcePath, path, routeKey, status, protocol, responseLength, userAgent, " +
		"integrationErrorMessage; whichever are present are mapped, others are kept as fields) and the recommended " +
		"Common Log Format line (source IP, caller, user, [request time], \"method path protocol\", status, response " +
		"length, request id, optionally the extended request id). A template that still holds $context variables is " +
		"dead-lettered. The outcome is failure for 4xx and 5xx statuses.",
	Kind:    parse.Text | parse.JSON,
	Detect:  detect,
	Columns: columns,
	New:     func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

var columns = []parse.Column{
	{Name: "requestId", Type: event.Varchar, Doc: "API Gateway's id of the request (the core event_id)."},
	{Name: "extendedRequestId", Type: event.Varchar, Doc: "Extended request id (x-amz-apigw-id), REST APIs."},
	{Name: "ip", Type: event.Varchar, Doc: "$context.identity.sourceIp: the client address (the core src_ip)."},
	{Name: "sourceIp", Type: event.Varchar, Doc: "Client address, in templates that name the key sourceIp."},
	{Name: "caller", Type: event.Varchar, Doc: "$context.identity.caller: principal of an IAM-signed request."},
	{Name: "user", Type: event.Varchar, Doc: "$context.identity.user: user of an IAM-signed request."},
	{Name: "requestTime", Type: event.Varchar, Doc: "Request time in CLF format (06/Feb/2019:00:00:38 +0000)."},
	{Name: "requestTimeEpoch", Type: event.BigInt, Doc: "Request time, Unix milliseconds."},
	{Name: "httpMethod", Type: event.Varchar, Doc: "HTTP method (the core http_method)."},
	{Name: "resourcePath", Type: event.Varchar, Doc: "Resource path of a REST API (/pets/{petId})."},
	{Name: "path", Type: event.Varchar, Doc: "Request path."},
	{Name: "routeKey", Type: event.Varchar, Doc: "Route of an HTTP or WebSocket API (GET /pets, $default)."},
	{Name: "status", Type: event.Integer, Doc: "Response status (the core http_status)."},
	{Name: "protocol", Type: event.Varchar, Doc: "Request protocol (HTTP/1.1)."},
	{Name: "responseLength", Type: event.BigInt, Doc: "Response payload length in bytes (the core bytes)."},
	{Name: "userAgent", Type: event.Varchar, Doc: "$context.identity.userAgent (the core user_agent)."},
	{Name: "integrationErrorMessage", Type: event.Varchar, Doc: "Error message of the integration."},
	{Name: "errorMessage", Type: event.Varchar, Doc: "$context.error.message: API Gateway's error message."},
	{Name: "domainName", Type: event.Varchar, Doc: "Domain name the API was called with."},
	{Name: "apiId", Type: event.Varchar, Doc: "API id."},
	{Name: "stage", Type: event.Varchar, Doc: "Deployment stage."},
	{Name: "integrationStatus", Type: event.Varchar, Doc: "Status returned by the integration."},
	{Name: "integrationLatency", Type: event.Varchar, Doc: "Integration latency in milliseconds."},
	{Name: "responseLatency", Type: event.Varchar, Doc: "Response latency in milliseconds."},
}

type parser struct {
	jp      fastjson.Parser
	fixed   []byte
	tokens  [clfMaxFields + 1]string
	quoted  [clfMaxFields + 1]bool
	values  [len(clfNames)]string
	missing [len(clfNames)]bool
	row     event.Row
}

// Parse implements parse.Parser.
func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	if bytes.Contains(rec.Data, []byte("$context.")) {
		return errTemplate
	}
	v := rec.JSON
	data := bytes.TrimSpace(rec.Data)
	if v == nil && (len(data) == 0 || data[0] != '{') {
		return p.parseCLF(string(data), ev)
	}
	// A JSON line in an input the decoder framed as text (one that starts with something else) is
	// parsed here; like the decoder, parse a copy with invalid UTF-8 repaired.
	if v == nil && !utf8.Valid(data) {
		p.fixed = append(p.fixed[:0], bytes.ToValidUTF8(data, []byte("\uFFFD"))...)
		data, v = p.fixed, nil
		ev.Warn("invalid UTF-8 replaced")
	}
	if v == nil {
		var err error
		if v, err = p.jp.ParseBytes(data); err != nil {
			return fmt.Errorf("apigateway: expected a JSON access-log object, found invalid JSON: %v", err)
		}
	}
	return parseJSON(v, ev)
}

var (
	errTemplate = errors.New("apigateway: this is an access-log format template with $context variables, not a log event")
	errNotJSON  = errors.New("apigateway: expected an access-log object with requestId, httpMethod or routeKey, and status; found none of them")
)

func parseJSON(v *fastjson.Value, ev *event.Event) error {
	if v.Type() != fastjson.TypeObject {
		return fmt.Errorf("apigateway: expected a JSON object, found %s", v.Type())
	}
	if !parse.Has(v, "requestId") && !(parse.Has(v, "status") && (parse.Has(v, "httpMethod") || parse.Has(v, "routeKey"))) {
		return errNotJSON
	}
	ev.Fields = event.JSONObject(v)
	ev.ClassName = "HTTP Activity"
	ev.EventID = str(v, "requestId")
	if s := str(v, "requestTimeEpoch"); s != "" {
		ev.Time, _ = parse.ParseEpoch(s)
	}
	if ev.Time.IsZero() {
		if s := str(v, "requestTime"); s != "" {
			t, ok := parse.ParseTime(s)
			if !ok {
				return fmt.Errorf("apigateway: requestTime should be a time such as 06/Feb/2019:00:00:38 +0000, found %q", clip(s))
			}
			ev.Time = t
		}
	}
	ip := str(v, "ip")
	if ip == "" {
		ip = str(v, "sourceIp")
	}
	ev.SrcIP = parse.ParseIP(ip)
	ev.ActorUser = actor(str(v, "user"), str(v, "caller"))
	ev.HTTPMethod = str(v, "httpMethod")
	path := str(v, "path")
	if path == "" {
		path = str(v, "resourcePath")
	}
	if route := str(v, "routeKey"); route != "" {
		method, rest, ok := strings.Cut(route, " ")
		if ev.HTTPMethod == "" && ok && isMethod(method) {
			ev.HTTPMethod = method
		}
		if path == "" && ok {
			path = rest
		}
	}
	ev.URL = path
	ev.Activity = ev.HTTPMethod
	ev.UserAgent = str(v, "userAgent")
	status := str(v, "status")
	if status != "" {
		n, err := strconv.Atoi(status)
		if err != nil || n < 0 || n > 999 {
			return fmt.Errorf("apigateway: status should be an HTTP status code, found %q", clip(status))
		}
		setStatus(ev, n)
	}
	if s := str(v, "responseLength"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			ev.Bytes, ev.HasTraffic = n, true
		}
	}
	return nil
}

// str returns a member as text ("" when absent, null or "-", the placeholder API Gateway writes for
// values it does not have).
func str(v *fastjson.Value, key string) string {
	s := parse.Str(v, key)
	if s == "-" {
		return ""
	}
	return s
}

func setStatus(ev *event.Event, n int) {
	ev.HTTPStatus = n
	switch {
	case n >= 400:
		ev.Outcome = "failure"
	case n > 0:
		ev.Outcome = "success"
	}
}

// actor names the IAM user or caller of a signed request; both are "-" for anonymous requests.
func actor(user, caller string) string {
	if user != "" && user != "-" {
		return user
	}
	if caller != "-" {
		return caller
	}
	return ""
}

// clfNames are the row fields of a CLF line, named like the keys of the recommended JSON template so
// that both shapes fill the same columns.
var clfNames = [...]string{"ip", "caller", "user", "requestTime", "httpMethod", "resourcePath", "protocol", "status", "responseLength", "requestId", "extendedRequestId"}

const (
	cIP = iota
	cCaller
	cUser
	cRequestTime
	cMethod
	cPath
	cProtocol
	cStatus
	cResponseLength
	cRequestID
	cExtendedRequestID
)

// Positions of the fields in a CLF line.
const (
	lIP = iota
	lCaller
	lUser
	lTime
	lRequest
	lStatus
	lLength
	lRequestID
	lExtendedRequestID
	clfMaxFields
)

var (
	clfSchema = event.NewSchema(clfNames[:]...)
	clfTyped  = func() []event.Kind {
		k := make([]event.Kind, len(clfNames))
		for i := range k {
			k[i] = event.KindString
		}
		k[cStatus], k[cResponseLength] = event.KindNumber, event.KindNumber
		return k
	}()
)

func (p *parser) parseCLF(line string, ev *event.Event) error {
	n, err := split(line, p.tokens[:], p.quoted[:])
	if err != nil {
		return err
	}
	if n != clfMaxFields && n != clfMaxFields-1 {
		return fmt.Errorf("apigateway: expected a JSON object or a CLF line of 8 or 9 fields (ip caller user [time] \"request\" status length requestId [extendedRequestId]), got %d fields", n)
	}
	tok := p.tokens[:n]
	if !p.quoted[lRequest] || p.quoted[lRequestID] || n > lExtendedRequestID && p.quoted[lExtendedRequestID] {
		return errors.New("apigateway: expected the request line in quotes and an unquoted request id after status and length, as the CLF template writes them")
	}
	t, err := time.Parse("02/Jan/2006:15:04:05 -0700", tok[lTime])
	if err != nil {
		return fmt.Errorf("apigateway: expected the request time as [06/Feb/2019:00:00:38 +0000], found %q", clip(tok[lTime]))
	}
	set := func(i int, s string) {
		p.values[i], p.missing[i] = s, s == "-" || s == ""
		if p.missing[i] {
			p.values[i] = ""
		}
	}
	for i := range p.values {
		set(i, "")
	}
	set(cIP, tok[lIP])
	set(cCaller, tok[lCaller])
	set(cUser, tok[lUser])
	set(cRequestTime, tok[lTime])
	method, path, proto := splitRequest(tok[lRequest])
	set(cMethod, method)
	set(cPath, path)
	set(cProtocol, proto)
	set(cStatus, tok[lStatus])
	set(cResponseLength, tok[lLength])
	set(cRequestID, tok[lRequestID])
	if n > lExtendedRequestID {
		set(cExtendedRequestID, tok[lExtendedRequestID])
	}
	for _, i := range []int{cStatus, cResponseLength} {
		if !p.missing[i] && !isDigits(p.values[i]) {
			return fmt.Errorf("apigateway: %s should be a number, found %q", clfNames[i], clip(p.values[i]))
		}
	}
	p.row = event.Row{Schema: clfSchema, Values: p.values[:], Missing: p.missing[:], Typed: clfTyped}
	ev.Fields = &p.row
	ev.Time = t.UTC()
	ev.ClassName = "HTTP Activity"
	ev.SrcIP = parse.ParseIP(tok[lIP])
	ev.ActorUser = actor(p.values[cUser], p.values[cCaller])
	ev.HTTPMethod = p.values[cMethod]
	ev.Activity = ev.HTTPMethod
	ev.URL = p.values[cPath]
	ev.EventID = p.values[cRequestID]
	if s := p.values[cStatus]; s != "" {
		n, _ := strconv.Atoi(s)
		setStatus(ev, n)
	}
	if s := p.values[cResponseLength]; s != "" {
		ev.Bytes, _ = strconv.ParseInt(s, 10, 64)
		ev.HasTraffic = true
	}
	return nil
}

// splitRequest splits "GET /pets HTTP/1.1". The HTTP API template writes the route key where the
// path goes, so "GET GET /pets HTTP/1.1" and "GET $default HTTP/1.1" occur too.
func splitRequest(req string) (method, path, proto string) {
	f := strings.Fields(req)
	if len(f) == 0 {
		return "", "", ""
	}
	method, f = f[0], f[1:]
	if len(f) > 0 && strings.HasPrefix(f[len(f)-1], "HTTP/") {
		proto, f = f[len(f)-1], f[:len(f)-1]
	}
	if len(f) == 2 && isMethod(f[0]) {
		f = f[1:]
	}
	return method, strings.Join(f, " "), proto
}

func isMethod(s string) bool {
	switch s {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "ANY":
		return true
	}
	return false
}

var (
	errUnterminatedQuote   = errors.New("apigateway: a quoted field is not closed: the line is truncated")
	errUnterminatedBracket = errors.New("apigateway: the bracketed time is not closed: the line is truncated")
)

// split cuts a CLF line into space-separated fields; a field in brackets runs to the closing bracket,
// a field in double quotes to the next quote. It records which fields were quoted and returns how
// many fields the line has, counting past len(out).
func split(line string, out []string, quoted []bool) (int, error) {
	n := 0
	for i := 0; i < len(line); {
		if line[i] == ' ' {
			i++
			continue
		}
		var tok string
		q := false
		switch line[i] {
		case '"', '[':
			closer := byte('"')
			if line[i] == '[' {
				closer = ']'
			}
			j := strings.IndexByte(line[i+1:], closer)
			if j < 0 {
				if closer == ']' {
					return n, errUnterminatedBracket
				}
				return n, errUnterminatedQuote
			}
			tok, q = line[i+1:i+1+j], closer == '"'
			i += j + 2
		default:
			j := strings.IndexByte(line[i:], ' ')
			if j < 0 {
				j = len(line) - i
			}
			tok = line[i : i+j]
			i += j
		}
		if n < len(out) {
			out[n], quoted[n] = tok, q
		}
		n++
	}
	return n, nil
}

// isDigits reports whether s is an unsigned integer in the shape of a JSON number: the text goes into
// the event's JSON as it is.
func isDigits(s string) bool {
	if s == "" || len(s) > 18 || len(s) > 1 && s[0] == '0' {
		return false
	}
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

// detect scores records of the recommended templates: a JSON object with requestId, a method or route
// and status 90; a CLF line whose ninth field is an unquoted request id 80. Apache's common and
// combined formats lack that id (the combined format has a quoted referer there). Templates with
// $context variables score 50, enough for this type to dead-letter them with a reason that says what
// they are.
func detect(rec *parse.Record) int {
	if bytes.Contains(rec.Data, []byte("$context.")) {
		return 50
	}
	if v := rec.JSON; v != nil {
		if v.Get("requestId") != nil && v.Get("status") != nil && (v.Get("httpMethod") != nil || v.Get("routeKey") != nil) {
			return 90
		}
		return 0
	}
	data := bytes.TrimSpace(rec.Data)
	if len(data) > 0 && data[0] == '{' {
		if bytes.Contains(data, []byte(`"requestId"`)) && bytes.Contains(data, []byte(`"status"`)) &&
			(bytes.Contains(data, []byte(`"httpMethod"`)) || bytes.Contains(data, []byte(`"routeKey"`))) {
			return 80
		}
		return 0
	}
	var tok [clfMaxFields + 1]string
	var quoted [clfMaxFields + 1]bool
	n, err := split(string(data), tok[:], quoted[:])
	if err != nil || n != clfMaxFields && n != clfMaxFields-1 || !quoted[lRequest] || quoted[lRequestID] {
		return 0
	}
	if _, err := time.Parse("02/Jan/2006:15:04:05 -0700", tok[lTime]); err != nil || !isRequestID(tok[lRequestID]) {
		return 0
	}
	return 80
}

// isRequestID accepts the ids API Gateway writes: UUIDs for REST APIs, base64-like ids for HTTP APIs.
func isRequestID(s string) bool {
	if len(s) < 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '=' || c == '_') {
			return false
		}
	}
	return true
}
