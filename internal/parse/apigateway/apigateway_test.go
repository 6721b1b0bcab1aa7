package apigateway_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/apigateway"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var samples = []string{"rest_json.jsonl", "http_json.jsonl", "clf.log", "cloudwatch_subscription.json", "damaged.log"}

func TestGolden(t *testing.T) {
	for _, file := range samples {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "apigateway", file) })
	}
}

func TestShapes(t *testing.T) {
	for file, n := range map[string]int{"rest_json.jsonl": 3, "http_json.jsonl": 3, "clf.log": 4, "cloudwatch_subscription.json": 3} {
		res := parsetest.Golden(t, "apigateway", file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, n, res.Events, file)
	}
}

func TestJSONAndCLFAgree(t *testing.T) {
	var a, b event.Event
	p := apigateway.Format.New()
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(`{ "requestId":"d0f3b1a2-7b61-11e6-9a41-93e8deadbeef", "extendedRequestId":"Bc4eFGhIJkLMnOp=", "ip": "203.0.113.50", "caller":"AIDACKCEVSQ6C2EXAMPLE", "user":"AIDACKCEVSQ6C2EXAMPLE", "requestTime":"12/Mar/2024:15:22:31 +0000", "httpMethod":"DELETE", "resourcePath":"/pets/{petId}", "status":"403", "protocol":"HTTP/1.1", "responseLength":"42" }`)}, &a))
	q := apigateway.Format.New()
	require.NoError(t, q.Parse(&parse.Record{Data: []byte(`203.0.113.50 AIDACKCEVSQ6C2EXAMPLE AIDACKCEVSQ6C2EXAMPLE [12/Mar/2024:15:22:31 +0000] "DELETE /pets/{petId} HTTP/1.1" 403 42 d0f3b1a2-7b61-11e6-9a41-93e8deadbeef Bc4eFGhIJkLMnOp=`)}, &b))
	a.Fields, b.Fields = nil, nil
	require.Equal(t, a, b)
	require.Equal(t, "failure", a.Outcome)
	require.Equal(t, "AIDACKCEVSQ6C2EXAMPLE", a.ActorUser)
	require.Equal(t, "/pets/{petId}", a.URL)
	require.Equal(t, int64(42), a.Bytes)
}

func TestDamagedInputKeepsGoodRecords(t *testing.T) {
	res := parsetest.Golden(t, "apigateway", "damaged.log")
	require.Equal(t, 1, res.Events)
	reasons := []string{}
	for _, d := range res.Dead {
		reasons = append(reasons, d.Reason)
	}
	require.Len(t, reasons, 6, reasons)
	require.Contains(t, reasons[0], "quoted field is not closed")
	require.Contains(t, reasons[1], `status should be a number, found "ok"`)
	require.Contains(t, reasons[2], `found "yesterday"`)
	require.Contains(t, reasons[3], "invalid JSON")
	require.Contains(t, reasons[4], `status should be an HTTP status code, found "OK"`)
	require.Contains(t, reasons[5], "unquoted request id")
}

// The AWS documentation's templates are formats, not events: every one must be dead-lettered.
func TestTemplatesAreNotEvents(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "awsdocs_access_log_format_templates.txt"))
	require.NoError(t, err)
	for _, typ := range []string{"", "apigateway"} {
		res := parsetest.Decode(t, data, typ)
		require.Zero(t, res.Events, "type %q", typ)
		templates := 0
		for _, d := range res.Dead {
			if d.LogType == "apigateway" && d.Reason == "apigateway: this is an access-log format template with $context variables, not a log event" {
				templates++
			}
		}
		require.Equal(t, 8, templates, "type %q", typ)
	}
}

func TestDetectLeavesOtherLogsAlone(t *testing.T) {
	for _, line := range []string{
		`192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
		`192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://example.com/" "curl/8.0"`,
		`{"eventName":"GetObject","eventSource":"s3.amazonaws.com","status":"200"}`,
	} {
		require.Zero(t, apigateway.Format.Detect(&parse.Record{Data: []byte(line)}), line)
	}
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "apigateway/awsdocs_access_log_format_templates.txt")
	require.Zero(t, res.Types["apigateway"], "templates are not events")
	require.Zero(t, res.Events)
	templates := 0
	for _, d := range res.Dead {
		if d.LogType == "apigateway" {
			templates++
		}
	}
	require.GreaterOrEqual(t, templates, 8, "the MANIFEST's 8 templates")
}

func BenchmarkParse(b *testing.B) {
	for name, line := range map[string]string{
		"json": `{ "requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "extendedRequestId":"Ab3dEFgHIjKLmNo=", "ip": "198.51.100.14", "caller":"-", "user":"-", "requestTime":"12/Mar/2024:15:22:28 +0000", "httpMethod":"GET", "resourcePath":"/pets/{petId}", "status":"200", "protocol":"HTTP/1.1", "responseLength":"612" }`,
		"clf":  `198.51.100.14 - - [12/Mar/2024:15:22:28 +0000] "GET /pets/{petId} HTTP/1.1" 200 612 c6af9ac6-7b61-11e6-9a41-93e8deadbeef Ab3dEFgHIjKLmNo=`,
	} {
		b.Run(name, func(b *testing.B) {
			p := apigateway.Format.New()
			rec := &parse.Record{Data: []byte(line)}
			var ev event.Event
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				ev.Reset()
				if err := p.Parse(rec, &ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzAPIGateway(f *testing.F) {
	parsetest.Fuzz(f, "apigateway", append(samples, "awsdocs_access_log_format_templates.txt")...)
}
