// Package alb parses AWS Application Load Balancer access logs: one request per line, space-separated
// fields with the request, user agent and other free text in double quotes, as the ELB documentation
// lists them. Lines written before AWS appended newer fields (domain_name, error_reason,
// classification, conn_trace_id, the transform fields …) are accepted; fields added after the ones
// known here are ignored.
package alb

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Positions of the fields in a log line, in the documented order.
const (
	fType = iota
	fTime
	fELB
	fClient
	fTarget
	fRequestProcessingTime
	fTargetProcessingTime
	fResponseProcessingTime
	fELBStatusCode
	fTargetStatusCode
	fReceivedBytes
	fSentBytes
	fRequest
	fUserAgent
	fSSLCipher
	fSSLProtocol
	fTargetGroupARN
	fTraceID
	fDomainName
	fChosenCertARN
	fMatchedRulePriority
	fRequestCreationTime
	fActionsExecuted
	fRedirectURL
	fErrorReason
	fTargetPortList
	fTargetStatusCodeList
	fClassification
	fClassificationReason
	fConnTraceID
	fTransformedHost
	fTransformedURI
	fRequestTransformStatus
	numFields
)

// numRow is the number of row values: the line's fields with client:port and target:port split.
const numRow = numFields + 2

// minFields is the length of the first ALB log format, which ended with trace_id.
const minFields = fTraceID + 1

// column is one field of the table. The client:port and target:port fields are stored split into
// address and port, so a line field may feed two columns.
type column struct {
	name string
	typ  event.ColumnType
	doc  string
}

var rowColumns = []column{
	{"type", event.Varchar, "Request type: http, https (HTTP over TLS), h2 (HTTP/2 over TLS), grpcs, ws, wss (WebSockets)."},
	{"time", event.Varchar, "Time the load balancer generated the response (ISO 8601, UTC); the core time column holds it."},
	{"elb", event.Varchar, "Resource id of the load balancer (app/name/id)."},
	{"client_ip", event.Varchar, "Client address, as in client:port."},
	{"client_port", event.Integer, "Client port."},
	{"target_ip", event.Varchar, "Target address; absent when the request reached no target."},
	{"target_port", event.Integer, "Target port."},
	{"request_processing_time", event.Double, "Seconds from receiving the request to sending it to a target; -1 when it was not sent."},
	{"target_processing_time", event.Double, "Seconds the target took to start its response; -1 when no response came."},
	{"response_processing_time", event.Double, "Seconds from the target's response to the start of the response to the client; -1 when none."},
	{"elb_status_code", event.Integer, "Status code the load balancer answered with (the core http_status)."},
	{"target_status_code", event.Integer, "Status code of the target's response."},
	{"received_bytes", event.BigInt, "Bytes of the request received from the client."},
	{"sent_bytes", event.BigInt, "Bytes of the response sent to the client."},
	{"request", event.Varchar, "Request line: method, URL with protocol, host and port, HTTP version."},
	{"user_agent", event.Varchar, "Client user agent; the core user_agent column holds it."},
	{"ssl_cipher", event.Varchar, "TLS cipher of an HTTPS listener."},
	{"ssl_protocol", event.Varchar, "TLS protocol version of an HTTPS listener."},
	{"target_group_arn", event.Varchar, "Target group the request was routed to."},
	{"trace_id", event.Varchar, "X-Amzn-Trace-Id header."},
	{"domain_name", event.Varchar, "SNI domain the client sent in the TLS handshake."},
	{"chosen_cert_arn", event.Varchar, "Certificate presented to the client (session-reused when the session was resumed)."},
	{"matched_rule_priority", event.Integer, "Priority of the listener rule that matched (0 for the default rule)."},
	{"request_creation_time", event.Varchar, "Time the load balancer received the request (ISO 8601, UTC)."},
	{"actions_executed", event.Varchar, "Actions taken (waf, authenticate, forward, redirect, fixed-response, ...), comma-separated."},
	{"redirect_url", event.Varchar, "Location of a redirect response."},
	{"error_reason", event.Varchar, "Error reason code (LambdaInvalidResponse, AuthInvalidCookie, ...)."},
	{"target_port_list", event.Varchar, "Targets that processed the request (target:port_list), space-separated."},
	{"target_status_code_list", event.Varchar, "Status codes of the targets' responses."},
	{"classification", event.Varchar, "Desync mitigation classification: Acceptable, Ambiguous or Severe."},
	{"classification_reason", event.Varchar, "Why the request was classified Ambiguous or Severe."},
	{"conn_trace_id", event.Varchar, "Connection traceability id, shared with the connection log."},
	{"transformed_host", event.Varchar, "Host header after a host header rewrite transform."},
	{"transformed_uri", event.Varchar, "URI after a URL rewrite transform."},
	{"request_transform_status", event.Varchar, "Result of the rewrite transforms (TransformSuccess, ...)."},
}

