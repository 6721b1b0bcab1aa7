package event

// ColumnType is the storage type of a column, named after DuckDB's types.
type ColumnType string

// Column types.
const (
	Varchar   ColumnType = "VARCHAR"
	BigInt    ColumnType = "BIGINT"
	Integer   ColumnType = "INTEGER"
	Double    ColumnType = "DOUBLE"
	Boolean   ColumnType = "BOOLEAN"
	Timestamp ColumnType = "TIMESTAMP"
	// JSONType holds nested objects and arrays as JSON text.
	JSONType ColumnType = "JSON"
)

// CoreField identifies one normalized column present on every log type's table.
type CoreField int

// Core fields, in table order.
const (
	FieldTime CoreField = iota
	FieldLogType
	FieldSource
	FieldEventID
	FieldClassName
	FieldActivity
	FieldOutcome
	FieldSeverityID
	FieldDisposition
	FieldSrcIP
	FieldSrcPort
	FieldDstIP
	FieldDstPort
	FieldIPProtocol
	FieldHost
	FieldActorUser
	FieldActorUID
	FieldUserAgent
	FieldCloudAccount
	FieldCloudRegion
	FieldAPIService
	FieldAPIOperation
	FieldHTTPMethod
	FieldURL
	FieldHTTPStatus
	FieldDNSQuery
	FieldDNSType
	FieldDNSRcode
	FieldBytes
	FieldPackets
	FieldFileHash
	FieldSrcCountry
	FieldSrcCity
	FieldSrcASN
	FieldSrcOrg
	FieldSrcNet
	FieldDstCountry
	FieldDstCity
	FieldDstASN
	FieldDstOrg
	FieldDstNet
	FieldIntel
	FieldWarnings
	FieldRaw
	numCoreFields
)

// CoreColumn describes a core column: its SQL name, the OCSF attribute it follows, its type and meaning.
type CoreColumn struct {
	Field CoreField
	Name  string
	OCSF  string
	Type  ColumnType
	Doc   string
}

