// Package asff parses AWS Security Hub findings in the AWS Security Finding Format (ASFF): as
// returned by GetFindings or written for BatchImportFindings ({"Findings":[…]}), one per line, and
// inside EventBridge "Security Hub Findings - Imported" (and "- Custom Action") events, whose
// detail.findings[] package parse splits into one record per finding.
package asff

import (
	"fmt"
	"net/netip"
	"strings"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/jsonlog"
)

// Format is the asff log type.
var Format = &parse.Format{
	Name:  "asff",
	Title: "AWS Security Hub (ASFF)",
	Doc: "AWS Security Hub findings in the AWS Security Finding Format, from Security Hub's own controls and from " +
		"integrated products (GuardDuty, Inspector, Macie, Config, third parties). Accepted as {\"Findings\":[…]} " +
		"documents (GetFindings, BatchImportFindings), JSON lines and EventBridge \"Security Hub Findings - Imported\" " +
		"events, one record per finding. Each update is a record of its own: event_id is Id, '@' and UpdatedAt, and " +
		"time is UpdatedAt. severity_id comes from Severity.Label (or Severity.Normalized); activity is the first of " +
		"Types, else Title; src_ip comes from Network.SourceIpV4/V6 or the remote address of the Action. Nested parts " +
		"are stored as JSON and the members queried most are flattened into columns.",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "SchemaVersion", Type: event.Varchar, Doc: "ASFF version (2018-10-08)."},
		{Name: "Id", Type: event.Varchar, Doc: "Finding id, unique per product; stable across updates."},
		{Name: "ProductArn", Type: event.Varchar, Doc: "ARN of the product that generated the finding."},
		{Name: "ProductName", Type: event.Varchar, Doc: "Name of that product (Security Hub, GuardDuty, Inspector ...)."},
		{Name: "CompanyName", Type: event.Varchar, Doc: "Company of that product."},
		{Name: "Region", Type: event.Varchar, Doc: "Region the finding was generated in."},
		{Name: "GeneratorId", Type: event.Varchar, Doc: "Rule, check or detector that generated the finding."},
		{Name: "AwsAccountId", Type: event.Varchar, Doc: "Account the finding applies to."},
		{Name: "AwsAccountName", Type: event.Varchar, Doc: "Name of that account."},
		{Name: "FirstObservedAt", Type: event.Varchar, Doc: "When the issue was first observed."},
		{Name: "LastObservedAt", Type: event.Varchar, Doc: "When the issue was last observed."},
		{Name: "CreatedAt", Type: event.Varchar, Doc: "When the finding was created."},
		{Name: "UpdatedAt", Type: event.Varchar, Doc: "When the finding was last updated."},
		{Name: "ProcessedAt", Type: event.Varchar, Doc: "When Security Hub last processed the finding."},
		{Name: "Title", Type: event.Varchar, Doc: "Short summary."},
		{Name: "Description", Type: event.Varchar, Doc: "What the finding is about."},
		{Name: "SourceUrl", Type: event.Varchar, Doc: "Page about the finding in the product's console."},
		{Name: "RecordState", Type: event.Varchar, Doc: "ACTIVE or ARCHIVED."},
		{Name: "WorkflowState", Type: event.Varchar, Doc: "Deprecated workflow state: NEW, ASSIGNED, IN_PROGRESS, DEFERRED, RESOLVED."},
		{Name: "Confidence", Type: event.Integer, Doc: "Product's confidence, 0-100."},
		{Name: "Criticality", Type: event.Integer, Doc: "Importance of the affected resources, 0-100."},
		{Name: "VerificationState", Type: event.Varchar, Doc: "UNKNOWN, TRUE_POSITIVE, FALSE_POSITIVE, BENIGN_POSITIVE."},
		{Name: "Severity_Label", Path: "Severity.Label", Type: event.Varchar, Doc: "INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL."},
		{Name: "Severity_Normalized", Path: "Severity.Normalized", Type: event.Integer, Doc: "Severity 0-100 (deprecated in favour of Label)."},
		{Name: "Severity_Original", Path: "Severity.Original", Type: event.Varchar, Doc: "Severity in the product's own terms."},
		{Name: "Compliance_Status", Path: "Compliance.Status", Type: event.Varchar, Doc: "Control result: PASSED, WARNING, FAILED, NOT_AVAILABLE."},
		{Name: "Compliance_SecurityControlId", Path: "Compliance.SecurityControlId", Type: event.Varchar, Doc: "Security control id (CloudTrail.2)."},
		{Name: "Workflow_Status", Path: "Workflow.Status", Type: event.Varchar, Doc: "NEW, NOTIFIED, SUPPRESSED or RESOLVED."},
		{Name: "Resources_0_Type", Path: "Resources.0.Type", Type: event.Varchar, Doc: "Type of the first affected resource (AwsEc2Instance, AwsS3Bucket ...)."},
		{Name: "Resources_0_Id", Path: "Resources.0.Id", Type: event.Varchar, Doc: "Id (usually the ARN) of the first affected resource."},
		{Name: "Types", Type: event.JSONType, Doc: "Finding types, namespace/category/classifier."},
		{Name: "Resources", Type: event.JSONType, Doc: "Affected resources."},
		{Name: "Severity", Type: event.JSONType, Doc: "Severity object."},
		{Name: "Compliance", Type: event.JSONType, Doc: "Compliance details of control findings."},
		{Name: "Workflow", Type: event.JSONType, Doc: "Workflow status."},
		{Name: "Remediation", Type: event.JSONType, Doc: "Remediation recommendation."},
		{Name: "ProductFields", Type: event.JSONType, Doc: "Product-specific fields."},
		{Name: "UserDefinedFields", Type: event.JSONType, Doc: "Fields set by users."},
		{Name: "Network", Type: event.JSONType, Doc: "Network connection the finding is about."},
		{Name: "Action", Type: event.JSONType, Doc: "Activity that triggered the finding (API call, connection, port probe, DNS request)."},
		{Name: "FindingProviderFields", Type: event.JSONType, Doc: "Severity, types and confidence as the provider set them."},
		{Name: "Malware", Type: event.JSONType, Doc: "Malware found."},
		{Name: "Process", Type: event.JSONType, Doc: "Process the finding is about."},
		{Name: "ThreatIntelIndicators", Type: event.JSONType, Doc: "Threat-intelligence indicators."},
		{Name: "Threats", Type: event.JSONType, Doc: "Threats detected."},
		{Name: "Vulnerabilities", Type: event.JSONType, Doc: "Vulnerabilities found."},
		{Name: "Note", Type: event.JSONType, Doc: "User note."},
		{Name: "RelatedFindings", Type: event.JSONType, Doc: "Related findings."},
	},
	New: func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	v := rec.JSON
	if v == nil || v.Get("ProductArn") == nil {
		return 0
	}
	switch {
	case v.Get("SchemaVersion") != nil && (v.Get("AwsAccountId") != nil || v.Get("GeneratorId") != nil):
		return 100
	case v.Get("Types") != nil || v.Get("Severity") != nil:
		return 80
	}
	return 0
}

