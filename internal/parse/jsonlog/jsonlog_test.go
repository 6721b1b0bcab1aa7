package jsonlog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/jsonlog"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var files = []string{"panther_okta.jsonl", "shapes.jsonl", "damaged.jsonl"}

func TestGolden(t *testing.T) {
	for _, file := range files {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "json", file) })
	}
}

func line(tb testing.TB, file string, n int) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(tb, err)
	return []byte(strings.Split(string(data), "\n")[n])
}

func parseOne(tb testing.TB, data []byte) *event.Event {
	tb.Helper()
	v, err := fastjson.ParseBytes(data)
	require.NoError(tb, err)
	var ev event.Event
	require.NoError(tb, jsonlog.Format.New().Parse(&parse.Record{Data: data, JSON: v}, &ev))
	return &ev
}

func TestOkta(t *testing.T) {
	ev := parseOne(t, line(t, "panther_okta.jsonl", 0))
	require.Equal(t, "2020-10-25T10:20:22Z", ev.Time.Format("2006-01-02T15:04:05Z07:00"))
	require.Equal(t, "92.55.146.245", ev.SrcIP.String())
	require.Equal(t, "tracey_stone@acme.io", ev.ActorUser)
	require.Equal(t, "user.session.start", ev.Activity)
	require.Equal(t, "failure", ev.Outcome)
	require.Equal(t, "Authentication", ev.ClassName)
	require.Equal(t, "5f09746d-2213-11eb-ad64-a7e5a0a8ce4f", ev.EventID)
	require.Equal(t, 1, ev.SeverityID)
	require.True(t, strings.HasPrefix(ev.UserAgent, "Mozilla/5.0 (Macintosh"))
	v, ok := ev.Fields.Lookup("client.geographicalContext.city")
	require.True(t, ok)
	require.Equal(t, "Bucharest", v.Str())

	ev = parseOne(t, line(t, "panther_okta.jsonl", 2))
	require.Equal(t, "success", ev.Outcome)
	require.Equal(t, "71.253.251.71", ev.SrcIP.String())
}

func TestShapes(t *testing.T) {
	res := parsetest.Golden(t, "json", "shapes.jsonl")
	require.Equal(t, 8, res.Events)
	for i, want := range [][]string{
		{`"time":"2024-03-05T10:00:00.123Z"`, `"src_ip":"203.0.113.9","src_port":50122`, `"dst_ip":"10.0.0.5","dst_port":443`, `"actor_user":"alice"`, `"actor_uid":"1001"`, `"user_agent":"curl/8.5.0"`, `"activity":"user_login"`, `"outcome":"failure"`, `"event_id":"7f3e2a10-0000-4000-8000-000000000001"`, `"host":"web-1"`, `"severity_id":3`},
		{`"time":"2024-03-05T10:00:00.5Z"`, `"host":"app-2"`, `"http_method":"GET"`, `"url":"/admin"`, `"http_status":403`},
		{`"time":"2024-03-05T10:00:01.234Z"`, `"src_ip":"192.0.2.44","src_port":61000`, `"actor_uid":"u-889"`, `"http_status":201`, `"outcome":"success"`, `"host":"worker-7"`},
		{`"time":"2024-03-05T10:00:02Z"`, `"src_ip":"2001:db8::77"`, `"actor_user":"svc-backup"`, `"outcome":"failure"`, `"event_id":"evt-0003"`},
		{`"time":"2024-03-05T10:00:03Z"`},
		{`"time":"2024-03-05T10:00:04Z"`, `"src_ip":"198.51.100.77"`, `"actor_user":"mallory@example.com"`, `"severity_id":1`},
		{`"time":"2026-01-01T00:00:00Z"`, `"warnings":["record has no time of its own; ingest time used"]`, `"actor_user":"bob"`, `"activity":"noop"`},
		{`"time":"2024-03-05T10:00:06Z"`, `"src_ip":"192.0.2.200"`, `"activity":"download"`, `"severity_id":5`},
	} {
		for _, w := range want {
			require.Contains(t, res.Lines[i], w, "line %d", i+1)
		}
	}
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "json", "damaged.jsonl")
	require.Equal(t, 2, res.Events)
	// The framer takes a top-level array's elements as records: three numbers, each not an object.
	require.Len(t, res.Dead, 5, reasons(res))
	require.Contains(t, res.Dead[0].Reason, "truncated JSON record")
	for _, d := range res.Dead[1:4] {
		require.Contains(t, d.Reason, "JSON record is number, not an object")
	}
	require.Contains(t, res.Dead[4].Reason, "not JSON")
}

func TestNotAnObject(t *testing.T) {
	var ev event.Event
	err := jsonlog.Format.New().Parse(&parse.Record{Data: []byte("1"), JSON: fastjson.MustParse("1")}, &ev)
	require.EqualError(t, err, "json: expected a JSON object, got number")
	require.Zero(t, jsonlog.Format.Detect(&parse.Record{JSON: fastjson.MustParse("[]")}))
	require.Equal(t, 10, jsonlog.Format.Detect(&parse.Record{JSON: fastjson.MustParse("{}")}))
}

func TestCorpusOkta(t *testing.T) {
	for file, n := range map[string]int{
		"scenarios/panther_compromised_root_creds/attacker_okta.jsonl": 2,
		"scenarios/panther_compromised_root_creds/victim_okta.jsonl":   1,
	} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, reasons(res), file)
		require.Equal(t, map[string]int{"json": n}, res.Types, file)
		for _, l := range res.Lines {
			require.Contains(t, l, `"class_name":"Authentication"`)
			require.NotContains(t, l, "warnings", "Okta records carry their own time")
		}
	}
}

func TestCorpusPantherWrappers(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "securityhub/panther_rule_tests_asff.jsonl")
	require.Empty(t, reasons(res))
	require.Equal(t, map[string]int{"json": 10}, res.Types)
}

func reasons(res parsetest.Result) []string {
	var out []string
	for _, d := range res.Dead {
		out = append(out, d.Reason)
	}
	return out
}

func FuzzJSON(f *testing.F) {
	parsetest.Fuzz(f, "json", files...)
}

func BenchmarkParse(b *testing.B) {
	data := line(b, "panther_okta.jsonl", 0)
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	require.NoError(b, err)
	p := jsonlog.Format.New()
	rec := &parse.Record{Data: data, JSON: v}
	var ev event.Event
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		ev.Reset()
		if err := p.Parse(rec, &ev); err != nil {
			b.Fatal(err)
		}
	}
}

// Logstash-shipped CloudTrail records lost eventTime to @timestamp; whichever type takes them, all
// 103 must come out, and as json they keep their verb, caller and time.
func TestCorpusShippedCloudTrail(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "cloudtrail/otrf_ec2_proxy_s3_exfiltration_2020-09-14.jsonl")
	require.Empty(t, reasons(res))
	require.Equal(t, 103, res.Types["json"]+res.Types["cloudtrail"], res.Types)
	if res.Types["json"] == 103 {
		require.Contains(t, res.Lines[0], `"activity":"DescribeInstanceTypes"`)
		require.Contains(t, res.Lines[0], `"actor_user":"pedro"`)
		require.NotContains(t, res.Lines[0], "warnings")
	}
}
