// Package waf parses AWS WAF (v2) web ACL traffic logs: one JSON object per inspected request, as
// delivered to S3, to CloudWatch Logs or through Firehose (JSON lines, JSON arrays, records
// concatenated without separators, CloudWatch Logs subscription payloads; the framing and envelopes
// are undone by package parse).
//
// The native fields are the record itself, with two derived columns the record does not carry
// directly: httpRequest_host (httpRequest.host, or the Host header when that field is absent, as it
// is in most logs) and httpRequest_userAgent (the User-Agent header, matched case-insensitively).
package waf

import (
	"fmt"
	"strconv"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/jsonlog"
)

// Format is the waf log type.
var Format = &parse.Format{
	Name:  "waf",
	Title: "AWS WAF",
	Doc: "AWS WAF v2 web ACL logs: one record per inspected request with the terminating rule, the action taken, " +
		"the rule groups and non-terminating matches, labels and the request's address, country, headers, URI and " +
		"arguments. Accepted as JSON lines (S3 or Firehose delivery, gzipped or not), records concatenated without " +
		"newlines, JSON arrays and CloudWatch Logs subscription payloads. disposition is allowed for ALLOW and COUNT " +
		"and denied for BLOCK, CAPTCHA and CHALLENGE (a request logged with a CAPTCHA or CHALLENGE action did not " +
		"carry a valid token and was answered with the puzzle instead of reaching the origin). url is rebuilt from " +
		"scheme, host, uri and args; without a logged scheme it is scheme-relative (//host/uri).",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "timestamp", Type: event.BigInt, Doc: "Time WAF inspected the request, Unix milliseconds."},
		{Name: "formatVersion", Type: event.Integer, Doc: "Log format version."},
		{Name: "webaclId", Type: event.Varchar, Doc: "ARN of the web ACL."},
		{Name: "action", Type: event.Varchar, Doc: "Terminating action: ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE."},
		{Name: "terminatingRuleId", Type: event.Varchar, Doc: "Rule that terminated the inspection, Default_Action when none did."},
		{Name: "terminatingRuleType", Type: event.Varchar, Doc: "REGULAR, RATE_BASED, GROUP or MANAGED_RULE_GROUP."},
		{Name: "httpSourceName", Type: event.Varchar, Doc: "Source of the request: CF, ALB, APIGW, APPSYNC, COGNITOIDP, APPRUNNER, VERIFIED_ACCESS, or -."},
		{Name: "httpSourceId", Type: event.Varchar, Doc: "Id of the protected resource (distribution, load balancer, API stage)."},
		{Name: "responseCodeSent", Type: event.Integer, Doc: "Status of a custom response sent by WAF."},
		{Name: "httpRequest_clientIp", Path: "httpRequest.clientIp", Type: event.Varchar, Doc: "Client address as seen by WAF."},
		{Name: "httpRequest_country", Path: "httpRequest.country", Type: event.Varchar, Doc: "Client country (ISO 3166-1 alpha-2) as determined by WAF."},
		{Name: "httpRequest_httpMethod", Path: "httpRequest.httpMethod", Type: event.Varchar, Doc: "HTTP method."},
		{Name: "httpRequest_host", Type: event.Varchar, Doc: "Requested host: httpRequest.host, or the Host header."},
		{Name: "httpRequest_uri", Path: "httpRequest.uri", Type: event.Varchar, Doc: "Request path."},
		{Name: "httpRequest_args", Path: "httpRequest.args", Type: event.Varchar, Doc: "Query string, without the '?'."},
		{Name: "httpRequest_httpVersion", Path: "httpRequest.httpVersion", Type: event.Varchar, Doc: "HTTP version (HTTP/1.1, HTTP/2.0)."},
		{Name: "httpRequest_scheme", Path: "httpRequest.scheme", Type: event.Varchar, Doc: "Request scheme, where logged."},
		{Name: "httpRequest_fragment", Path: "httpRequest.fragment", Type: event.Varchar, Doc: "URI fragment, where logged."},
		{Name: "httpRequest_requestId", Path: "httpRequest.requestId", Type: event.Varchar, Doc: "Request id of the protected resource (CloudFront or ALB id)."},
		{Name: "httpRequest_userAgent", Type: event.Varchar, Doc: "User-Agent header of the request."},
		{Name: "ja3Fingerprint", Type: event.Varchar, Doc: "JA3 fingerprint of the client's TLS hello."},
		{Name: "ja4Fingerprint", Type: event.Varchar, Doc: "JA4 fingerprint of the client's TLS hello."},
		{Name: "requestBodySize", Type: event.BigInt, Doc: "Size of the request body."},
		{Name: "requestBodySizeInspectedByWAF", Type: event.BigInt, Doc: "Part of the body WAF inspected."},
		{Name: "httpRequest_headers", Path: "httpRequest.headers", Type: event.JSONType, Doc: "Request headers: [{name, value}]."},
		{Name: "terminatingRuleMatchDetails", Type: event.JSONType, Doc: "What the terminating rule matched (SQLi, XSS conditions, matched data)."},
		{Name: "ruleGroupList", Type: event.JSONType, Doc: "Rule groups evaluated, with their terminating, non-terminating and excluded rules."},
		{Name: "rateBasedRuleList", Type: event.JSONType, Doc: "Rate-based rules evaluated and their limits."},
		{Name: "nonTerminatingMatchingRules", Type: event.JSONType, Doc: "Rules that matched without terminating (COUNT, CAPTCHA/CHALLENGE with a valid token)."},
		{Name: "requestHeadersInserted", Type: event.JSONType, Doc: "Headers WAF inserted into the request."},
		{Name: "labels", Type: event.JSONType, Doc: "Labels the rules added: [{name}]."},
		{Name: "captchaResponse", Type: event.JSONType, Doc: "CAPTCHA outcome: responseCode, solveTimestamp, failureReason."},
		{Name: "challengeResponse", Type: event.JSONType, Doc: "Challenge outcome: responseCode, solveTimestamp, failureReason."},
		{Name: "oversizeFields", Type: event.JSONType, Doc: "Request parts too large for WAF to inspect."},
	},
	New: func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	v := rec.JSON
	if v == nil || v.Get("httpRequest") == nil {
		return 0
	}
	switch {
	case v.Get("webaclId") != nil:
		return 100
	case v.Get("terminatingRuleId") != nil && v.Get("action") != nil:
		return 90
	}
	return 0
}

