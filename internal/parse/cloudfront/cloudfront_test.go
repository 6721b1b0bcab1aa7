package cloudfront_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/cloudfront"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var samples = []string{
	"awsdocs_cloudfront_standard_log_example.log",
	"crowdsec_hub_aws-cloudfront-logs.log",
	"no_header.log",
	"custom_fields.log",
	"damaged.log",
}

func TestGolden(t *testing.T) {
	for _, file := range samples {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "cloudfront", file) })
	}
}

func TestDirectives(t *testing.T) {
	res := parsetest.Golden(t, "cloudfront", "custom_fields.log")
	require.Empty(t, res.Dead)
	require.Equal(t, 3, res.Events)
	require.Equal(t, 3, res.Skipped, "#Version and both #Fields lines")

	res = parsetest.Golden(t, "cloudfront", "no_header.log")
	require.Empty(t, res.Dead)
	require.Equal(t, 3, res.Events, "two default lines and an older 24-field line")
}

func TestDamagedInputKeepsGoodRecords(t *testing.T) {
	res := parsetest.Golden(t, "cloudfront", "damaged.log")
	require.Equal(t, 1, res.Events)
	reasons := []string{}
	for _, d := range res.Dead {
		reasons = append(reasons, d.Reason)
	}
	require.Len(t, reasons, 5, reasons)
	require.Contains(t, reasons[0], "expected 33 tab-separated fields as named by the #Fields line, got 7")
	require.Contains(t, reasons[1], `sc-bytes should be a number, found "lots"`)
	require.Contains(t, reasons[2], `expected date and time as 2019-12-04 and 21:02:31, found "04.12.2019"`)
	require.Contains(t, reasons[3], "got 34")
	require.Contains(t, reasons[4], "got 1")
}

func TestCoreFields(t *testing.T) {
	p := cloudfront.Format.New()
	var ev event.Event
	require.ErrorIs(t, p.Parse(&parse.Record{Data: []byte("#Fields: date time c-ip cs-method cs(Host) cs-uri-stem sc-status cs(User-Agent) cs-uri-query x-edge-location x-edge-request-id x-host-header cs-protocol c-port")}, &ev), parse.ErrSkip)
	line := "2024-03-12\t15:22:29\t198.51.100.7\tGET\td111111abcdef8.cloudfront.net\t/wp-login.php\t404\tMozilla/5.0%20(compatible;%20Nuclei)\tredirect_to=%2Fwp-admin%2F\tFRA56-P1\tAbCd==\twww.example.com\thttps\t50123"
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	require.Equal(t, "Mozilla/5.0 (compatible; Nuclei)", ev.UserAgent)
	require.Equal(t, "https://www.example.com/wp-login.php?redirect_to=%2Fwp-admin%2F", ev.URL)
	require.Equal(t, "failure", ev.Outcome)
	require.Equal(t, 50123, ev.SrcPort)
	require.Equal(t, "FRA56-P1", ev.Host)
	require.Equal(t, "AbCd==", ev.EventID)
	require.Equal(t, "2024-03-12T15:22:29Z", ev.Time.Format("2006-01-02T15:04:05Z07:00"))
	for name, want := range map[string]string{"cs(Host)": "d111111abcdef8.cloudfront.net", "x_edge_location": "FRA56-P1", "cs-uri-stem": "/wp-login.php"} {
		v, ok := ev.Fields.Lookup(name)
		require.True(t, ok, name)
		require.Equal(t, want, v.Str(), name)
	}
	names := map[string]bool{}
	for _, c := range cloudfront.Format.Columns {
		names[c.Name] = true
	}
	for _, n := range []string{"cs_host", "cs_user_agent", "cs_uri_stem", "x_edge_location", "sc_status", "c_port"} {
		require.True(t, names[n], n)
	}
}

func TestDetectLeavesOtherLogsAlone(t *testing.T) {
	for _, line := range []string{
		"#Software: Microsoft Internet Information Services 10.0",
		"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status",
		"2024-03-12 15:22:29 10.0.0.1 GET / - 80 - 192.0.2.1 curl/8.0 200",
		"a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm",
	} {
		require.Less(t, cloudfront.Format.Detect(&parse.Record{Data: []byte(line)}), 50, line)
	}
}

func TestCorpus(t *testing.T) {
	for file, n := range map[string]int{
		"cloudfront/awsdocs_cloudfront_standard_log_example.log": 6,
		"cloudfront/crowdsec_hub_aws-cloudfront-logs.log":        2,
	} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, map[string]int{"cloudfront": n}, res.Types, file)
	}
}

func BenchmarkParse(b *testing.B) {
	line := []byte("2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\td111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-")
	p := cloudfront.Format.New()
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

func FuzzCloudFront(f *testing.F) {
	parsetest.Fuzz(f, "cloudfront", samples...)
}