// Positions of the split address and port in the row.
const (
	rClientIP   = 3
	rClientPort = 4
	rTargetIP   = 5
	rTargetPort = 6
	// rAfterTarget is the row position of request_processing_time: line field i >= fRequestProcessingTime
	// is row column i+2.
	rAfterTarget = 7
)

var (
	schema = func() *event.Schema {
		names := make([]string, len(rowColumns))
		for i, c := range rowColumns {
			names[i] = c.name
		}
		// target:port_list is the documented name; the schema answers to it and to target_port_list.
		return event.NewSchema(names...)
	}()
	typed = func() []event.Kind {
		k := make([]event.Kind, len(rowColumns))
		for i, c := range rowColumns {
			if c.typ == event.Varchar {
				k[i] = event.KindString
			} else {
				k[i] = event.KindNumber
			}
		}
		return k
	}()
)

// Format is the alb log type.
var Format = &parse.Format{
	Name:  "alb",
	Title: "AWS Application Load Balancer",
	Doc: "Access logs of Application Load Balancers: one request per line with the request type, time, load balancer, " +
		"client and target, processing times, status codes, byte counts, the quoted request line and user agent, TLS " +
		"details, target group, trace id and the routing, error and desync-classification fields AWS added later. " +
		"Older lines with fewer trailing fields are accepted (at least through trace_id); newer trailing fields are " +
		"ignored. client:port and target:port are stored split into client_ip/client_port and target_ip/target_port. " +
		"The outcome is failure for 4xx and 5xx responses of the load balancer, success otherwise; requests a WAF " +
		"blocked (actions_executed has waf, status 403) have disposition denied.",
	Kind:    parse.Text,
	Detect:  detect,
	Columns: columns(),
	New:     func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func columns() []parse.Column {
	var out []parse.Column
	for _, c := range rowColumns {
		if _, core := event.CoreColumnByName(c.name); core {
			continue // the core column of the same name holds it
		}
		out = append(out, parse.Column{Name: c.name, Type: c.typ, Doc: c.doc})
	}
	return out
}

type parser struct {
	tokens  [numFields + 1]string
	values  [numRow]string
	missing [numRow]bool
	row     event.Row
}

var requestTypes = map[string]bool{"http": true, "https": true, "h2": true, "grpcs": true, "ws": true, "wss": true}

// Parse implements parse.Parser.
func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	line := string(rec.Data)
	n, err := parse.SplitQuoted(line, p.tokens[:], false)
	if err != nil {
		return errUnterminated
	}
	if n == 0 || !requestTypes[p.tokens[fType]] {
		return fmt.Errorf("alb: expected a request type (http, https, h2, grpcs, ws, wss) first, found %q", clip(p.tokens[fType]))
	}
	if n < minFields {
		return fmt.Errorf("alb: expected at least %d fields (type through trace_id), got %d", minFields, n)
	}
	n = min(n, numFields)
	tok := p.tokens[:n]
	t, err := time.Parse(time.RFC3339Nano, tok[fTime])
	if err != nil {
		return fmt.Errorf("alb: expected an ISO 8601 time as the second field, found %q", clip(tok[fTime]))
	}
	ev.Time = t.UTC()

	// Lay the tokens out as row values, splitting client:port and target:port.
	rows := n + 2
	for i := range rows {
		p.values[i], p.missing[i] = "", true
	}
	set := func(r int, v string) {
		if v != "-" && v != "" {
			p.values[r], p.missing[r] = v, false
		}
	}
	for i := range fClient {
		set(i, tok[i])
	}
	splitAddr(tok[fClient], set, rClientIP, rClientPort)
	splitAddr(tok[fTarget], set, rTargetIP, rTargetPort)
	for i := fRequestProcessingTime; i < n; i++ {
		set(i+2, tok[i])
	}
	for r := range rows {
		if typed[r] == event.KindNumber && !p.missing[r] && !isNumber(p.values[r]) {
			return fmt.Errorf("alb: %s should be a number, found %q", rowColumns[r].name, clip(p.values[r]))
		}
	}
	p.row = event.Row{Schema: schema, Values: p.values[:rows], Missing: p.missing[:rows], Typed: typed[:rows]}
	ev.Fields = &p.row

	ev.ClassName = "HTTP Activity"
	ev.Host = tok[fELB]
	ev.SrcIP = parse.ParseIP(p.get(rClientIP))
	ev.SrcPort = parse.ParsePort(p.get(rClientPort))
	ev.DstIP = parse.ParseIP(p.get(rTargetIP))
	ev.DstPort = parse.ParsePort(p.get(rTargetPort))
	if req := tok[fRequest]; req != "- - -" {
		method, rest, _ := strings.Cut(req, " ")
		if i := strings.LastIndexByte(rest, ' '); i >= 0 {
			rest = rest[:i]
		}
		if method != "-" {
			ev.HTTPMethod = method
		}
		if rest != "-" {
			ev.URL = rest
		}
	}
	ev.Activity = ev.HTTPMethod
	if ua := tok[fUserAgent]; ua != "-" {
		ev.UserAgent = ua
	}
	ev.HTTPStatus, _ = strconv.Atoi(p.get(rAfterTarget + fELBStatusCode - fRequestProcessingTime))
	switch {
	case ev.HTTPStatus >= 400:
		ev.Outcome = "failure"
	case ev.HTTPStatus > 0:
		ev.Outcome = "success"
	}
	recv, _ := strconv.ParseInt(tok[fReceivedBytes], 10, 64)
	sent, _ := strconv.ParseInt(tok[fSentBytes], 10, 64)
	ev.Bytes, ev.HasTraffic = recv+sent, true
	if n > fActionsExecuted && strings.Contains(tok[fActionsExecuted], "waf") {
		ev.Disposition = "allowed"
		if ev.HTTPStatus == 403 {
			ev.Disposition = "denied"
		}
	}
	arn := tok[fTargetGroupARN]
	if !strings.HasPrefix(arn, "arn:") && n > fChosenCertARN {
		arn = tok[fChosenCertARN]
	}
	ev.CloudRegion, ev.CloudAccount = parse.ARNRegionAccount(arn)
	return nil
}