type parser struct {
	id    []byte
	clean jsonlog.Sanitizer
}

func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return fmt.Errorf("asff: expected a JSON object, got %s", kindOf(v))
	}
	v = p.clean.Value(rec, ev)
	id := parse.StrRef(v, "Id")
	if id == "" {
		return fmt.Errorf("asff: expected an Id string, got %s", kindOf(v.Get("Id")))
	}
	updated := parse.StrRef(v, "UpdatedAt")
	if updated == "" {
		return fmt.Errorf("asff: expected an UpdatedAt timestamp, got %s", kindOf(v.Get("UpdatedAt")))
	}
	t, ok := parse.ParseTime(updated)
	if !ok {
		return fmt.Errorf("asff: UpdatedAt %q is not a timestamp", clip(updated))
	}
	ev.Time = t
	p.id = append(append(append(p.id[:0], id...), '@'), updated...)
	ev.EventID = unsafe.String(unsafe.SliceData(p.id), len(p.id))
	ev.Fields = event.JSONObject(v)
	ev.ClassName = "Detection Finding"
	if types := v.GetArray("Types"); len(types) > 0 {
		ev.Activity = parse.StrRef(types[0])
	}
	if ev.Activity == "" {
		ev.Activity = parse.StrRef(v, "Title")
	}
	ev.CloudAccount = parse.StrRef(v, "AwsAccountId")
	ev.CloudRegion = parse.StrRef(v, "Region")
	ev.SeverityID = severity(v.Get("Severity"))
	if ev.SeverityID == 0 {
		ev.SeverityID = severity(v.Get("FindingProviderFields", "Severity"))
	}

	if n := v.Get("Network"); n != nil {
		ev.SrcIP = ip(n, "SourceIpV4", "SourceIpV6")
		ev.SrcPort = parse.JSONPort(n.Get("SourcePort"))
		ev.DstIP = ip(n, "DestinationIpV4", "DestinationIpV6")
		ev.DstPort = parse.JSONPort(n.Get("DestinationPort"))
		ev.IPProtocol = protocol(parse.StrRef(n, "Protocol"))
	}
	if a := v.Get("Action"); a != nil {
		action(a, ev)
	}
	for _, r := range v.GetArray("Resources") {
		resource(r, ev)
	}
	return nil
}