// CoreColumns lists the core columns in table order. Every log type's table starts with them.
var CoreColumns = [numCoreFields]CoreColumn{
	{FieldTime, "time", "time", Timestamp, "Event time in UTC, from the record itself."},
	{FieldLogType, "log_type", "metadata.log_name", Varchar, "Log type name (the table the row lives in)."},
	{FieldSource, "source", "metadata.log_provider", Varchar, "Input the record came from: the file path as given, an object key, or an input name."},
	{FieldEventID, "event_id", "metadata.uid", Varchar, "The source's own record id where it has one, else a stable hash of type and raw record."},
	{FieldClassName, "class_name", "class_name", Varchar, "OCSF event class: API Activity, Network Activity, Authentication, DNS Activity, HTTP Activity, Detection Finding, ..."},
	{FieldActivity, "activity", "activity_name", Varchar, "What happened, in the source's words (ConsoleLogin, cowrie.login.failed, REJECT ...)."},
	{FieldOutcome, "outcome", "status", Varchar, "success, failure, or NULL when the record does not say."},
	{FieldSeverityID, "severity_id", "severity_id", Integer, "OCSF severity: 1 informational, 2 low, 3 medium, 4 high, 5 critical, 6 fatal; NULL when unknown."},
	{FieldDisposition, "disposition", "disposition", Varchar, "allowed or denied, for records that carry a verdict (flow ACCEPT/REJECT, WAF ALLOW/BLOCK)."},
	{FieldSrcIP, "src_ip", "src_endpoint.ip", Varchar, "Source (client, caller, attacker) address."},
	{FieldSrcPort, "src_port", "src_endpoint.port", Integer, "Source port."},
	{FieldDstIP, "dst_ip", "dst_endpoint.ip", Varchar, "Destination (server, sensor) address."},
	{FieldDstPort, "dst_port", "dst_endpoint.port", Integer, "Destination port."},
	{FieldIPProtocol, "ip_protocol", "connection_info.protocol_name", Varchar, "IP protocol name, lower case (tcp, udp, icmp)."},
	{FieldHost, "host", "device.hostname", Varchar, "Reporting device: syslog host, honeypot sensor, load balancer."},
	{FieldActorUser, "actor_user", "actor.user.name", Varchar, "Acting or attempted user name."},
	{FieldActorUID, "actor_uid", "actor.user.uid", Varchar, "Unique id of the acting principal (an ARN, an access key's owner)."},
	{FieldUserAgent, "user_agent", "http_request.user_agent", Varchar, "Client user agent."},
	{FieldCloudAccount, "cloud_account", "cloud.account.uid", Varchar, "Cloud account id."},
	{FieldCloudRegion, "cloud_region", "cloud.region", Varchar, "Cloud region."},
	{FieldAPIService, "api_service", "api.service.name", Varchar, "Service whose API was called (CloudTrail eventSource)."},
	{FieldAPIOperation, "api_operation", "api.operation", Varchar, "API operation (CloudTrail eventName)."},
	{FieldHTTPMethod, "http_method", "http_request.http_method", Varchar, "HTTP method."},
	{FieldURL, "url", "http_request.url.url_string", Varchar, "Requested or downloaded URL."},
	{FieldHTTPStatus, "http_status", "http_response.code", Integer, "HTTP response status."},
	{FieldDNSQuery, "dns_query", "query.hostname", Varchar, "DNS query name, without the trailing dot."},
	{FieldDNSType, "dns_type", "query.type", Varchar, "DNS query type (A, AAAA, TXT ...)."},
	{FieldDNSRcode, "dns_rcode", "rcode", Varchar, "DNS response code (NOERROR, NXDOMAIN ...)."},
	{FieldBytes, "bytes", "traffic.bytes", BigInt, "Bytes transferred."},
	{FieldPackets, "packets", "traffic.packets", BigInt, "Packets transferred."},
	{FieldFileHash, "file_hash", "file.hashes", Varchar, "Hex digest of a file the record is about (SHA-256 where the source has it)."},
	{FieldSrcCountry, "src_country", "src_endpoint.location.country", Varchar, "Source country, ISO 3166-1 alpha-2."},
	{FieldSrcCity, "src_city", "src_endpoint.location.city", Varchar, "Source city."},
	{FieldSrcASN, "src_asn", "src_endpoint.autonomous_system.number", BigInt, "Source autonomous system number."},
	{FieldSrcOrg, "src_org", "src_endpoint.autonomous_system.name", Varchar, "Source autonomous system organisation."},
	{FieldSrcNet, "src_net", "src_endpoint.network", Varchar, "Special-purpose range of the source: private, loopback, cgnat, link-local, multicast, reserved, documentation; NULL for public addresses."},
	{FieldDstCountry, "dst_country", "dst_endpoint.location.country", Varchar, "Destination country."},
	{FieldDstCity, "dst_city", "dst_endpoint.location.city", Varchar, "Destination city."},
	{FieldDstASN, "dst_asn", "dst_endpoint.autonomous_system.number", BigInt, "Destination autonomous system number."},
	{FieldDstOrg, "dst_org", "dst_endpoint.autonomous_system.name", Varchar, "Destination autonomous system organisation."},
	{FieldDstNet, "dst_net", "dst_endpoint.network", Varchar, "Special-purpose range of the destination."},
	{FieldIntel, "intel", "enrichments", JSONType, "Threat-intel matches: [{set, indicator, field, kind, confidence}], NULL when none."},
	{FieldWarnings, "warnings", "unmapped.warnings", Varchar, "Repairs made while parsing (invalid UTF-8 replaced ...), NULL when none."},
	{FieldRaw, "raw", "raw_data", Varchar, "The original record text."},
}

// CoreColumnByName returns the core column with the given SQL name or OCSF path.
func CoreColumnByName(name string) (CoreColumn, bool) {
	for _, c := range CoreColumns {
		if c.Name == name || c.OCSF == name {
			return c, true
		}
	}
	return CoreColumn{}, false
}