type parser struct {
	f     fields
	url   []byte
	clean jsonlog.Sanitizer
}

// fields answers the two derived columns and hands everything else to the record.
type fields struct {
	event.Fields
	host, userAgent string
}

func (f *fields) Lookup(path string) (event.Value, bool) {
	switch path {
	case "httpRequest_host":
		return optional(f.host)
	case "httpRequest_userAgent":
		return optional(f.userAgent)
	}
	return f.Fields.Lookup(path)
}

func optional(s string) (event.Value, bool) {
	if s == "" {
		return event.Null, false
	}
	return event.String(s), true
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return fmt.Errorf("waf: expected a JSON object, got %s", kindOf(v))
	}
	v = p.clean.Value(rec, ev)
	req := v.Get("httpRequest")
	if req == nil || req.Type() != fastjson.TypeObject {
		return fmt.Errorf("waf: expected an httpRequest object, got %s", kindOf(req))
	}
	t, err := msTime(v.Get("timestamp"))
	if err != nil {
		return err
	}
	ev.Time = t
	ev.ClassName = "HTTP Activity"
	action := parse.StrRef(v, "action")
	ev.Activity = action
	switch action {
	case "ALLOW", "COUNT":
		ev.Disposition = "allowed"
	case "BLOCK", "CAPTCHA", "CHALLENGE":
		ev.Disposition = "denied"
	}
	ev.EventID = parse.StrRef(req, "requestId")
	ip := parse.StrRef(req, "clientIp")
	if ev.SrcIP = parse.ParseIP(ip); !ev.SrcIP.IsValid() && ip != "" {
		ev.Warn("httpRequest.clientIp is not an IP address")
	}
	ev.HTTPMethod = parse.StrRef(req, "httpMethod")
	if c := v.Get("responseCodeSent"); c != nil {
		if n, err := c.Int(); err == nil && n > 0 && n < 1000 {
			ev.HTTPStatus = n
		}
	}

	host := parse.StrRef(req, "host")
	var hostHeader string
	ua := ""
	for _, h := range req.GetArray("headers") {
		name := h.GetStringBytes("name")
		switch {
		case hostHeader == "" && equalFold(name, "host"):
			hostHeader = parse.StrRef(h, "value")
		case ua == "" && equalFold(name, "user-agent"):
			ua = parse.StrRef(h, "value")
		}
	}
	if host == "" {
		host = hostHeader
	}
	ev.UserAgent = ua
	ev.URL = p.buildURL(parse.StrRef(req, "scheme"), host, parse.StrRef(req, "uri"), parse.StrRef(req, "args"))

	p.f = fields{Fields: event.JSONObject(v), host: host, userAgent: ua}
	ev.Fields = &p.f
	return nil
}

// buildURL writes scheme://host/uri?args into the parser's buffer; the event may alias it until the
// next record, like it aliases the record itself.
func (p *parser) buildURL(scheme, host, uri, args string) string {
	if uri == "" && host == "" {
		return ""
	}
	b := p.url[:0]
	if host != "" {
		if scheme != "" {
			b = append(b, scheme...)
			b = append(b, ':')
		}
		b = append(b, "//"...)
		b = append(b, host...)
		if uri != "" && uri[0] != '/' {
			b = append(b, '/')
		}
	}
	b = append(b, uri...)
	if args != "" {
		b = append(b, '?')
		b = append(b, args...)
	}
	p.url = b
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// msTime reads the record's timestamp: Unix milliseconds, as a number or, from some pipelines, a
// string.
func msTime(v *fastjson.Value) (time.Time, error) {
	if v == nil {
		return time.Time{}, fmt.Errorf("waf: expected a timestamp in Unix milliseconds, got nothing")
	}
	var ms int64
	var err error
	switch v.Type() {
	case fastjson.TypeNumber:
		ms, err = v.Int64()
		if err != nil {
			f, ferr := v.Float64()
			if ferr != nil || f < 0 || f > 1e15 {
				return time.Time{}, fmt.Errorf("waf: timestamp %s is not Unix milliseconds", v.MarshalTo(nil))
			}
			ms, err = int64(f), nil
		}
	case fastjson.TypeString:
		ms, err = strconv.ParseInt(string(v.GetStringBytes()), 10, 64)
		if err != nil {
			if t, ok := parse.ParseTime(string(v.GetStringBytes())); ok {
				return t, nil
			}
		}
	default:
		return time.Time{}, fmt.Errorf("waf: expected a timestamp in Unix milliseconds, got %s", v.Type())
	}
	// Years 2000 to 2200: anything else is not a WAF log time.
	if err != nil || ms < 946684800000 || ms > 7258118400000 {
		return time.Time{}, fmt.Errorf("waf: timestamp %s is not Unix milliseconds", clip(v.MarshalTo(nil)))
	}
	return time.UnixMilli(ms).UTC(), nil
}

func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func kindOf(v *fastjson.Value) string {
	if v == nil {
		return "nothing"
	}
	return v.Type().String()
}

func clip(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}