func (p *parser) get(r int) string {
	if p.missing[r] {
		return ""
	}
	return p.values[r]
}

// splitAddr stores "addr:port" as two row values. An IPv6 client is written without brackets, so the
// port is what follows the last colon.
func splitAddr(s string, set func(int, string), rAddr, rPort int) {
	if s == "-" {
		return
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 || !isDigits(s[i+1:]) {
		set(rAddr, s)
		return
	}
	set(rAddr, strings.TrimSuffix(strings.TrimPrefix(s[:i], "["), "]"))
	set(rPort, s[i+1:])
}

var errUnterminated = errors.New("alb: a quoted field is not closed: the line is truncated")

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNumber accepts what the numeric fields hold, integers and decimals, negative for the -1 of
// processing times, in the shape of a JSON number: the text goes into the event's JSON as it is.
func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	if len(whole) > 1 && whole[0] == '0' {
		return false
	}
	return isDigits(whole) && (!dot || isDigits(frac))
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// detect recognises the fixed start of every line: a request type, an ISO 8601 time and the load
// balancer's app/ id. No other log has that shape.
func detect(rec *parse.Record) int {
	line := string(rec.Data)
	typ, rest, _ := strings.Cut(line, " ")
	if !requestTypes[typ] {
		return 0
	}
	ts, rest, _ := strings.Cut(rest, " ")
	if len(ts) < 20 || ts[4] != '-' || ts[10] != 'T' || !strings.HasSuffix(ts, "Z") {
		return 0
	}
	if !strings.HasPrefix(rest, "app/") {
		return 0
	}
	return 100
}
