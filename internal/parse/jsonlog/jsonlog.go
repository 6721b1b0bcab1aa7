// Package jsonlog is the generic JSON log type: any JSON object that no specific format claims
// (application logs, log shippers' output, SaaS audit logs such as the Okta System Log). It scores
// 10 on every object, so every specific format wins over it.
//
// The record is stored as it is; the core fields are filled from well-known member names, listed
// below in the order they are tried (a dotted name is a nested member; the first that holds a usable
// value wins):
//
//   - time: @timestamp, timestamp, time, eventTime, event_time, ts, date, datetime, published,
//     created_at, createdAt, created, creationTime, CreationTime, TimeGenerated, TimeCreated,
//     EventTime, Timestamp, requestReceivedTimestamp, occurred_at, logged_at, event_timestamp, _time,
//     then the nested shapes event.created (ECS), _source.@timestamp (Elasticsearch exports),
//     attributes.timestamp (Datadog exports), id.time (Google Workspace), receiveTimestamp (Google
//     Cloud Logging, its ingest time). Strings in the usual layouts and Unix times in seconds,
//     milliseconds, microseconds or nanoseconds are accepted, between the years 1990 and 2200. With
//     no time the event keeps none and the decoder stores the ingest time with a warning.
//   - src_ip / src_port: src_ip, source_ip, srcip, client_ip, clientIp, clientIP, remote_addr,
//     remote_ip, remoteAddr, ip, ip_address, ipAddress, sourceIPAddress, callerIpAddress, ClientIP,
//     source.ip, client.ip, client.ipAddress (Okta), src_endpoint.ip (OCSF),
//     protoPayload.requestMetadata.callerIp (Google Cloud audit); ports from src_port, source_port,
//     srcport, sport, source.port, client.port, src_endpoint.port.
//   - dst_ip / dst_port: dst_ip, dest_ip, destination_ip, dstip, destination.ip, server.ip,
//     dst_endpoint.ip; dst_port, dest_port, destination_port, dport, destination.port, server.port,
//     dst_endpoint.port.
//   - actor_user: user, username, user_name, userName, userPrincipalName, UserId, actor.alternateId
//     (Okta), user.name (ECS), actor (a string, as in GitHub audit logs),
//     protoPayload.authenticationInfo.principalEmail, userIdentity.userName (CloudTrail records that
//     a shipper changed beyond recognition); actor_uid: user_id, userId, uid, actor.id (Okta),
//     user.id (ECS), userIdentity.arn.
//   - user_agent: user_agent, userAgent, http_user_agent, client.userAgent.rawUserAgent (Okta),
//     user_agent.original (ECS), http.user_agent, httpRequest.userAgent.
//   - activity: eventName, event_name (the verb of CloudTrail-like records), eventType, event_type
//     (Okta), event, action, activity, event.action, operation, Operation.
//   - outcome: outcome.result (Okta), event.outcome (ECS), outcome, result, status, success (a
//     bool); success/succeeded/allow/allowed/ok/pass map to success, failure/failed/deny/denied/
//     error/blocked/rejected to failure, other words leave it empty.
//   - event_id: uuid, event_id, eventId, eventID, event.id.
//   - host: host, hostname, host.name, host.hostname, Computer.
//   - http_method, url, http_status: http_method, method, request_method, http.request.method,
//     httpRequest.requestMethod; url, request_url, url.full, url.original, httpRequest.requestUrl;
//     status_code, http_status, response_code, http.response.status_code, httpRequest.status, and
//     status when it is a number from 100 to 599.
//   - cloud_account, cloud_region: cloud.account.id, account_id, accountId, recipientAccountId;
//     cloud.region, region, awsRegion.
//   - severity_id: severity, level, log.level, loglevel as words (debug/info informational,
//     low, warn/medium, error/high, critical/alert/emergency, fatal).
//   - class_name: Authentication for Okta sign-in events (eventType user.session.start,
//     user.authentication.*, user.mfa.*), otherwise empty: a generic record does not say.
//
// Values that are objects or arrays never fill a text core field.
package jsonlog

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the generic json log type.
var Format = &parse.Format{
	Name:  "json",
	Title: "Generic JSON",
	Doc: "Any JSON object no specific log type recognises: application logs, shipper output, SaaS audit logs (the " +
		"Okta System Log comes out with its user, address, user agent, event type and outcome). Accepted as JSON lines, " +
		"arrays, concatenated or pretty-printed documents and inside CloudWatch Logs payloads. There are no fixed " +
		"columns: the record is stored and its members are reachable by name and dotted path. Time and core fields come " +
		"from well-known member names (@timestamp, timestamp, time, eventTime, published ...; src_ip, client.ipAddress, " +
		"user, actor.alternateId, eventType, outcome.result, uuid ...); records without a time get the ingest time.",
	Kind:   parse.JSON,
	Detect: detect,
	New:    func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	if rec.JSON == nil || rec.JSON.Type() != fastjson.TypeObject {
		return 0
	}
	return 10
}

