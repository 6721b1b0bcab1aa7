// Package event defines the Event that every stage of Yagura passes along: a small set of normalized
// core fields named after OCSF, enrichment results, and the source's native fields addressable by
// their native names and dotted paths (the names Sigma rules are written against).
package event

import (
	"net/netip"
	"time"
)

// Event is one parsed log record.
//
// An Event is reused: a decoder fills the same Event for record after record, so Raw, the strings in
// the core fields and everything reachable through Fields may alias the decoder's buffers. They are
// valid only until the consumer that received the Event returns; a consumer that keeps anything copies
// it (Clone does so for the whole Event).
type Event struct {
	// Time is the event's own time (event time, not ingest time), in UTC.
	Time time.Time
	// LogType is the registered log type name ("cloudtrail", "vpcflow", ...).
	LogType string
	// Source names the input: the file path as given, an object key, or an input's name.
	Source string
	// EventID is the source's own id where it has one, else a stable hash of type and raw record.
	EventID string
	// IDFromHash says that EventID is the hash of type and raw record (parse.HashID), which storage
	// can recompute instead of keeping.
	IDFromHash bool
	// Raw is the original record text.
	Raw []byte
	// Offset is the byte offset of the record in the (decompressed) input; Line its 1-based line.
	Offset int64
	Line   int64

	// ClassName is the OCSF event class ("API Activity", "Network Activity", "Authentication", ...).
	ClassName string
	// Activity is the OCSF activity name or the source's own verb (ConsoleLogin, login.failed, ...).
	Activity string
	// Outcome is "success", "failure" or "" when the record does not say.
	Outcome string
	// SeverityID is the OCSF severity_id: 0 unknown, 1 informational, 2 low, 3 medium, 4 high,
	// 5 critical, 6 fatal.
	SeverityID int
	// Disposition is "allowed" or "denied" for records that carry a verdict (flow ACCEPT/REJECT,
	// WAF ALLOW/BLOCK), "" otherwise.
	Disposition string

	SrcIP   netip.Addr
	SrcPort int // 0 when absent
	DstIP   netip.Addr
	DstPort int // 0 when absent
	// IPProtocol is the lower-case IANA protocol name ("tcp", "udp", "icmp") or the number as text.
	IPProtocol string
	// Host is the reporting device: syslog host, honeypot sensor, load balancer name.
	Host string

	// ActorUser is the acting (or attempted) user name; ActorUID the principal's unique id (an ARN).
	ActorUser string
	ActorUID  string
	UserAgent string

	CloudAccount string
	CloudRegion  string
	// APIService and APIOperation name the API called (CloudTrail eventSource and eventName).
	APIService   string
	APIOperation string

	HTTPMethod string
	URL        string
	HTTPStatus int // 0 when absent

	DNSQuery string
	DNSType  string
	DNSRcode string

	// Bytes and Packets are traffic counters; HasTraffic says whether the record carried them.
	Bytes      int64
	Packets    int64
	HasTraffic bool

	// FileHash is the hex digest of a file the record is about (a honeypot download, a scanned file).
	FileHash string

	// SrcGeo and DstGeo are filled by enrichment.
	SrcGeo Geo
	DstGeo Geo
	// Intel lists the threat-intelligence indicators this event matched.
	Intel []IntelMatch

	// Warnings notes what was repaired while parsing (invalid UTF-8 replaced, a field clamped); the
	// event is kept, the warning is stored with it.
	Warnings []string

	// Fields gives access to the native fields. It is never nil for a parsed event.
	Fields Fields
}

// Geo is what enrichment knows about an address.
type Geo struct {
	// Country is the ISO 3166-1 alpha-2 code.
	Country string
	City    string
	ASN     uint32
	// Org is the autonomous system's organisation.
	Org string
	// Net labels special-purpose addresses: "private", "loopback", "cgnat", "link-local", "multicast",
	// "reserved", "documentation", "unspecified"; "" for public addresses.
	Net string
}

// IsZero reports whether nothing is known.
func (g Geo) IsZero() bool { return g == Geo{} }

// IntelMatch records that one field of the event matched an indicator of a threat-intel set.
type IntelMatch struct {
	Set        string `json:"set"`
	Indicator  string `json:"indicator"`
	Field      string `json:"field"`
	Kind       string `json:"kind"` // ip, cidr, domain, url, sha256, sha1, md5
	Confidence int    `json:"confidence,omitempty"`
}

// Reset clears e for reuse, keeping allocated capacity.
func (e *Event) Reset() {
	intel, warnings := e.Intel[:0], e.Warnings[:0]
	*e = Event{}
	e.Intel, e.Warnings = intel, warnings
	e.Fields = nil
}

// Warn records a repair made while parsing.
func (e *Event) Warn(msg string) { e.Warnings = append(e.Warnings, msg) }
