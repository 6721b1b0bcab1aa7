package s3access_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/parse/s3access"
)

var samples = []string{"awsdocs_s3_server_access_log_example.log", "panther_attacker_s3_access.log", "synthetic.log", "damaged.log"}

func TestGolden(t *testing.T) {
	for _, file := range samples {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "s3access", file) })
	}
}

func TestDamagedInputKeepsGoodRecords(t *testing.T) {
	res := parsetest.Golden(t, "s3access", "damaged.log")
	require.Equal(t, 1, res.Events)
	reasons := []string{}
	for _, d := range res.Dead {
		reasons = append(reasons, d.Reason)
	}
	require.Len(t, reasons, 5, reasons)
	require.Contains(t, reasons[0], "bracketed time is not closed")
	require.Contains(t, reasons[1], "expected at least 17 fields (bucket owner through user agent), got 7")
	require.Contains(t, reasons[2], `http_status should be a number, found "OK"`)
	require.Contains(t, reasons[3], `found "sometime"`)
	require.Contains(t, reasons[4], "got 5")
}

func TestCoreFields(t *testing.T) {
	res := parsetest.Golden(t, "s3access", "synthetic.log")
	require.Empty(t, res.Dead)
	require.Equal(t, 4, res.Events)

	p := s3access.Format.New()
	var ev event.Event
	line := `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [12/Mar/2024:15:22:28 +0000] 198.51.100.23 - 8A1B2C3D4E5F6A7B REST.GET.BUCKET - "GET /?list-type=2&prefix=backup HTTP/1.1" 403 AccessDenied 243 - 12 - "-" "s3scanner/2.0" - Q1w2= - ECDHE-RSA-AES128-GCM-SHA256 - amzn-s3-demo-bucket1.s3.amazonaws.com TLSv1.2 - - -`
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	require.Empty(t, ev.ActorUID, "anonymous")
	require.Equal(t, "failure", ev.Outcome)
	require.Equal(t, "GET", ev.HTTPMethod)
	require.Equal(t, "/?list-type=2&prefix=backup", ev.URL)
	require.Equal(t, "8A1B2C3D4E5F6A7B", ev.EventID)
	require.Equal(t, "REST.GET.BUCKET", ev.APIOperation)
	require.Equal(t, int64(243), ev.Bytes)
	_, ok := ev.Fields.Lookup("requester")
	require.False(t, ok)
	v, ok := ev.Fields.Lookup("error_code")
	require.True(t, ok)
	require.Equal(t, "AccessDenied", v.Str())
	v, _ = ev.Fields.Lookup("http_status")
	require.Equal(t, event.KindNumber, v.Kind())
}

func TestDetectLeavesOtherLogsAlone(t *testing.T) {
	for _, line := range []string{
		`192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "-" "curl/8.0"`,
		`2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK`,
	} {
		require.Zero(t, s3access.Format.Detect(&parse.Record{Data: []byte(line)}), line)
	}
}

func TestCorpus(t *testing.T) {
	for file, n := range map[string]int{
		"s3access/awsdocs_s3_server_access_log_example.log":               5,
		"scenarios/panther_compromised_root_creds/attacker_s3_access.log": 3,
	} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, map[string]int{"s3access": n}, res.Types, file)
	}
}

func BenchmarkParse(b *testing.B) {
	line := []byte(`79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf "PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" "S3Console/0.4" - 10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes`)
	p := s3access.Format.New()
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

func FuzzS3Access(f *testing.F) {
	parsetest.Fuzz(f, "s3access", samples...)
}
