// Package guardduty parses Amazon GuardDuty findings: as exported to S3 (JSON lines, gzipped), as
// returned by GetFindings or `aws guardduty get-findings` ({"Findings":[…]}), one per line, and
// inside EventBridge "GuardDuty Finding" events (package parse unwraps the envelope and the
// container; this package sees one finding at a time).
//
// S3 exports and EventBridge events spell the members in camelCase (accountId, service.action);
// the AWS CLI and SDK output spells them in PascalCase (AccountId, Service.Action). Both are
// accepted, and the native fields answer camelCase paths for either spelling, so one set of columns
// and rules serves both.
package guardduty

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/jsonlog"
)

// Format is the guardduty log type.
var Format = &parse.Format{
	Name:  "guardduty",
	Title: "Amazon GuardDuty",
	Doc: "Amazon GuardDuty findings, as exported to S3 (JSON lines), as returned by GetFindings or " +
		"`aws guardduty get-findings` ({\"Findings\":[…]}, camelCase or PascalCase members), and inside EventBridge " +
		"\"GuardDuty Finding\" events. Each update of a finding is a record of its own: event_id is the finding id, " +
		"'@' and updatedAt, and time is updatedAt. severity_id follows GuardDuty's bands (below 4 low, below 7 " +
		"medium, below 9 high, else critical). src_ip is the remote party of the action (network connection, " +
		"API call, port probe, Kubernetes API call, RDS login ...) whatever the connection direction, so it is the " +
		"address to look up; dst_port is the local port. resource and service are stored as JSON and their most " +
		"queried members are flattened into columns.",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "schemaVersion", Type: event.Varchar, Doc: "Finding schema version (2.0)."},
		{Name: "accountId", Type: event.Varchar, Doc: "Account the activity happened in."},
		{Name: "region", Type: event.Varchar, Doc: "Region the activity happened in."},
		{Name: "partition", Type: event.Varchar, Doc: "AWS partition (aws, aws-cn, aws-us-gov)."},
		{Name: "id", Type: event.Varchar, Doc: "Finding id; stable across the finding's updates."},
		{Name: "arn", Type: event.Varchar, Doc: "Finding ARN."},
		{Name: "type", Type: event.Varchar, Doc: "Finding type, ThreatPurpose:ResourceType/ThreatFamily.Variant (Recon:EC2/PortProbeUnprotectedPort)."},
		{Name: "severity", Type: event.Double, Doc: "GuardDuty severity score: 1.0-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical."},
		{Name: "confidence", Type: event.Double, Doc: "Confidence score of older findings."},
		{Name: "title", Type: event.Varchar, Doc: "Short summary."},
		{Name: "description", Type: event.Varchar, Doc: "What was detected."},
		{Name: "createdAt", Type: event.Varchar, Doc: "When the finding was first created (ISO 8601)."},
		{Name: "updatedAt", Type: event.Varchar, Doc: "When the finding was last updated (ISO 8601)."},
		{Name: "resource_resourceType", Path: "resource.resourceType", Type: event.Varchar, Doc: "Kind of affected resource: Instance, AccessKey, S3Bucket, EKSCluster, ..."},
		{Name: "resource_instanceDetails_instanceId", Path: "resource.instanceDetails.instanceId", Type: event.Varchar, Doc: "Affected EC2 instance."},
		{Name: "resource_accessKeyDetails_accessKeyId", Path: "resource.accessKeyDetails.accessKeyId", Type: event.Varchar, Doc: "Access key involved."},
		{Name: "resource_accessKeyDetails_userName", Path: "resource.accessKeyDetails.userName", Type: event.Varchar, Doc: "User the access key belongs to."},
		{Name: "resource_accessKeyDetails_principalId", Path: "resource.accessKeyDetails.principalId", Type: event.Varchar, Doc: "Principal id of that user or role."},
		{Name: "resource_accessKeyDetails_userType", Path: "resource.accessKeyDetails.userType", Type: event.Varchar, Doc: "IAMUser, Root, AssumedRole ..."},
		{Name: "service_action_actionType", Path: "service.action.actionType", Type: event.Varchar, Doc: "NETWORK_CONNECTION, AWS_API_CALL, DNS_REQUEST, PORT_PROBE, KUBERNETES_API_CALL, RDS_LOGIN_ATTEMPT ..."},
		{Name: "service_count", Path: "service.count", Type: event.BigInt, Doc: "How many times the activity was seen."},
		{Name: "service_eventFirstSeen", Path: "service.eventFirstSeen", Type: event.Varchar, Doc: "First time the activity was seen."},
		{Name: "service_eventLastSeen", Path: "service.eventLastSeen", Type: event.Varchar, Doc: "Last time the activity was seen."},
		{Name: "service_archived", Path: "service.archived", Type: event.Boolean, Doc: "Whether the finding is archived."},
		{Name: "service_resourceRole", Path: "service.resourceRole", Type: event.Varchar, Doc: "Role of the resource: TARGET or ACTOR."},
		{Name: "service_detectorId", Path: "service.detectorId", Type: event.Varchar, Doc: "Detector that produced the finding."},
		{Name: "resource", Type: event.JSONType, Doc: "The affected resource."},
		{Name: "service", Type: event.JSONType, Doc: "What GuardDuty observed: action, evidence, counts, times."},
	},
	New: func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	v := rec.JSON
	if v == nil {
		return 0
	}
	if arn := v.GetStringBytes("arn"); arn != nil && strings.Contains(string(arn), ":guardduty:") {
		return 100
	}
	if arn := v.GetStringBytes("Arn"); arn != nil && strings.Contains(string(arn), ":guardduty:") {
		return 100
	}
	switch {
	case v.Get("schemaVersion") != nil && v.Get("type") != nil && (v.Get("service") != nil || v.Get("resource") != nil):
		return 90
	case v.Get("SchemaVersion") != nil && v.Get("Type") != nil && (v.Get("Service") != nil || v.Get("Resource") != nil):
		return 90
	}
	return 0
}

