package route53resolver_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/parse/route53resolver"
)

var files = []string{"awsdocs_example.jsonl", "synthetic.jsonl", "cloudwatch_subscription.json", "damaged.jsonl"}

func TestGolden(t *testing.T) {
	for _, file := range files {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "route53resolver", file) })
	}
}

func TestCoreFields(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "awsdocs_example.jsonl"))
	require.NoError(t, err)
	ev := parseOne(t, data)
	require.Equal(t, "2021-02-04T17:51:55Z", ev.Time.Format("2006-01-02T15:04:05Z07:00"))
	require.Equal(t, "15.3.4.32.in-addr.arpa", ev.DNSQuery)
	require.Equal(t, "PTR", ev.DNSType)
	require.Equal(t, "NOERROR", ev.DNSRcode)
	require.Equal(t, "4.5.64.102", ev.SrcIP.String())
	require.Equal(t, 56067, ev.SrcPort)
	require.Equal(t, "udp", ev.IPProtocol)
	require.Equal(t, "denied", ev.Disposition)
	require.Equal(t, "i-0d15cd0d3example", ev.Host)
	require.Equal(t, "111122223333", ev.CloudAccount)
	require.Equal(t, "us-east-1", ev.CloudRegion)
	require.Equal(t, "DNS Activity", ev.ClassName)
	require.Equal(t, "Query", ev.Activity)
	for _, c := range route53resolver.Format.Columns {
		if c.Name == "srcids_resolver_endpoint" || c.Name == "srcids_resolver_network_interface" || c.Name == "firewall_protection" || c.Name == "additional_properties" {
			continue
		}
		_, ok := ev.Fields.Lookup(c.FieldPath())
		require.True(t, ok, "column %s", c.Name)
	}
}

func TestDisposition(t *testing.T) {
	res := parsetest.Golden(t, "route53resolver", "synthetic.jsonl")
	require.Equal(t, 4, res.Events)
	require.Contains(t, res.Lines[1], `"disposition":"allowed"`, "ALERT only logs the match")
	require.NotContains(t, res.Lines[0], `"disposition"`, "no firewall verdict, no disposition")
	require.Contains(t, res.Lines[2], `"src_ip":"2001:db8:1::7"`)
	require.Contains(t, res.Lines[2], `"ip_protocol":"tcp"`)
}

func TestEnvelope(t *testing.T) {
	res := parsetest.Golden(t, "route53resolver", "cloudwatch_subscription.json")
	require.Equal(t, 2, res.Events)
	require.Empty(t, res.Dead)
	require.Contains(t, res.Lines[1], `"disposition":"denied"`)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "route53resolver", "damaged.jsonl")
	require.Equal(t, 2, res.Events, "the good record and the one with unusable address and port")
	require.Len(t, res.Dead, 3)
	require.Contains(t, res.Dead[0].Reason, "truncated JSON record")
	require.Contains(t, res.Dead[1].Reason, `query_timestamp "yesterday" is not a timestamp`)
	require.Contains(t, res.Dead[2].Reason, "expected a query_name string, got number")
}

func TestNotAnObject(t *testing.T) {
	var ev event.Event
	err := route53resolver.Format.New().Parse(&parse.Record{Data: []byte("x")}, &ev)
	require.ErrorContains(t, err, "expected a JSON object, got nothing")
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "route53resolver/awsdocs_resolver_query_log_example.jsonl")
	require.Empty(t, res.Dead)
	require.Equal(t, map[string]int{"route53resolver": 1}, res.Types)
}

func FuzzRoute53Resolver(f *testing.F) {
	parsetest.Fuzz(f, "route53resolver", files...)
}

func parseOne(tb testing.TB, data []byte) *event.Event {
	tb.Helper()
	v, err := fastjson.ParseBytes(data)
	require.NoError(tb, err)
	var ev event.Event
	require.NoError(tb, route53resolver.Format.New().Parse(&parse.Record{Data: data, JSON: v}, &ev))
	return &ev
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "awsdocs_example.jsonl"))
	require.NoError(b, err)
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	require.NoError(b, err)
	p := route53resolver.Format.New()
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
