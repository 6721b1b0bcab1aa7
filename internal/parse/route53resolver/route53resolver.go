// Package route53resolver parses Amazon Route 53 Resolver query logs: one JSON object per DNS query
// that Resolver answered for a VPC, an inbound or outbound Resolver endpoint, or DNS Firewall, as
// delivered to S3 (JSON lines, gzipped), to CloudWatch Logs (subscription payloads) or through
// Firehose. Framing and envelopes are undone by package parse; this package sees one query at a time.
package route53resolver

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/jsonlog"
)

// Format is the route53resolver log type.
var Format = &parse.Format{
	Name:  "route53resolver",
	Title: "Amazon Route 53 Resolver query logs",
	Doc: "DNS queries answered by the Route 53 Resolver for VPCs and Resolver endpoints, including the verdicts of " +
		"Route 53 Resolver DNS Firewall. Accepted as JSON lines (S3 or Firehose delivery, gzipped or not), JSON arrays " +
		"and CloudWatch Logs subscription payloads. The query name is stored without its trailing dot in dns_query; " +
		"firewall_rule_action maps to disposition (BLOCK denied, ALLOW and ALERT allowed). answers and srcids are " +
		"stored as JSON, and the source instance and Resolver endpoint are flattened into columns.",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "version", Type: event.Varchar, Doc: "Log format version (\"1.100000\")."},
		{Name: "account_id", Type: event.Varchar, Doc: "Account that created the VPC."},
		{Name: "region", Type: event.Varchar, Doc: "Region of the VPC."},
		{Name: "vpc_id", Type: event.Varchar, Doc: "VPC the query came from."},
		{Name: "query_timestamp", Type: event.Varchar, Doc: "Time the query was received, as written (ISO 8601, UTC)."},
		{Name: "query_name", Type: event.Varchar, Doc: "Queried name as written, with its trailing dot."},
		{Name: "query_type", Type: event.Varchar, Doc: "Record type asked for (A, AAAA, TXT, PTR ...)."},
		{Name: "query_class", Type: event.Varchar, Doc: "Query class (IN)."},
		{Name: "rcode", Type: event.Varchar, Doc: "Response code (NOERROR, NXDOMAIN, SERVFAIL ...)."},
		{Name: "srcaddr", Type: event.Varchar, Doc: "Address the query came from."},
		{Name: "srcport", Type: event.Integer, Doc: "Port the query came from."},
		{Name: "transport", Type: event.Varchar, Doc: "UDP or TCP, as written."},
		{Name: "firewall_rule_action", Type: event.Varchar, Doc: "DNS Firewall action that matched: ALLOW, BLOCK or ALERT."},
		{Name: "firewall_rule_group_id", Type: event.Varchar, Doc: "DNS Firewall rule group that matched."},
		{Name: "firewall_domain_list_id", Type: event.Varchar, Doc: "DNS Firewall domain list that matched."},
		{Name: "firewall_protection", Type: event.Varchar, Doc: "DNS Firewall Advanced protection that matched (DGA, DNS_TUNNELING ...)."},
		{Name: "srcids_instance", Path: "srcids.instance", Type: event.Varchar, Doc: "EC2 instance the query came from."},
		{Name: "srcids_resolver_endpoint", Path: "srcids.resolver_endpoint", Type: event.Varchar, Doc: "Resolver endpoint the query passed through."},
		{Name: "srcids_resolver_network_interface", Path: "srcids.resolver_network_interface", Type: event.Varchar, Doc: "Resolver endpoint network interface the query passed through."},
		{Name: "answers", Type: event.JSONType, Doc: "Answers returned: [{Rdata, Type, Class}]."},
		{Name: "srcids", Type: event.JSONType, Doc: "Ids of the query's source: instance, resolver_endpoint, resolver_network_interface."},
		{Name: "additional_properties", Type: event.JSONType, Doc: "Further properties Resolver adds to some records."},
	},
	New: func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	v := rec.JSON
	if v == nil || v.Get("query_name") == nil {
		return 0
	}
	switch {
	case v.Get("query_timestamp") != nil && (v.Get("srcaddr") != nil || v.Get("vpc_id") != nil || v.Get("srcids") != nil):
		return 100
	case v.Get("query_timestamp") != nil || v.Get("query_type") != nil && v.Get("rcode") != nil:
		return 70
	}
	return 0
}

type parser struct {
	clean jsonlog.Sanitizer
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return fmt.Errorf("route53resolver: expected a JSON object, got %s", kindOf(v))
	}
	v = p.clean.Value(rec, ev)
	name := v.Get("query_name")
	if name == nil || name.Type() != fastjson.TypeString {
		return fmt.Errorf("route53resolver: expected a query_name string, got %s", kindOf(name))
	}
	ts := v.GetStringBytes("query_timestamp")
	if ts == nil {
		return fmt.Errorf("route53resolver: expected a query_timestamp string, got %s", kindOf(v.Get("query_timestamp")))
	}
	t, ok := parse.ParseTime(string(ts))
	if !ok {
		return fmt.Errorf("route53resolver: query_timestamp %q is not a timestamp", clip(ts))
	}
	ev.Time = t
	ev.Fields = event.JSONObject(v)
	ev.ClassName = "DNS Activity"
	ev.Activity = "Query"
	q := parse.StrRef(v, "query_name")
	if len(q) > 1 {
		q = strings.TrimSuffix(q, ".")
	}
	ev.DNSQuery = q
	ev.DNSType = parse.StrRef(v, "query_type")
	ev.DNSRcode = parse.StrRef(v, "rcode")
	src := parse.StrRef(v, "srcaddr")
	if ev.SrcIP = parse.ParseIP(src); !ev.SrcIP.IsValid() && src != "" {
		ev.Warn("srcaddr is not an IP address")
	}
	ev.SrcPort = port(v.Get("srcport"))
	ev.IPProtocol = protocol(parse.StrRef(v, "transport"))
	ev.CloudAccount = parse.StrRef(v, "account_id")
	ev.CloudRegion = parse.StrRef(v, "region")
	ev.Host = parse.StrRef(v, "srcids", "instance")
	switch parse.StrRef(v, "firewall_rule_action") {
	case "BLOCK":
		ev.Disposition = "denied"
	case "ALLOW", "ALERT":
		// ALERT only logs the match; the query is answered normally.
		ev.Disposition = "allowed"
	}
	return nil
}

// port accepts srcport as Resolver writes it (a string) or as a number.
func port(v *fastjson.Value) int {
	if v == nil {
		return 0
	}
	switch v.Type() {
	case fastjson.TypeString:
		b := v.GetStringBytes()
		return parse.ParsePort(unsafe.String(unsafe.SliceData(b), len(b)))
	case fastjson.TypeNumber:
		if n, err := v.Int(); err == nil && n >= 0 && n <= 65535 {
			return n
		}
	}
	return 0
}

// protocol lower-cases the transport without allocating for the values Resolver writes.
func protocol(s string) string {
	switch s {
	case "UDP", "udp":
		return "udp"
	case "TCP", "tcp":
		return "tcp"
	case "":
		return ""
	}
	return strings.ToLower(s)
}

func kindOf(v *fastjson.Value) string {
	if v == nil {
		return "nothing"
	}
	return v.Type().String()
}

// clip bounds a value quoted in a dead-letter reason.
func clip(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}
