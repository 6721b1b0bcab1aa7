package alb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/alb"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var samples = []string{"awsdocs_alb_access_log_examples.log", "crowdsec_hub_aws-alb-logs.log", "damaged.log"}

func TestGolden(t *testing.T) {
	for _, file := range samples {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "alb", file) })
	}
}

func TestDamagedInputKeepsGoodRecords(t *testing.T) {
	res := parsetest.Golden(t, "alb", "damaged.log")
	require.Equal(t, 3, res.Events, "the intact line, the 18-field line of the first ALB format and the line with a future field")
	reasons := []string{}
	for _, d := range res.Dead {
		reasons = append(reasons, d.Reason)
	}
	require.Len(t, reasons, 5, reasons)
	require.Contains(t, reasons[0], "quoted field is not closed")
	require.Contains(t, reasons[1], "expected at least 18 fields (type through trace_id), got 16")
	require.Contains(t, reasons[2], `elb_status_code should be a number, found "OK"`)
	require.Contains(t, reasons[3], `expected an ISO 8601 time as the second field, found "yesterday"`)
	require.Contains(t, reasons[4], `expected a request type (http, https, h2, grpcs, ws, wss) first, found "this"`)
}

func TestCoreFields(t *testing.T) {
	p := alb.Format.New()
	var ev event.Event
	line := `https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 403 - 120 200 "POST https://www.example.com:443/login HTTP/1.1" "sqlmap/1.7 (https://sqlmap.org)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-58337262-36d228ad5d99923122bbe355" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2018-07-02T22:23:00.186000Z "waf" "-" "-" "-" "-" "-" "-" TID_1234abcd5678ef90 "-" "-" "-"`
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	require.Equal(t, "POST", ev.HTTPMethod)
	require.Equal(t, "https://www.example.com:443/login", ev.URL)
	require.Equal(t, 403, ev.HTTPStatus)
	require.Equal(t, "failure", ev.Outcome)
	require.Equal(t, "denied", ev.Disposition)
	require.Equal(t, "192.168.131.39", ev.SrcIP.String())
	require.Equal(t, 2817, ev.SrcPort)
	require.False(t, ev.DstIP.IsValid())
	require.Equal(t, int64(320), ev.Bytes)
	require.Equal(t, "us-east-2", ev.CloudRegion)
	require.Equal(t, "123456789012", ev.CloudAccount)
	v, ok := ev.Fields.Lookup("target_processing_time")
	require.True(t, ok)
	require.Equal(t, "-1", v.Str())
	require.Equal(t, event.KindNumber, v.Kind())
	_, ok = ev.Fields.Lookup("target_status_code")
	require.False(t, ok, "'-' is absent")
	v, _ = ev.Fields.Lookup("conn_trace_id")
	require.Equal(t, "TID_1234abcd5678ef90", v.Str())
	require.Len(t, alb.Format.Columns, 33, "35 row fields less time and user_agent")
}

func TestIPv6Client(t *testing.T) {
	p := alb.Format.New()
	var ev event.Event
	line := `h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8:1234::17:48160 10.0.0.66:9000 0.000 0.002 0.000 200 200 5 257 "GET https://10.0.2.105:773/ HTTP/2.0" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337327-72bd00b0343d75b906739c42"`
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	require.Equal(t, "2001:db8:1234::17", ev.SrcIP.String())
	require.Equal(t, 48160, ev.SrcPort)
}

func TestDetectLeavesOtherLogsAlone(t *testing.T) {
	for _, line := range []string{
		`2018-07-02T22:23:00.186641Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000043 0.001337 0.000085 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.38.0" DHE-RSA-AES128-SHA TLSv1.2`,
		`tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com - - - 2018-12-20T02:59:30`,
		`http not-a-time app/x`,
	} {
		require.Zero(t, alb.Format.Detect(&parse.Record{Data: []byte(line)}), line)
	}
}

func TestCorpus(t *testing.T) {
	for file, n := range map[string]int{
		"alb/awsdocs_alb_access_log_examples.log":          7,
		"alb/crowdsec_hub_aws-alb-http-bad-user-agent.log": 4,
		"alb/crowdsec_hub_aws-alb-logs.log":                14,
	} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, map[string]int{"alb": n}, res.Types, file)
	}
}

func BenchmarkParse(b *testing.B) {
	line := []byte(`https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-"`)
	p := alb.Format.New()
	rec := &parse.Record{Data: line}
	var ev event.Event
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		ev.Reset()
		if err := p.Parse(rec, &ev); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzALB(f *testing.F) {
	parsetest.Fuzz(f, "alb", samples...)
}
