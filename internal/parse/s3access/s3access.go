// Package s3access parses Amazon S3 server access logs as delivered to a bucket: one request per line,
// space-separated fields with the time in brackets and the request line, referer and user agent in
// double quotes (the "Amazon S3 server access log format" of the S3 user guide). Lines written before
// AWS appended newer fields (signature version, TLS version, access point ARN, ACL required, source
// region) are accepted; fields added after the ones known here are ignored.
package s3access

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
	fBucketOwner = iota
	fBucket
	fTime
	fRemoteIP
	fRequester
	fRequestID
	fOperation
	fKey
	fRequestURI
	fHTTPStatus
	fErrorCode
	fBytesSent
	fObjectSize
	fTotalTime
	fTurnAroundTime
	fReferer
	fUserAgent
	fVersionID
	fHostID
	fSignatureVersion
	fCipherSuite
	fAuthenticationType
	fHostHeader
	fTLSVersion
	fAccessPointARN
	fACLRequired
	fSourceRegion
	numFields
)

// minFields is the length of the oldest lines, which ended with the user agent.
const minFields = fUserAgent + 1

type column struct {
	name string
	typ  event.ColumnType
	doc  string
}

var fields = [numFields]column{
	{"bucket_owner", event.Varchar, "Canonical user id of the bucket's owner."},
	{"bucket", event.Varchar, "Bucket the request was made to."},
	{"time", event.Varchar, "Time the request was received, as written without its brackets (06/Feb/2019:00:00:38 +0000); the core time column holds it."},
	{"remote_ip", event.Varchar, "Apparent address of the requester (the core src_ip)."},
	{"requester", event.Varchar, "Canonical user id or IAM ARN of the requester; absent for unauthenticated requests."},
	{"request_id", event.Varchar, "S3's id of the request (the core event_id)."},
	{"operation", event.Varchar, "SOAP.operation, REST.HTTP_method.resource_type, WEBSITE.HTTP_method.resource_type or BATCH.DELETE.OBJECT; S3.action for lifecycle and replication."},
	{"key", event.Varchar, "Object key, URL-encoded; absent when the operation takes none."},
	{"request_uri", event.Varchar, "Request line of the HTTP request: method, URI, protocol."},
	{"http_status", event.Integer, "HTTP status of the response; the core http_status column holds it."},
	{"error_code", event.Varchar, "S3 error code (AccessDenied, NoSuchKey ...); absent when the request succeeded."},
	{"bytes_sent", event.BigInt, "Response bytes sent, without HTTP overhead (the core bytes)."},
	{"object_size", event.BigInt, "Size of the object."},
	{"total_time", event.Integer, "Milliseconds the request was in flight, as seen by the server."},
	{"turn_around_time", event.Integer, "Milliseconds S3 spent processing the request."},
	{"referer", event.Varchar, "Referer header."},
	{"user_agent", event.Varchar, "User agent; the core user_agent column holds it."},
	{"version_id", event.Varchar, "Version id of the object in the request."},
	{"host_id", event.Varchar, "x-amz-id-2 request id."},
	{"signature_version", event.Varchar, "SigV2 or SigV4; absent for unauthenticated requests."},
	{"cipher_suite", event.Varchar, "TLS cipher of HTTPS requests."},
	{"authentication_type", event.Varchar, "AuthHeader, QueryString (presigned URL); absent for unauthenticated requests."},
	{"host_header", event.Varchar, "Endpoint the request was sent to."},
	{"tls_version", event.Varchar, "TLS version of HTTPS requests (TLSv1.2 ...)."},
	{"access_point_arn", event.Varchar, "Access point the request came through."},
	{"acl_required", event.Varchar, "Yes when an ACL was required to authorize the request."},
	{"source_region", event.Varchar, "Region the request came from, when S3 can tell."},
}

var (
	schema = func() *event.Schema {
		names := make([]string, numFields)
		for i, c := range fields {
			names[i] = c.name
		}
		return event.NewSchema(names...)
	}()
	typed = func() []event.Kind {
		k := make([]event.Kind, numFields)
		for i, c := range fields {
			k[i] = event.KindString
			if c.typ != event.Varchar {
				k[i] = event.KindNumber
			}
		}
		return k
	}()
)

// Format is the s3access log type.
var Format = &parse.Format{
	Name:  "s3access",
	Title: "Amazon S3 server access logs",
	Doc: "Requests made to an S3 bucket, as written by server access logging to the log bucket: bucket owner, bucket, " +
		"[time], remote IP, requester, request id, operation, key, \"request-URI\", HTTP status, error code, bytes sent, " +
		"object size, total and turn-around time, \"referer\", \"user-agent\", version id, host id, signature version, " +
		"cipher suite, authentication type, host header, TLS version, access point ARN, ACL required and source region. " +
		"Older lines that end earlier (at least at the user agent) are accepted; newer trailing fields are ignored. " +
		"'-' marks an absent value; an anonymous request has no requester. The outcome is failure when an error code is present.",
	Kind:    parse.Text,
	Detect:  detect,
	Columns: columns(),
	New:     func() parse.Parser { return &parser{} },
}

func init() { parse.Register(Format) }

