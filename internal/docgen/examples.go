//go:build duckdb_arrow

package docgen

// Examples are the example queries shown for each table. The docgen tests run every one of them
// against a store filled with the parsers' test data, so they stay correct as columns change.
var Examples = map[string][]string{
	"cloudtrail": {
		"-- Failed API calls by principal and error",
		"select actor_user, eventName, errorCode, count(*) as n from cloudtrail where outcome = 'failure' group by all order by n desc limit 10;",
		"-- Console sign-ins: who, from where, with MFA or not",
		"select time, actor_user, src_ip, src_country, additionalEventData->>'MFAUsed' as mfa, responseElements->>'ConsoleLogin' as result from cloudtrail where eventName = 'ConsoleLogin' order by time;",
		"-- Access keys seen per principal",
		"select userIdentity_arn, list(distinct userIdentity_accessKeyId) as keys from cloudtrail where userIdentity_accessKeyId is not null group by 1;",
	},
	"syslog": {
		"-- SSH brute force: failures per source",
		"select src_ip, src_country, count(*) as failures, count(distinct actor_user) as users from syslog where auth_event in ('failed_password', 'invalid_user') group by all order by failures desc limit 10;",
		"-- Successful logins after failures from the same address",
		"select src_ip, actor_user, min(time) filter (where outcome = 'success') as first_success, count(*) filter (where outcome = 'failure') as failures from syslog where auth_event is not null group by all having first_success is not null and failures > 0;",
		"-- What sshd said, by kind",
		"select auth_event, outcome, count(*) from syslog where app_name like 'sshd%' group by all order by 3 desc;",
	},
	"vpcflow": {
		"-- Top rejected sources and destination ports",
		"select src_ip, src_country, dstport, count(*) as rejects from vpcflow where action = 'REJECT' group by all order by rejects desc limit 10;",
		"-- Largest outbound transfers to the internet",
		"select src_ip, dst_ip, dst_country, sum(bytes) as bytes from vpcflow where dst_net is null and src_net = 'private' group by all order by bytes desc limit 10;",
	},
	"cowrie": {
		"-- Where attacks on the honeypot come from",
		"select src_country, src_org, count(*) as events, count(distinct src_ip) as addresses from cowrie group by all order by events desc limit 10;",
		"-- Most tried credentials",
		"select username, password, count(*) as tries from cowrie where eventid = 'cowrie.login.failed' group by all order by tries desc limit 10;",
		"-- Downloads per sensor",
		"select sensor, url, file_hash, count(*) from cowrie where eventid = 'cowrie.session.file_download' group by all;",
	},
	"dionaea": {
		"select connection_protocol, dst_port, count(*) as connections, count(distinct src_ip) as sources from dionaea group by all order by connections desc;",
		"select src_ip, actor_user, credentials from dionaea where credentials is not null limit 10;",
	},
	"endlessh": {
		"-- Time attackers spent trapped",
		"select src_ip, count(*) as connections, sum(time_spent) as seconds_trapped from endlessh where event = 'CLOSE' group by 1 order by 3 desc limit 10;",
	},
	"sshesame": {
		"select actor_user, password, count(*) from sshesame where auth_method = 'password' group by all order by 3 desc limit 10;",
		"select src_ip, forward_dst, count(*) from sshesame where forward_dst is not null group by all order by 3 desc limit 10;",
	},
	"waf": {
		"-- Blocked requests by rule and client",
		"select terminatingRuleId, httpRequest_clientIp, httpRequest_country, count(*) from waf where action = 'BLOCK' group by all order by 4 desc limit 10;",
		"-- One TLS fingerprint across many addresses",
		"select ja3Fingerprint, count(distinct src_ip) as addresses, count(*) from waf where ja3Fingerprint is not null group by 1 order by 2 desc limit 10;",
	},
	"route53resolver": {
		"select dns_query, dns_type, count(*) as queries, count(distinct src_ip) as clients from route53resolver group by all order by queries desc limit 10;",
		"select time, srcids_instance, dns_query, firewall_rule_action from route53resolver where firewall_rule_action is not null;",
	},
	"alb": {
		"select http_status, count(*) from alb group by 1 order by 2 desc;",
		"select src_ip, user_agent, count(*) from alb where elb_status_code >= 400 group by all order by 3 desc limit 10;",
	},
	"s3access": {
		"-- Anonymous requests (requester '-')",
		"select bucket, operation, key, src_ip from s3access where requester is null or requester = '-' limit 20;",
		"select operation, error_code, count(*) from s3access group by all order by 3 desc;",
	},
	"cloudfront": {
		"select cs_uri_stem, sc_status, count(*) from cloudfront group by all order by 3 desc limit 10;",
		"select src_ip, user_agent, count(*) from cloudfront where sc_status >= 400 group by all;",
	},
	"apigateway": {
		"select http_method, url, http_status, count(*) from apigateway group by all order by 4 desc limit 10;",
	},
	"guardduty": {
		"select type, severity, title, src_ip, resource_instanceDetails_instanceId from guardduty order by severity desc;",
		"select type, count(*) from guardduty group by 1 order by 2 desc;",
	},
	"asff": {
		"select Severity_Label, Title, Compliance_Status, Resources_0_Id from asff order by severity_id desc;",
	},
	"cef": {
		"select device_vendor, device_product, name, severity, src_ip, dst_ip from cef order by time;",
		"select act, disposition, count(*) from cef group by all;",
	},
	"leef": {
		"select vendor, product, leef_event_id, cat, src_ip, dst_ip, actor_user from leef order by time;",
	},
	"json": {
		"-- Generic JSON: read any field from raw",
		"select time, activity, actor_user, src_ip, raw::JSON->>'eventType' as event_type from \"json\" limit 10;",
	},
	"csv": {
		"select time, activity, src_ip, user_agent from csv limit 10;",
	},
	"events": {
		"-- Events per type and day",
		"select log_type, time::date as day, count(*) from events group by all order by day, log_type;",
		"-- Everything one address did, across sources",
		"select time, log_type, activity, outcome, actor_user from events where src_ip = '203.0.113.10' order by time limit 50;",
	},
	"dead_letters": {
		"select source, line, log_type, reason from dead_letters order by ingested_at desc limit 20;",
		"select reason, count(*) from dead_letters group by 1 order by 2 desc;",
	},
	"ledger": {
		"select source, status, log_types, events, dead_letters, finished_at - started_at as took from ledger order by id;",
	},
	"parquet_files": {
		"select log_type, count(*) as files, sum(rows) as rows, sum(bytes) as bytes from parquet_files group by 1 order by 1;",
	},
}