type parser struct {
	f     fields
	id    []byte
	clean jsonlog.Sanitizer
}

// key is a member name in both spellings.
type key struct{ camel, pascal string }

func k(camel string) key {
	return key{camel, strings.ToUpper(camel[:1]) + camel[1:]}
}

var (
	kID, kUpdatedAt, kCreatedAt, kType = k("id"), k("updatedAt"), k("createdAt"), k("type")
	kSeverity, kAccountID, kRegion     = k("severity"), k("accountId"), k("region")
	kResource, kService, kAction       = k("resource"), k("service"), k("action")
	kInstanceDetails, kInstanceID      = k("instanceDetails"), k("instanceId")
	kAccessKeyDetails                  = k("accessKeyDetails")
	kUserName, kPrincipalID            = k("userName"), k("principalId")
	kRemoteIPDetails, kLocalIPDetails  = k("remoteIpDetails"), k("localIpDetails")
	kIPv4, kIPv6                       = k("ipAddressV4"), k("ipAddressV6")
	kRemotePort, kLocalPort, kPort     = k("remotePortDetails"), k("localPortDetails"), k("port")
	kPortProbeDetails, kProtocol       = k("portProbeDetails"), k("protocol")
	kAPI, kServiceName, kDomain        = k("api"), k("serviceName"), k("domain")
	kAwsAPICallAction                  = k("awsApiCallAction")
	kDNSRequestAction                  = k("dnsRequestAction")
	kNetworkConnectionAction           = k("networkConnectionAction")
)

// get returns member k of v in the record's spelling.
func get(v *fastjson.Value, k key) *fastjson.Value {
	if v == nil {
		return nil
	}
	if m := v.Get(k.camel); m != nil {
		return m
	}
	return v.Get(k.pascal)
}

