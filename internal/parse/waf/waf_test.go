package waf_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/parse/waf"
)

var files = []string{"awsdocs_examples.jsonl", "synthetic.jsonl", "concatenated.json", "damaged.jsonl"}

func TestGolden(t *testing.T) {
	for _, file := range files {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "waf", file) })
	}
}

func firstLine(tb testing.TB, file string, n int) []byte {
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
	require.NoError(tb, waf.Format.New().Parse(&parse.Record{Data: data, JSON: v}, &ev))
	return &ev
}

func TestCoreFields(t *testing.T) {
	ev := parseOne(t, firstLine(t, "awsdocs_examples.jsonl", 0))
	require.Equal(t, int64(1576280412771), ev.Time.UnixMilli())
	require.Equal(t, "1.1.1.1", ev.SrcIP.String())
	require.Equal(t, "GET", ev.HTTPMethod)
	require.Equal(t, "//localhost:1989/myUri", ev.URL)
	require.Equal(t, "curl/7.61.1", ev.UserAgent)
	require.Equal(t, "denied", ev.Disposition)
	require.Equal(t, "BLOCK", ev.Activity)
	require.Equal(t, "rid", ev.EventID)
	require.Equal(t, "HTTP Activity", ev.ClassName)
	host, ok := ev.Fields.Lookup("httpRequest_host")
	require.True(t, ok)
	require.Equal(t, "localhost:1989", host.Str())
	uaCol, ok := ev.Fields.Lookup("httpRequest_userAgent")
	require.True(t, ok)
	require.Equal(t, "curl/7.61.1", uaCol.Str())
	cip, ok := ev.Fields.Lookup("httpRequest.clientIp")
	require.True(t, ok)
	require.Equal(t, "1.1.1.1", cip.Str())

	ev = parseOne(t, firstLine(t, "synthetic.jsonl", 0))
	require.Equal(t, "https://shop.example.com/login?next=%2Faccount", ev.URL)
	require.Equal(t, "python-requests/2.31.0", ev.UserAgent, "header names are case-insensitive")
	require.Equal(t, "denied", ev.Disposition, "CAPTCHA without a token is not let through")
	require.Equal(t, 405, ev.HTTPStatus)
}

func TestDispositions(t *testing.T) {
	res := parsetest.Golden(t, "waf", "synthetic.jsonl")
	require.Equal(t, 4, res.Events)
	want := []string{"denied", "denied", "allowed", "denied"}
	for i, d := range want {
		require.Contains(t, res.Lines[i], `"disposition":"`+d+`"`, res.Lines[i])
	}
	require.Contains(t, res.Lines[2], `"time":"2024-05-29T16:26:42.789Z"`, "string timestamps are accepted")
	require.Contains(t, res.Lines[2], `"url":"/v1/health"`, "no host known: the path alone")
}

func TestConcatenated(t *testing.T) {
	res := parsetest.Golden(t, "waf", "concatenated.json")
	require.Equal(t, 3, res.Events)
	require.Empty(t, res.Dead)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "waf", "damaged.jsonl")
	require.Equal(t, 2, res.Events)
	require.Len(t, res.Dead, 4)
	require.Contains(t, res.Dead[0].Reason, "truncated JSON record")
	require.Contains(t, res.Dead[1].Reason, `waf: timestamp "soon" is not Unix milliseconds`)
	require.Contains(t, res.Dead[2].Reason, "waf: expected an httpRequest object, got string")
	require.Contains(t, res.Dead[3].Reason, "waf: expected a timestamp in Unix milliseconds, got nothing")
	require.Contains(t, res.Lines[len(res.Lines)-1], "httpRequest.clientIp is not an IP address")
}

func TestColumnsResolve(t *testing.T) {
	ev := parseOne(t, firstLine(t, "synthetic.jsonl", 0))
	for _, c := range waf.Format.Columns {
		switch c.Name {
		case "terminatingRuleMatchDetails", "requestHeadersInserted", "challengeResponse", "oversizeFields", "httpRequest_fragment":
			continue
		}
		_, ok := ev.Fields.Lookup(c.FieldPath())
		require.True(t, ok, "column %s", c.Name)
	}
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "waf/awsdocs_wafv2_log_examples.jsonl")
	require.Empty(t, res.Dead)
	require.Equal(t, map[string]int{"waf": 6}, res.Types)

	// GPL-2.0 file: tested in place, never copied. The MANIFEST says 3 records on one line; the file
	// holds 7 on 4 lines: 3 concatenated on the first, 1 on each of the next two, 2 concatenated on
	// the last (which has no newline).
	res = parsetest.DecodeCorpus(t, "waf/wazuh_aws_waf_test.log")
	require.Empty(t, res.Dead)
	require.Equal(t, map[string]int{"waf": 7}, res.Types)
}

func FuzzWAF(f *testing.F) {
	parsetest.Fuzz(f, "waf", files...)
}

func BenchmarkParse(b *testing.B) {
	data := firstLine(b, "awsdocs_examples.jsonl", 0)
	var jp fastjson.Parser
	v, err := jp.ParseBytes(data)
	require.NoError(b, err)
	p := waf.Format.New()
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