func columns() []parse.Column {
	var out []parse.Column
	for _, c := range fields {
		if _, core := event.CoreColumnByName(c.name); core {
			continue // the core column of the same name holds it
		}
		out = append(out, parse.Column{Name: c.name, Type: c.typ, Doc: c.doc})
	}
	return out
}

type parser struct {
	tokens  [numFields + 1]string
	missing [numFields]bool
	row     event.Row
}

const timeLayout = "02/Jan/2006:15:04:05 -0700"

// Parse implements parse.Parser.
func (p *parser) Parse(rec *parse.Record, ev *event.Event) error {
	line := string(rec.Data)
	n, err := parse.SplitQuoted(line, p.tokens[:], true)
	if errors.Is(err, parse.ErrOpenBracket) {
		return errUnterminatedBracket
	} else if err != nil {
		return errUnterminatedQuote
	}
	if n < minFields {
		return fmt.Errorf("s3access: expected at least %d fields (bucket owner through user agent), got %d", minFields, n)
	}
	n = min(n, numFields)
	tok := p.tokens[:n]
	t, err := time.Parse(timeLayout, tok[fTime])
	if err != nil {
		return fmt.Errorf("s3access: expected the request time as [06/Feb/2019:00:00:38 +0000] in the third field, found %q", clip(tok[fTime]))
	}
	for i, v := range tok {
		p.missing[i] = v == "-"
		if p.missing[i] {
			tok[i] = ""
		} else if typed[i] == event.KindNumber && !isDigits(v) {
			return fmt.Errorf("s3access: %s should be a number, found %q", fields[i].name, clip(v))
		}
	}
	p.row = event.Row{Schema: schema, Values: tok, Missing: p.missing[:n], Typed: typed[:n]}
	ev.Fields = &p.row
	ev.Time = t.UTC()
	ev.ClassName = "API Activity"
	ev.APIService = "s3.amazonaws.com"
	ev.Activity = tok[fOperation]
	ev.APIOperation = tok[fOperation]
	ev.EventID = tok[fRequestID]
	ev.Host = tok[fBucket]
	ev.SrcIP = parse.ParseIP(tok[fRemoteIP])
	ev.ActorUID = tok[fRequester]
	ev.ActorUser = actorName(tok[fRequester])
	if method, rest, ok := strings.Cut(tok[fRequestURI], " "); ok {
		ev.HTTPMethod = method
		if i := strings.LastIndexByte(rest, ' '); i >= 0 {
			rest = rest[:i]
		}
		ev.URL = rest
	}
	ev.HTTPStatus, _ = strconv.Atoi(tok[fHTTPStatus])
	if ev.HTTPStatus != 0 {
		ev.Outcome = "success"
	}
	if tok[fErrorCode] != "" {
		ev.Outcome = "failure"
	}
	if tok[fBytesSent] != "" {
		ev.Bytes, _ = strconv.ParseInt(tok[fBytesSent], 10, 64)
		ev.HasTraffic = true
	}
	ev.UserAgent = tok[fUserAgent]
	if n > fAccessPointARN {
		ev.CloudRegion, ev.CloudAccount = parse.ARNRegionAccount(tok[fAccessPointARN])
	}
	return nil
}

// actorName names an IAM requester the way an analyst would: the user name, "root", or the role and
// session of an assumed role. Canonical user ids have no name.
func actorName(requester string) string {
	if !strings.HasPrefix(requester, "arn:") {
		return ""
	}
	parts := strings.SplitN(requester, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	res := parts[5]
	for _, prefix := range []string{"user/", "assumed-role/", "federated-user/"} {
		if rest, ok := strings.CutPrefix(res, prefix); ok {
			if prefix == "user/" {
				// IAM user names may sit under a path: user/division/name.
				return rest[strings.LastIndexByte(rest, '/')+1:]
			}
			return rest
		}
	}
	if res == "root" {
		return "root"
	}
	return ""
}

var (
	errUnterminatedQuote   = errors.New("s3access: a quoted field is not closed: the line is truncated")
	errUnterminatedBracket = errors.New("s3access: the bracketed time is not closed: the line is truncated")
)

// isDigits reports whether s is an unsigned integer in the shape of a JSON number: the text goes
// into the event's JSON as it is.
func isDigits(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
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

var operationPrefixes = []string{"REST.", "WEBSITE.", "BATCH.", "S3.", "SOAP."}

// detect recognises the fixed start of every line: the owner's 64-hex-digit canonical id, the bucket,
// the bracketed time and, after remote IP, requester and request id, an operation such as
// REST.GET.OBJECT. No other log has that shape.
func detect(rec *parse.Record) int {
	var tok [8]string
	// Only the first fields matter; a quote left open by the cut is harmless.
	if n, _ := parse.SplitQuoted(string(rec.Data[:min(len(rec.Data), 1024)]), tok[:], true); n < len(tok) {
		return 0
	}
	if !isCanonicalID(tok[fBucketOwner]) && tok[fBucketOwner] != "-" {
		return 0
	}
	if _, err := time.Parse(timeLayout, tok[fTime]); err != nil {
		return 0
	}
	for _, prefix := range operationPrefixes {
		if strings.HasPrefix(tok[fOperation], prefix) {
			return 100
		}
	}
	return 0
}

func isCanonicalID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
