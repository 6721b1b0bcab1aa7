package asff_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/asff"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var files = []string{"awsdocs_findings.json", "panther_findings.jsonl", "eventbridge.json", "damaged.jsonl"}

func TestGolden(t *testing.T) {
	for _, file := range files {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "asff", file) })
	}
}

func TestControlFinding(t *testing.T) {
	res := parsetest.Golden(t, "asff", "awsdocs_findings.json")
	require.Equal(t, 2, res.Events)
	l := res.Lines[0]
	require.Contains(t, l, `"time":"2021-09-28T16:10:00.093Z"`)
	require.Contains(t, l, `"event_id":"arn:aws:securityhub:us-east-2:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0/CloudTrail.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111@2021-09-28T16:10:00.093Z"`)
	require.Contains(t, l, `"severity_id":3`)
	require.Contains(t, l, `"class_name":"Detection Finding"`)
	require.Contains(t, l, `"activity":"Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"`)
	require.Contains(t, l, `"cloud_account":"123456789012","cloud_region":"us-east-2"`)

	data, err := os.ReadFile(filepath.Join("testdata", "awsdocs_findings.json"))
	require.NoError(t, err)
	v, err := fastjson.ParseBytes(data)
	require.NoError(t, err)
	f := v.GetArray("Findings")[0]
	var ev event.Event
	require.NoError(t, asff.Format.New().Parse(&parse.Record{Data: f.MarshalTo(nil), JSON: f}, &ev))
	for col, want := range map[string]string{
		"Severity.Label": "MEDIUM", "Severity.Normalized": "40", "Compliance.Status": "FAILED", "Workflow.Status": "NEW",
		"Resources.0.Type": "AwsCloudTrailTrail", "Resources.0.Id": "arn:aws:cloudtrail:us-east-2:123456789012:trail/AWSMacieTrail-DO-NOT-EDIT",
	} {
		got, ok := ev.Fields.Lookup(col)
		require.True(t, ok, col)
		require.Equal(t, want, got.Str(), col)
	}
}

func TestNetworkAndAction(t *testing.T) {
	res := parsetest.Golden(t, "asff", "eventbridge.json")
	require.Equal(t, 2, res.Events, "one event per finding of detail.findings")
	gd := res.Lines[0]
	for _, want := range []string{`"src_ip":"203.0.113.45"`, `"src_port":51034`, `"dst_ip":"10.0.1.15"`, `"dst_port":22`, `"ip_protocol":"tcp"`, `"host":"i-0a1b2c3d4e5f67890"`, `"severity_id":2`} {
		require.Contains(t, gd, want)
	}
	insp := res.Lines[1]
	require.Contains(t, insp, `"severity_id":5`, "Normalized 95 is critical")
	require.Contains(t, insp, `"activity":"CVE-2024-3094 - xz-utils"`, "no Types: the title")

	res = parsetest.Golden(t, "asff", "panther_findings.jsonl")
	require.Contains(t, res.Lines[0], `"src_ip":"11.111.11.111"`)
	require.Contains(t, res.Lines[0], `"api_operation":"Scan"`)
	require.Contains(t, res.Lines[0], `"time":"2024-05-24T22:53:24Z"`)
}

func TestPantherWrappersAreGenericJSON(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "panther_wrappers.jsonl"))
	require.NoError(t, err)
	res := parsetest.Decode(t, data, "")
	require.Equal(t, map[string]int{"json": 2}, res.Types)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "asff", "damaged.jsonl")
	require.Equal(t, 1, res.Events)
	require.Len(t, res.Dead, 4)
	require.Contains(t, res.Dead[0].Reason, "truncated JSON record")
	require.Contains(t, res.Dead[1].Reason, "asff: expected an Id string, got nothing")
	require.Contains(t, res.Dead[2].Reason, "asff: expected an UpdatedAt timestamp, got number")
	require.Contains(t, res.Dead[3].Reason, `asff: UpdatedAt "tomorrow" is not a timestamp`)
	require.True(t, strings.Contains(res.Lines[0], `"severity_id":1`))
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "securityhub/awsdocs_asff_sample_findings.json")
	require.Empty(t, res.Dead)
	require.Equal(t, map[string]int{"asff": 6}, res.Types)

	res = parsetest.DecodeCorpus(t, "securityhub/panther_rule_tests_asff.jsonl")
	require.Empty(t, res.Dead)
	require.Equal(t, map[string]int{"json": 10}, res.Types, "unit-test wrappers are not ASFF at top level")
}

func FuzzASFF(f *testing.F) {
	parsetest.Fuzz(f, "asff", files...)
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "eventbridge.json"))
	require.NoError(b, err)
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	require.NoError(b, err)
	f := v.Get("detail", "findings", "0")
	raw := f.MarshalTo(nil)
	p := asff.Format.New()
	rec := &parse.Record{Data: raw, JSON: f}
	var ev event.Event
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		ev.Reset()
		if err := p.Parse(rec, &ev); err != nil {
			b.Fatal(err)
		}
	}
}