func path(v *fastjson.Value, ks ...key) *fastjson.Value {
	for _, k := range ks {
		v = get(v, k)
	}
	return v
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return fmt.Errorf("guardduty: expected a JSON object, got %s", kindOf(v))
	}
	v = p.clean.Value(rec, ev)
	id := parse.StrRef(get(v, kID))
	if id == "" {
		return fmt.Errorf("guardduty: expected a finding id string, got %s", kindOf(get(v, kID)))
	}
	updated := parse.StrRef(get(v, kUpdatedAt))
	if updated == "" {
		updated = parse.StrRef(get(v, kCreatedAt))
	}
	if updated == "" {
		return fmt.Errorf("guardduty: expected an updatedAt or createdAt timestamp, got %s", kindOf(get(v, kUpdatedAt)))
	}
	t, ok := parse.ParseTime(updated)
	if !ok {
		return fmt.Errorf("guardduty: updatedAt %q is not a timestamp", clip(updated))
	}
	ev.Time = t
	p.id = append(append(append(p.id[:0], id...), '@'), updated...)
	ev.EventID = unsafe.String(unsafe.SliceData(p.id), len(p.id))
	ev.ClassName = "Detection Finding"
	ev.Activity = parse.StrRef(get(v, kType))
	ev.CloudAccount = parse.StrRef(get(v, kAccountID))
	ev.CloudRegion = parse.StrRef(get(v, kRegion))
	if s, ok := score(get(v, kSeverity)); ok {
		ev.SeverityID = parse.SeverityFromScore(s)
	}

	res := get(v, kResource)
	ev.Host = parse.StrRef(path(res, kInstanceDetails, kInstanceID))
	keys := get(res, kAccessKeyDetails)
	ev.ActorUser = parse.StrRef(get(keys, kUserName))
	ev.ActorUID = parse.StrRef(get(keys, kPrincipalID))

	action := path(v, kService, kAction)
	p.remote(action, ev)
	if api := get(action, kAwsAPICallAction); api != nil {
		ev.APIOperation = parse.StrRef(get(api, kAPI))
		ev.APIService = parse.StrRef(get(api, kServiceName))
	}
	if dns := get(action, kDNSRequestAction); dns != nil {
		ev.DNSQuery = strings.TrimSuffix(parse.StrRef(get(dns, kDomain)), ".")
	}
	if nc := get(action, kNetworkConnectionAction); nc != nil {
		ev.IPProtocol = protocol(parse.StrRef(get(nc, kProtocol)))
	}

	p.f = fields{Fields: event.JSONObject(v), pascal: v.Get("id") == nil}
	ev.Fields = &p.f
	return nil
}

// remote finds the remote party of the action, whatever kind it is: every *Action member with
// remoteIpDetails, and the first port probe's details.
func (p *parser) remote(action *fastjson.Value, ev *event.Event) {
	if action == nil {
		return
	}
	o, err := action.Object()
	if err != nil {
		return
	}
	o.Visit(func(_ []byte, a *fastjson.Value) {
		if ev.SrcIP.IsValid() || a.Type() != fastjson.TypeObject {
			return
		}
		d := a
		if probes := get(a, kPortProbeDetails); probes != nil {
			arr, _ := probes.Array()
			if len(arr) == 0 {
				return
			}
			d = arr[0]
		}
		rip := get(d, kRemoteIPDetails)
		if rip == nil {
			return
		}
		ip := parse.StrRef(get(rip, kIPv4))
		if ip == "" {
			ip = parse.StrRef(get(rip, kIPv6))
		}
		ev.SrcIP = parse.ParseIP(ip)
		ev.SrcPort = port(path(d, kRemotePort, kPort))
		ev.DstPort = port(path(d, kLocalPort, kPort))
		if lip := get(d, kLocalIPDetails); lip != nil {
			ev.DstIP = parse.ParseIP(parse.StrRef(get(lip, kIPv4)))
			if !ev.DstIP.IsValid() {
				ev.DstIP = parse.ParseIP(parse.StrRef(get(lip, kIPv6)))
			}
		}
	})
}

// port reads a port given as a number or a numeric string; event.JSON would format the number
// into a new string first.
func port(v *fastjson.Value) int {
	if v == nil {
		return 0
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		if n, err := v.Int(); err == nil && n > 0 && n <= 65535 {
			return n
		}
	case fastjson.TypeString:
		b := v.GetStringBytes()
		return parse.ParsePort(unsafe.String(unsafe.SliceData(b), len(b)))
	}
	return 0
}

// score reads the severity, a number or (from some pipelines) a numeric string.
func score(v *fastjson.Value) (float64, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		return v.GetFloat64(), true
	case fastjson.TypeString:
		f, err := strconv.ParseFloat(strings.TrimSpace(parse.StrRef(v)), 64)
		return f, err == nil
	}
	return 0, false
}

func protocol(s string) string {
	switch s {
	case "TCP", "tcp":
		return "tcp"
	case "UDP", "udp":
		return "udp"
	case "ICMP", "icmp":
		return "icmp"
	case "":
		return ""
	}
	return strings.ToLower(s)
}

// fields answers camelCase paths on PascalCase findings too.
type fields struct {
	event.Fields
	pascal bool
}

func (f *fields) Lookup(p string) (event.Value, bool) {
	v, ok := f.Fields.Lookup(p)
	if ok || !f.pascal {
		return v, ok
	}
	return f.Fields.Lookup(pascalPath(p))
}

// pascalPath upper-cases the first letter of each segment of a dotted path.
func pascalPath(p string) string {
	b := []byte(p)
	start := true
	for i, c := range b {
		if start && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		start = c == '.'
	}
	return string(b)
}

func kindOf(v *fastjson.Value) string {
	if v == nil {
		return "nothing"
	}
	return v.Type().String()
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64]
	}
	return s
}
