//go:build duckdb_arrow

package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/ingest"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/store"
)

// corpusExpect is what each corpus file holds: its log type, events and dead letters. The counts
// are the MANIFEST's, with these documented differences:
//   - apigateway/…templates.txt holds access-log format templates, not events: every line is a dead
//     letter (8 templates plus headings);
//   - cloudtrail/otrf_ec2_proxy…jsonl is CloudTrail shipped by Logstash (@timestamp for eventTime);
//   - waf/wazuh_aws_waf_test.log holds 7 records on 4 lines, not 3 (three are concatenated);
//   - the Panther ASFF test wrappers and the Okta and AWS Config files are generic JSON;
//   - Cowrie text logs forwarded by syslog are syslog.
var corpusExpect = map[string]struct {
	typ          string
	events, dead int64
}{
	"alb/awsdocs_alb_access_log_examples.log":                           {"alb", 7, 0},
	"alb/crowdsec_hub_aws-alb-http-bad-user-agent.log":                  {"alb", 4, 0},
	"alb/crowdsec_hub_aws-alb-logs.log":                                 {"alb", 14, 0},
	"apigateway/awsdocs_access_log_format_templates.txt":                {"", 0, 16},
	"awsconfig/awsdocs_config_history_notification.json":                {"json", 1, 0},
	"awsconfig/awsdocs_config_snapshot_example.json":                    {"json", 1, 0},
	"awsconfig/awsdocs_config_snapshot_notification.json":               {"json", 1, 0},
	"cef/crowdsec_hub_cef-logs.log":                                     {"cef", 4, 0},
	"cef/crowdsec_hub_unifi-cef.log":                                    {"cef", 3, 0},
	"cloudfront/awsdocs_cloudfront_standard_log_example.log":            {"cloudfront", 6, 0},
	"cloudfront/crowdsec_hub_aws-cloudfront-logs.log":                   {"cloudfront", 2, 0},
	"cloudtrail/awsdocs_cloudtrail_user_guide_examples.json":            {"cloudtrail", 22, 0},
	"cloudtrail/crowdsec_hub_aws-bf.log":                                {"cloudtrail", 6, 0},
	"cloudtrail/crowdsec_hub_aws-cloudtrail-postexploit.log":            {"cloudtrail", 4, 0},
	"cloudtrail/crowdsec_hub_aws-cloudtrail.log":                        {"cloudtrail", 2, 0},
	"cloudtrail/crowdsec_hub_aws-nwo-login.log":                         {"cloudtrail", 1, 0},
	"cloudtrail/otrf_aws_s3_honeybucket_logs_2022-02.csv":               {"csv", 301, 0},
	"cloudtrail/otrf_ec2_proxy_s3_exfiltration_2020-09-14.jsonl":        {"cloudtrail", 103, 0},
	"cowrie/crowdsec_hub_cowrie-logs.log":                               {"syslog", 2, 0},
	"cowrie/crowdsec_hub_cowrie_telnet-bf.log":                          {"syslog", 6, 0},
	"cowrie/kareiva_cowrie_2018-05_07.json.gz":                          {"cowrie", 102686, 0},
	"dionaea/hary654321_dionaea_log_json_2024-05-17.json":               {"dionaea", 777, 0},
	"dionaea/hary654321_dionaea_log_json_2024-05-17_b.json":             {"dionaea", 46, 0},
	"honeypot_endlessh/crowdsec_hub_endlessh-logs.log":                  {"endlessh", 111, 0},
	"honeypot_sshesame/crowdsec_hub_sshesame.log":                       {"sshesame", 381, 0},
	"route53resolver/awsdocs_resolver_query_log_example.jsonl":          {"route53resolver", 1, 0},
	"s3access/awsdocs_s3_server_access_log_example.log":                 {"s3access", 5, 0},
	"scenarios/panther_compromised_root_creds/attacker_cloudtrail.json": {"cloudtrail", 12, 0},
	"scenarios/panther_compromised_root_creds/attacker_okta.jsonl":      {"json", 2, 0},
	"scenarios/panther_compromised_root_creds/attacker_s3_access.log":   {"s3access", 3, 0},
	"scenarios/panther_compromised_root_creds/attacker_vpc.log":         {"vpcflow", 6, 0},
	"scenarios/panther_compromised_root_creds/victim_cloudtrail.json":   {"cloudtrail", 4, 0},
	"scenarios/panther_compromised_root_creds/victim_okta.jsonl":        {"json", 1, 0},
	"securityhub/awsdocs_asff_sample_findings.json":                     {"asff", 6, 0},
	"securityhub/panther_rule_tests_asff.jsonl":                         {"json", 10, 0},
	"sshd/loghub_OpenSSH_2k.log":                                        {"syslog", 2000, 0},
	"syslog/loghub_Linux_2k.log":                                        {"syslog", 2000, 0},
	"vpcflow/awsdocs_flowlogs_custom_natgw.log":                         {"vpcflow", 6, 0},
	"vpcflow/awsdocs_flowlogs_v2_default.log":                           {"vpcflow", 7, 0},
	"vpcflow/awsdocs_flowlogs_v3_custom_tcpflags.log":                   {"vpcflow", 8, 0},
	"vpcflow/awsdocs_flowlogs_v3_custom_transitgw.log":                  {"vpcflow", 4, 0},
	"vpcflow/awsdocs_flowlogs_v5_custom_all_fields.log":                 {"vpcflow", 2, 0},
	"waf/awsdocs_wafv2_log_examples.jsonl":                              {"waf", 6, 0},
	"waf/wazuh_aws_waf_test.log":                                        {"waf", 7, 0},
}

// TestCorpusIngest ingests every log of the shared corpus through the whole pipeline into a store
// and checks, per file, the type, the events stored and the dead letters.
func TestCorpusIngest(t *testing.T) {
	corpus := filepath.Join(parsetest.SharedDir(t), "corpus")
	entries, err := os.ReadDir(corpus)
	require.NoError(t, err)
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(corpus, e.Name()))
		}
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "data"), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	sum, err := ingest.Run(context.Background(), st, dirs, ingest.Options{Registry: parse.Default})
	require.NoError(t, err)
	require.Empty(t, sum.Failed())

	rows, err := st.Query(context.Background(), `select source, coalesce(log_types, ''), events, dead_letters from ledger`)
	require.NoError(t, err)
	defer rows.Close()
	seen := map[string]bool{}
	var stored int64
	for rows.Next() {
		var src, types string
		var events, dead int64
		require.NoError(t, rows.Scan(&src, &types, &events, &dead))
		rel := filepath.ToSlash(strings.TrimPrefix(src, corpus+string(filepath.Separator)))
		seen[rel] = true
		stored += events
		want, ok := corpusExpect[rel]
		if !ok {
			// Files without an entry are small samples of types checked above (sshd, stratus …):
			// they must be complete and clean.
			require.Zero(t, dead, "%s: unexpected dead letters", rel)
			require.NotZero(t, events, "%s: no events", rel)
			continue
		}
		require.Equal(t, want.typ, types, rel)
		require.Equal(t, want.events, events, rel)
		require.Equal(t, want.dead, dead, rel)
	}
	require.NoError(t, rows.Err())
	var missing []string
	for rel := range corpusExpect {
		if !seen[rel] {
			missing = append(missing, rel)
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "corpus files not ingested")
	require.Equal(t, stored, count(t, st, "select count(*) from events"), "every counted event is stored and queryable")
	require.Equal(t, int64(102686), count(t, st, "select count(*) from cowrie"))
	require.Equal(t, int64(15088), count(t, st, "select count(*) from cowrie where eventid = 'cowrie.login.failed'"))
}
