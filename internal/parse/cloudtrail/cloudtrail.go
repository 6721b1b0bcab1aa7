// Package cloudtrail parses AWS CloudTrail records: S3 delivery files ({"Records":[…]}), JSON arrays,
// one event per line, EventBridge envelopes and CloudWatch Logs subscription payloads (the framing and
// envelopes are undone by package parse; this package sees one event at a time).
package cloudtrail

import (
	"errors"
	"fmt"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
)

// Format is the cloudtrail log type.
var Format = &parse.Format{
	Name:  "cloudtrail",
	Title: "AWS CloudTrail",
	Doc: "AWS API activity and console sign-in events, management and data events, Insights events. " +
		"Accepted as delivered to S3 ({\"Records\":[…]}, gzipped or not), as a JSON array, one event per line, " +
		"wrapped in an EventBridge envelope (detail-type \"AWS API Call via CloudTrail\"), or inside CloudWatch Logs " +
		"subscription payloads. Nested parts (userIdentity, requestParameters, responseElements …) are stored as JSON; " +
		"the identity fields queried most are also flattened into columns named after their path with '_' for '.'.",
	Kind:   parse.JSON,
	Detect: detect,
	Columns: []parse.Column{
		{Name: "eventVersion", Type: event.Varchar, Lazy: true, Doc: "Record format version."},
		{Name: "eventTime", Type: event.Varchar, Lazy: true, Doc: "Time of the request, as written by CloudTrail (ISO 8601, UTC)."},
		{Name: "eventSource", Type: event.Varchar, Core: "api_service", Doc: "Service the request was made to (iam.amazonaws.com)."},
		{Name: "eventName", Type: event.Varchar, Core: "api_operation", Doc: "API action (CreateUser, ConsoleLogin)."},
		{Name: "awsRegion", Type: event.Varchar, Core: "cloud_region", Doc: "Region the request was made to."},
		{Name: "sourceIPAddress", Type: event.Varchar, Doc: "Caller address, or the calling service's name."},
		{Name: "userAgent", Type: event.Varchar, Core: "user_agent", Doc: "Caller's user agent."},
		{Name: "errorCode", Type: event.Varchar, Doc: "AWS error code when the request failed (AccessDenied)."},
		{Name: "errorMessage", Type: event.Varchar, Lazy: true, Doc: "Error message when the request failed."},
		{Name: "readOnly", Type: event.Boolean, Doc: "Whether the action only reads."},
		{Name: "eventType", Type: event.Varchar, Doc: "AwsApiCall, AwsServiceEvent, AwsConsoleSignIn, AwsConsoleAction, AwsCloudTrailInsight."},
		{Name: "eventCategory", Type: event.Varchar, Doc: "Management, Data or Insight."},
		{Name: "managementEvent", Type: event.Boolean, Doc: "Whether this is a management event."},
		{Name: "recipientAccountId", Type: event.Varchar, Doc: "Account that received the event."},
		{Name: "eventID", Type: event.Varchar, Core: "event_id", Doc: "CloudTrail's unique event id (an alias of event_id, which holds a hash for the rare records without one)."},
		{Name: "requestID", Type: event.Varchar, Lazy: true, Doc: "Service request id."},
		{Name: "sharedEventID", Type: event.Varchar, Lazy: true, Doc: "Id shared by copies of a cross-account event."},
		{Name: "apiVersion", Type: event.Varchar, Lazy: true, Doc: "API version of the action."},
		{Name: "vpcEndpointId", Type: event.Varchar, Lazy: true, Doc: "VPC endpoint the request came through."},
		{Name: "sessionCredentialFromConsole", Type: event.Varchar, Lazy: true, Doc: "\"true\" when the session credentials came from the console."},
		{Name: "userIdentity_type", Path: "userIdentity.type", Type: event.Varchar, Doc: "Identity type: Root, IAMUser, AssumedRole, FederatedUser, AWSService, AWSAccount, IdentityCenterUser."},
		{Name: "userIdentity_arn", Path: "userIdentity.arn", Type: event.Varchar, Doc: "Principal ARN."},
		{Name: "userIdentity_principalId", Path: "userIdentity.principalId", Type: event.Varchar, Doc: "Principal id."},
		{Name: "userIdentity_accountId", Path: "userIdentity.accountId", Type: event.Varchar, Doc: "Principal's account."},
		{Name: "userIdentity_accessKeyId", Path: "userIdentity.accessKeyId", Type: event.Varchar, Doc: "Access key used to sign the request."},
		{Name: "userIdentity_userName", Path: "userIdentity.userName", Type: event.Varchar, Doc: "IAM user name (IAMUser, Root)."},
		{Name: "userIdentity_invokedBy", Path: "userIdentity.invokedBy", Type: event.Varchar, Doc: "Service that made the request on the principal's behalf."},
		{Name: "userIdentity", Type: event.JSONType, Doc: "Who made the request."},
		{Name: "requestParameters", Type: event.JSONType, Doc: "Request parameters."},
		{Name: "responseElements", Type: event.JSONType, Doc: "Response elements of write actions."},
		{Name: "additionalEventData", Type: event.JSONType, Doc: "Extra data (MFAUsed, LoginTo for console sign-in)."},
		{Name: "resources", Type: event.JSONType, Doc: "Resources the event is about."},
		{Name: "tlsDetails", Type: event.JSONType, Doc: "TLS version, cipher suite and host header of the request."},
		{Name: "serviceEventDetails", Type: event.JSONType, Doc: "Details of service events."},
		{Name: "insightDetails", Type: event.JSONType, Doc: "Details of Insights events."},
		{Name: "edgeDeviceDetails", Type: event.JSONType, Doc: "Details of requests to edge devices."},
		{Name: "addendum", Type: event.JSONType, Doc: "Late details added by CloudTrail."},
	},
	New: func() parse.Parser { return parser{} },
}