func paths(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		// "@timestamp" and "_source.@timestamp" split on dots like any other path.
		out[i] = strings.Split(p, ".")
	}
	return out
}

var (
	timeKeys = paths("@timestamp", "timestamp", "time", "eventTime", "event_time", "ts", "date", "datetime",
		"published", "created_at", "createdAt", "created", "creationTime", "CreationTime", "TimeGenerated",
		"TimeCreated", "EventTime", "Timestamp", "requestReceivedTimestamp", "occurred_at", "logged_at",
		"event_timestamp", "_time", "event.created", "_source.@timestamp", "attributes.timestamp", "id.time",
		"receiveTimestamp")
	srcIPKeys = paths("src_ip", "source_ip", "srcip", "client_ip", "clientIp", "clientIP", "remote_addr", "remote_ip",
		"remoteAddr", "ip", "ip_address", "ipAddress", "sourceIPAddress", "callerIpAddress", "ClientIP", "source.ip",
		"client.ip", "client.ipAddress", "src_endpoint.ip", "protoPayload.requestMetadata.callerIp")
	srcPortKeys = paths("src_port", "source_port", "srcport", "sport", "source.port", "client.port", "src_endpoint.port")
	dstIPKeys   = paths("dst_ip", "dest_ip", "destination_ip", "dstip", "destination.ip", "server.ip", "dst_endpoint.ip")
	dstPortKeys = paths("dst_port", "dest_port", "destination_port", "dport", "destination.port", "server.port", "dst_endpoint.port")
	userKeys    = paths("user", "username", "user_name", "userName", "userPrincipalName", "UserId", "actor.alternateId",
		"user.name", "actor", "protoPayload.authenticationInfo.principalEmail", "userIdentity.userName")
	uidKeys      = paths("user_id", "userId", "uid", "actor.id", "user.id", "userIdentity.arn")
	uaKeys       = paths("user_agent", "userAgent", "http_user_agent", "client.userAgent.rawUserAgent", "user_agent.original", "http.user_agent", "httpRequest.userAgent")
	activityKeys = paths("eventName", "event_name", "eventType", "event_type", "event", "action", "activity", "event.action", "operation", "Operation")
	outcomeKeys  = paths("outcome.result", "event.outcome", "outcome", "result", "status", "success")
	idKeys       = paths("uuid", "event_id", "eventId", "eventID", "event.id")
	hostKeys     = paths("host", "hostname", "host.name", "host.hostname", "Computer")
	methodKeys   = paths("http_method", "method", "request_method", "http.request.method", "httpRequest.requestMethod")
	urlKeys      = paths("url", "request_url", "url.full", "url.original", "httpRequest.requestUrl")
	statusKeys   = paths("status_code", "http_status", "response_code", "http.response.status_code", "httpRequest.status", "status")
	accountKeys  = paths("cloud.account.id", "account_id", "accountId", "recipientAccountId")
	regionKeys   = paths("cloud.region", "region", "awsRegion")
	levelKeys    = paths("severity", "level", "log.level", "loglevel")
)

type parser struct {
	clean Sanitizer
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return errNotObject(v)
	}
	v = p.clean.Value(rec, ev)
	ev.Fields = event.JSONObject(v)
	for _, k := range timeKeys {
		if t, ok := timeValue(v.Get(k...)); ok {
			ev.Time = t
			break
		}
	}
	for _, k := range srcIPKeys {
		if a, port := addrPort(parse.StrRef(v.Get(k...))); a.IsValid() {
			ev.SrcIP, ev.SrcPort = a, port
			break
		}
	}
	if ev.SrcPort == 0 {
		ev.SrcPort = portOf(v, srcPortKeys)
	}
	for _, k := range dstIPKeys {
		if a, port := addrPort(parse.StrRef(v.Get(k...))); a.IsValid() {
			ev.DstIP, ev.DstPort = a, port
			break
		}
	}
	if ev.DstPort == 0 {
		ev.DstPort = portOf(v, dstPortKeys)
	}
	ev.ActorUser = firstStr(v, userKeys)
	ev.ActorUID = firstStr(v, uidKeys)
	ev.UserAgent = firstStr(v, uaKeys)
	ev.Activity = firstStr(v, activityKeys)
	ev.EventID = firstStr(v, idKeys)
	ev.Host = firstStr(v, hostKeys)
	ev.HTTPMethod = firstStr(v, methodKeys)
	ev.URL = firstStr(v, urlKeys)
	ev.CloudAccount = firstStr(v, accountKeys)
	ev.CloudRegion = firstStr(v, regionKeys)
	for _, k := range statusKeys {
		if n, ok := number(v.Get(k...)); ok && n >= 100 && n <= 599 {
			ev.HTTPStatus = int(n)
			break
		}
	}
	for _, k := range outcomeKeys {
		if o := outcome(v.Get(k...)); o != "" {
			ev.Outcome = o
			break
		}
	}
	for _, k := range levelKeys {
		if s := severity(parse.StrRef(v.Get(k...))); s != 0 {
			ev.SeverityID = s
			break
		}
	}
	if v.Get("eventType") != nil && v.Get("published") != nil && v.Get("actor") != nil {
		a := ev.Activity
		if a == "user.session.start" || strings.HasPrefix(a, "user.authentication.") || strings.HasPrefix(a, "user.mfa.") {
			ev.ClassName = "Authentication"
		}
	}
	return nil
}