// action takes the remote party and the API call or DNS request from a finding's Action.
func action(a *fastjson.Value, ev *event.Event) {
	for _, d := range [...][]string{
		{"NetworkConnectionAction"},
		{"AwsApiCallAction"},
		{"PortProbeAction", "PortProbeDetails", "0"},
	} {
		if ev.SrcIP.IsValid() {
			break
		}
		det := a.Get(d...)
		if det == nil {
			continue
		}
		ev.SrcIP = ip(det.Get("RemoteIpDetails"), "IpAddressV4", "IpAddressV6")
		if !ev.SrcIP.IsValid() {
			continue
		}
		if ev.SrcPort == 0 {
			ev.SrcPort = parse.JSONPort(det.Get("RemotePortDetails", "Port"))
		}
		if ev.DstPort == 0 {
			ev.DstPort = parse.JSONPort(det.Get("LocalPortDetails", "Port"))
		}
		if !ev.DstIP.IsValid() {
			ev.DstIP = ip(det.Get("LocalIpDetails"), "IpAddressV4", "IpAddressV6")
		}
	}
	if api := a.Get("AwsApiCallAction"); api != nil {
		ev.APIOperation = parse.StrRef(api, "Api")
		ev.APIService = parse.StrRef(api, "ServiceName")
	}
	if ev.IPProtocol == "" {
		ev.IPProtocol = protocol(parse.StrRef(a, "NetworkConnectionAction", "Protocol"))
	}
	if d := parse.StrRef(a, "DnsRequestAction", "Domain"); d != "" {
		ev.DNSQuery = strings.TrimSuffix(d, ".")
	}
}

// resource takes the host from the first EC2 instance and the actor from the first access key.
func resource(r *fastjson.Value, ev *event.Event) {
	switch parse.StrRef(r, "Type") {
	case "AwsEc2Instance":
		if ev.Host == "" {
			id := parse.StrRef(r, "Id")
			if i := strings.LastIndex(id, ":instance/"); i >= 0 {
				id = id[i+len(":instance/"):]
			}
			ev.Host = id
		}
	case "AwsIamAccessKey":
		if ev.ActorUser == "" {
			k := r.Get("Details", "AwsIamAccessKey")
			ev.ActorUser = parse.StrRef(k, "PrincipalName")
			if ev.ActorUser == "" {
				ev.ActorUser = parse.StrRef(k, "UserName")
			}
			ev.ActorUID = parse.StrRef(k, "PrincipalId")
		}
	}
}

// severity maps Label, or failing that Normalized with the bands the ASFF documentation gives.
func severity(s *fastjson.Value) int {
	if s == nil {
		return 0
	}
	switch parse.StrRef(s, "Label") {
	case "INFORMATIONAL":
		return 1
	case "LOW":
		return 2
	case "MEDIUM":
		return 3
	case "HIGH":
		return 4
	case "CRITICAL":
		return 5
	}
	n := s.Get("Normalized")
	if n == nil || n.Type() != fastjson.TypeNumber {
		return 0
	}
	f := n.GetFloat64()
	switch {
	case f < 0 || f > 100:
		return 0
	case f < 1:
		return 1
	case f < 40:
		return 2
	case f < 70:
		return 3
	case f < 90:
		return 4
	}
	return 5
}

func ip(v *fastjson.Value, v4, v6 string) (a netip.Addr) {
	if v == nil {
		return a
	}
	if a = parse.ParseIP(parse.StrRef(v, v4)); a.IsValid() {
		return a
	}
	return parse.ParseIP(parse.StrRef(v, v6))
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
