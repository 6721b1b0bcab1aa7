package guardduty_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/guardduty"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var files = []string{"s3_export.jsonl", "eventbridge.json", "get_findings.json", "damaged.jsonl"}

func TestGolden(t *testing.T) {
	for _, file := range files {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "guardduty", file) })
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
	require.NoError(tb, guardduty.Format.New().Parse(&parse.Record{Data: data, JSON: v}, &ev))
	return &ev
}

func TestNetworkConnection(t *testing.T) {
	ev := parseOne(t, line(t, "s3_export.jsonl", 0))
	require.Equal(t, "a1b2c3d4e5f60718293a4b5c6d7e8f90@2024-03-05T10:52:18.112Z", ev.EventID)
	require.Equal(t, "2024-03-05T10:52:18.112Z", ev.Time.Format("2006-01-02T15:04:05.000Z07:00"))
	require.Equal(t, 2, ev.SeverityID)
	require.Equal(t, "Detection Finding", ev.ClassName)
	require.Equal(t, "UnauthorizedAccess:EC2/SSHBruteForce", ev.Activity)
	require.Equal(t, "111122223333", ev.CloudAccount)
	require.Equal(t, "us-east-1", ev.CloudRegion)
	require.Equal(t, "203.0.113.45", ev.SrcIP.String())
	require.Equal(t, 51034, ev.SrcPort)
	require.Equal(t, "10.0.1.15", ev.DstIP.String())
	require.Equal(t, 22, ev.DstPort)
	require.Equal(t, "tcp", ev.IPProtocol)
	require.Equal(t, "i-0a1b2c3d4e5f67890", ev.Host)
}

func TestPortProbeAndAPICall(t *testing.T) {
	ev := parseOne(t, line(t, "s3_export.jsonl", 1))
	require.Equal(t, "192.0.2.77", ev.SrcIP.String(), "first probe")
	require.Equal(t, 3389, ev.DstPort)
	require.Equal(t, 3, ev.SeverityID)

	ev = parseOne(t, line(t, "s3_export.jsonl", 2))
	require.Equal(t, "198.51.100.200", ev.SrcIP.String())
	require.Equal(t, "web-role", ev.ActorUser)
	require.Equal(t, "AROAEXAMPLEROLEID0001:i-0a1b2c3d4e5f67890", ev.ActorUID)
	require.Equal(t, "ListBuckets", ev.APIOperation)
	require.Equal(t, "s3.amazonaws.com", ev.APIService)
	require.Equal(t, 4, ev.SeverityID)

	ev = parseOne(t, line(t, "s3_export.jsonl", 3))
	require.Equal(t, "c2.badexample.net", ev.DNSQuery)
	require.False(t, ev.SrcIP.IsValid())

	ev = parseOne(t, line(t, "s3_export.jsonl", 5))
	require.Equal(t, 5, ev.SeverityID, "9.0 and above is critical")
}

func TestUpdatesAreDistinct(t *testing.T) {
	res := parsetest.Golden(t, "guardduty", "s3_export.jsonl")
	require.Equal(t, 6, res.Events)
	require.Contains(t, res.Lines[0], `"event_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90@2024-03-05T10:52:18.112Z"`)
	require.Contains(t, res.Lines[4], `"event_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90@2024-03-05T16:52:18.112Z"`)
}

func TestPascalCase(t *testing.T) {
	res := parsetest.Golden(t, "guardduty", "get_findings.json")
	require.Equal(t, 2, res.Events)
	require.Empty(t, res.Dead)
	require.Contains(t, res.Lines[1], `"src_ip":"198.51.100.200"`)
	require.Contains(t, res.Lines[1], `"actor_user":"web-role"`)

	data, err := os.ReadFile(filepath.Join("testdata", "get_findings.json"))
	require.NoError(t, err)
	v, err := fastjson.ParseBytes(data)
	require.NoError(t, err)
	f := v.GetArray("Findings")[1]
	var ev event.Event
	require.NoError(t, guardduty.Format.New().Parse(&parse.Record{Data: f.MarshalTo(nil), JSON: f}, &ev))
	for _, c := range guardduty.Format.Columns {
		switch c.Name {
		case "resource_instanceDetails_instanceId", "confidence":
			continue
		}
		_, ok := ev.Fields.Lookup(c.FieldPath())
		require.True(t, ok, "column %s on a PascalCase finding", c.Name)
	}
}

func TestEventBridge(t *testing.T) {
	res := parsetest.Golden(t, "guardduty", "eventbridge.json")
	require.Equal(t, 1, res.Events)
	require.Contains(t, res.Lines[0], `"activity":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"`)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "guardduty", "damaged.jsonl")
	require.Equal(t, 1, res.Events)
	require.Len(t, res.Dead, 4)
	require.Contains(t, res.Dead[0].Reason, "truncated JSON record")
	require.Contains(t, res.Dead[1].Reason, "guardduty: expected a finding id string, got nothing")
	require.Contains(t, res.Dead[2].Reason, `guardduty: updatedAt "last week" is not a timestamp`)
	require.Contains(t, res.Dead[3].Reason, "guardduty: expected an updatedAt or createdAt timestamp, got nothing")
	require.Contains(t, res.Lines[0], `"severity_id":2`, "string severity")
}

func FuzzGuardDuty(f *testing.F) {
	parsetest.Fuzz(f, "guardduty", files...)
}

func BenchmarkParse(b *testing.B) {
	data := line(b, "s3_export.jsonl", 0)
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	require.NoError(b, err)
	p := guardduty.Format.New()
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