func errNotObject(v *fastjson.Value) error {
	kind := "nothing"
	if v != nil {
		kind = v.Type().String()
	}
	return &notObject{kind}
}

type notObject struct{ kind string }

func (e *notObject) Error() string { return "json: expected a JSON object, got " + e.kind }

// addrPort parses an address with or without a port; absent members cost nothing.
func addrPort(s string) (netip.Addr, int) {
	if s == "" {
		return netip.Addr{}, 0
	}
	// Only "a.b.c.d:port" and "[v6]:port" carry a port; trying a bare address as one would build an
	// error per record.
	if s[0] == '[' || strings.Count(s, ":") == 1 {
		return parse.SplitHostPort(s)
	}
	return parse.ParseIP(s), 0
}

// number returns the integer value of a number or numeric string member without allocating.
func number(v *fastjson.Value) (int64, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		f := v.GetFloat64()
		if f != float64(int64(f)) {
			return 0, false
		}
		return int64(f), true
	case fastjson.TypeString:
		n, err := strconv.ParseInt(strings.TrimSpace(parse.StrRef(v)), 10, 64)
		return n, err == nil
	}
	return 0, false
}

func firstStr(v *fastjson.Value, keys [][]string) string {
	for _, k := range keys {
		if s := parse.StrRef(v.Get(k...)); s != "" {
			return s
		}
	}
	return ""
}

func portOf(v *fastjson.Value, keys [][]string) int {
	for _, k := range keys {
		if n, ok := number(v.Get(k...)); ok && n > 0 && n <= 65535 {
			return int(n)
		}
	}
	return 0
}

// minTime and maxTime bound plausible log times, so that counters or durations that happen to sit
// under a time-like name ("time": 12) are not taken for 1970.
var (
	minTime = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// extraLayouts are shapes generic logs use beyond those parse.ParseTime knows.
var extraLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02T15:04:05.999999999 -0700",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	time.RubyDate,
	"2006-01-02",
}

func timeValue(v *fastjson.Value) (time.Time, bool) {
	if v == nil {
		return time.Time{}, false
	}
	var t time.Time
	switch v.Type() {
	case fastjson.TypeNumber:
		f, err := v.Float64()
		if err != nil || f <= 0 {
			return time.Time{}, false
		}
		if f > 1e18 { // nanoseconds
			t = time.Unix(0, int64(f)).UTC()
		} else {
			var ok bool
			if t, ok = parse.ParseEpoch(string(v.MarshalTo(nil))); !ok {
				return time.Time{}, false
			}
		}
	case fastjson.TypeString:
		s := parse.StrRef(v)
		var ok bool
		if t, ok = parse.ParseTime(s); !ok {
			for _, l := range extraLayouts {
				if pt, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
					t, ok = pt.UTC(), true
					break
				}
			}
			if !ok {
				return time.Time{}, false
			}
		}
	default:
		return time.Time{}, false
	}
	if t.Before(minTime) || t.After(maxTime) {
		return time.Time{}, false
	}
	return t, true
}

func outcome(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeTrue:
		return "success"
	case fastjson.TypeFalse:
		return "failure"
	case fastjson.TypeString:
	default:
		return ""
	}
	s := parse.StrRef(v)
	if len(s) > 12 {
		return ""
	}
	var buf [12]byte
	l := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	switch string(l) {
	case "success", "succeeded", "successful", "allow", "allowed", "ok", "pass", "passed":
		return "success"
	case "failure", "failed", "fail", "deny", "denied", "error", "blocked", "rejected":
		return "failure"
	}
	return ""
}

func severity(s string) int {
	if s == "" || len(s) > 13 {
		return 0
	}
	var buf [13]byte
	l := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	switch string(l) {
	case "trace", "debug", "info", "information", "informational", "notice":
		return 1
	case "low":
		return 2
	case "warn", "warning", "medium":
		return 3
	case "error", "err", "high":
		return 4
	case "critical", "crit", "alert", "emerg", "emergency":
		return 5
	case "fatal":
		return 6
	}
	return 0
}