func init() { parse.Register(Format) }

func detect(rec *parse.Record) int {
	v := rec.JSON
	if v == nil {
		return 0
	}
	switch {
	case v.Get("eventName") != nil && v.Get("eventSource") != nil && v.Get("eventTime") != nil:
		return 100
	case v.Get("insightDetails") != nil && v.Get("eventTime") != nil && v.Get("eventVersion") != nil:
		return 100 // an Insights event names the API inside insightDetails
	case v.Get("eventName") != nil && v.Get("eventSource") != nil && v.Get("eventVersion") != nil && v.Get("@timestamp") != nil:
		return 90 // shipped by Logstash or Filebeat, which move eventTime to @timestamp
	case v.Get("eventName") != nil && v.Get("eventTime") != nil && v.Get("userIdentity") != nil:
		return 80
	}
	return 0
}

type parser struct{}

var errNotCloudTrail = errors.New("not a CloudTrail event: eventName (or insightDetails.eventName) and eventTime (or a shipper's @timestamp) are required")

func (parser) Parse(rec *parse.Record, ev *event.Event) error {
	v := rec.JSON
	if v == nil || v.Type() != fastjson.TypeObject {
		return errNotCloudTrail
	}
	name := v.GetStringBytes("eventName")
	source := v.GetStringBytes("eventSource")
	if name == nil {
		name = v.GetStringBytes("insightDetails", "eventName")
		source = v.GetStringBytes("insightDetails", "eventSource")
	}
	et := v.GetStringBytes("eventTime")
	if et == nil {
		et = v.GetStringBytes("@timestamp")
	}
	if name == nil || et == nil {
		return errNotCloudTrail
	}
	t, ok := parse.ParseTime(string(et))
	if !ok {
		return fmt.Errorf("cloudtrail: eventTime %q is not a timestamp", et)
	}
	ev.Time = t
	ev.Fields = event.JSONObject(v)
	ev.EventID = string(v.GetStringBytes("eventID"))
	ev.Activity = string(name)
	ev.APIOperation = ev.Activity
	ev.APIService = string(source)
	ev.ClassName = "API Activity"
	if ev.Activity == "ConsoleLogin" || string(v.GetStringBytes("eventType")) == "AwsConsoleSignIn" {
		ev.ClassName = "Authentication"
	}
	ev.Outcome = "success"
	if v.Get("errorCode") != nil || string(v.GetStringBytes("responseElements", "ConsoleLogin")) == "Failure" {
		ev.Outcome = "failure"
	}
	ev.SrcIP = parse.ParseIP(string(v.GetStringBytes("sourceIPAddress")))
	ev.UserAgent = string(v.GetStringBytes("userAgent"))
	ev.CloudRegion = string(v.GetStringBytes("awsRegion"))
	ev.CloudAccount = string(v.GetStringBytes("recipientAccountId"))
	if id := v.Get("userIdentity"); id != nil {
		if ev.CloudAccount == "" {
			ev.CloudAccount = string(id.GetStringBytes("accountId"))
		}
		ev.ActorUID = string(id.GetStringBytes("arn"))
		if ev.ActorUID == "" {
			ev.ActorUID = string(id.GetStringBytes("principalId"))
		}
		ev.ActorUser = actorName(id)
	}
	return nil
}

// actorName names the principal the way an analyst would: the IAM user name, "root", the role and
// session of an assumed role, or the invoking service.
func actorName(id *fastjson.Value) string {
	if n := id.GetStringBytes("userName"); len(n) > 0 {
		return string(n)
	}
	switch string(id.GetStringBytes("type")) {
	case "Root":
		return "root"
	case "AWSService":
		return string(id.GetStringBytes("invokedBy"))
	case "AssumedRole", "FederatedUser":
		arn := string(id.GetStringBytes("arn"))
		if i := strings.Index(arn, ":assumed-role/"); i >= 0 {
			return arn[i+len(":assumed-role/"):]
		}
		if i := strings.Index(arn, ":federated-user/"); i >= 0 {
			return arn[i+len(":federated-user/"):]
		}
		if n := id.GetStringBytes("sessionContext", "sessionIssuer", "userName"); len(n) > 0 {
			return string(n)
		}
	}
	if n := id.GetStringBytes("onBehalfOf", "userId"); len(n) > 0 {
		return string(n)
	}
	return string(id.GetStringBytes("principalId"))
}
