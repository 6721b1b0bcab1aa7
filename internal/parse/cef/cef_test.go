package cef_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/cef"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var goldenFiles = []string{"crowdsec_hub_cef-logs.log", "crowdsec_hub_unifi-cef.log", "deepsecurity.log", "variants.log", "damaged.log"}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "cef", file) })
	}
}

func TestCorpus(t *testing.T) {
	for file, n := range map[string]int{"cef/crowdsec_hub_cef-logs.log": 4, "cef/crowdsec_hub_unifi-cef.log": 3} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, map[string]int{"cef": n}, res.Types, file)
	}
}

func TestDeepSecurity(t *testing.T) {
	res := parsetest.Golden(t, "cef", "deepsecurity.log")
	require.Equal(t, 9, res.Events)
	require.Empty(t, res.Dead)
	require.Contains(t, res.Lines[0], `"host":"10.20.1.15"`, "dvc names the agent when the manager relays")
	require.Contains(t, res.Lines[1], `"disposition":"denied"`)
	require.Contains(t, res.Lines[2], `"severity_id":5`)
	require.Contains(t, res.Lines[3], `"time":"2024-03-19T15:22:31.512Z"`, "RFC 5424 header time")
	require.Contains(t, res.Lines[3], `"filePath":"C:\\Users\\alice\\Downloads\\eicar.com"`, "\\\\ unescaped")
	require.Contains(t, res.Lines[4], `"LI Description":"Multiple Windows Logon Failures"`, "labelled custom string")
	require.Contains(t, res.Lines[8], `"outcome":"failure"`)
}

func TestVariants(t *testing.T) {
	res := parsetest.Golden(t, "cef", "variants.log")
	require.Empty(t, res.Dead)
	require.Len(t, res.Lines, 6)
	require.Contains(t, res.Lines[0], `"time":"2024-04-01T13:20:00.123Z"`, "rt in epoch milliseconds")
	l := res.Lines[1]
	require.Contains(t, l, `"device_vendor":"Acme|Corp"`)
	require.Contains(t, l, `"device_product":"Fire\\wall"`)
	require.Contains(t, l, `"name":"Blocked | inbound"`)
	require.Contains(t, l, `"severity_id":5`, "Very-High")
	require.Contains(t, l, `"msg":"key=value inside, a backslash \\ and\nnewline"`)
	require.Contains(t, l, `"Rule Name":"Block SSH from WAN"`)
	require.Contains(t, l, `"Hit Count":17`)
	require.Contains(t, l, `"time":"2024-04-02T06:15:30.25Z"`, "rt with zone GMT+02:00")
	require.Contains(t, l, `"ip_protocol":"tcp"`, "proto 6")
	require.Contains(t, res.Lines[2], `"http_method":"GET"`)
	require.Contains(t, res.Lines[2], `"url":"https://www.example.com/index.html?a=1\u0026b=2"`)
	require.Contains(t, res.Lines[2], `"bytes":20992`)
	require.Contains(t, res.Lines[2], `"disposition":"allowed"`)
	require.Contains(t, res.Lines[2], `"time":"2024-04-02T06:16:00Z"`, "start beats the syslog header")
	require.Contains(t, res.Lines[3], `"src_ip":"2001:db8::42"`)
	require.Contains(t, res.Lines[3], `"file_hash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`)
	require.Contains(t, res.Lines[4], `"class_name":"Base Event"`)
	require.Contains(t, res.Lines[4], `"time":"2024-04-01T16:46:40Z"`, "end in epoch seconds")
	require.Contains(t, res.Lines[5], `"severity_id":2`)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "cef", "damaged.log")
	require.Equal(t, 4, res.Events)
	require.Len(t, res.Dead, 3)
	require.Contains(t, res.Lines[0], `"msg":"ends with a backslash \\"`, "a lone trailing backslash is kept")
	require.Contains(t, res.Dead[0].Reason, "expected 7 '|'-separated header fields")
	require.Contains(t, res.Lines[2], `"msg":"escape at the very end ="`)
	require.Contains(t, res.Dead[1].Reason, "numeric version")
	require.Contains(t, res.Lines[4], "extension text without a key dropped")
	require.Contains(t, res.Lines[4], `rt \"yesterday\" is not a time`)
	require.Contains(t, res.Lines[5], `"severity_id":5`, "severity above 10 is clamped to critical")
	require.Contains(t, res.Dead[2].Reason, `found no "CEF:"`)
}

func TestFieldsLookup(t *testing.T) {
	res := parsetest.Decode(t, []byte("CEF:0|V|P|1|id|n|3|cs2=x cs2Label=Where src=1.2.3.4 spt=22\n"), "")
	require.Equal(t, 1, res.Events)

	reg := parse.NewRegistry()
	reg.Register(cef.Format)
	dec, err := parse.NewDecoder(bytes.NewReader([]byte("CEF:0|V|P|1|id|n|3|cs2=x cs2Label=Where src=1.2.3.4 spt=22\n")), parse.Options{Registry: reg})
	require.NoError(t, err)
	var ev event.Event
	var dl parse.DeadLetter
	kind, err := dec.Next(&ev, &dl)
	require.NoError(t, err)
	require.Equal(t, parse.ResultEvent, kind)
	ext, ok := ev.Fields.Lookup("extensions")
	require.True(t, ok)
	require.Equal(t, `{"cs2":"x","cs2Label":"Where","src":"1.2.3.4","spt":22}`, ext.Str())
	v, ok := ev.Fields.Lookup("Where")
	require.True(t, ok)
	require.Equal(t, "x", v.Str())
	for _, c := range cef.Format.Columns {
		if c.Name == "cs2" || c.Name == "cs2Label" || c.Name == "device_vendor" {
			_, ok := ev.Fields.Lookup(c.FieldPath())
			require.True(t, ok, c.Name)
		}
	}
}

func TestDetectBeatsSyslog(t *testing.T) {
	line := []byte("<134>Mar 19 15:19:49 dsm01 CEF:0|Trend Micro|Deep Security Agent|20.0|20|Log|0|src=1.2.3.4")
	best, score := "", 0
	for _, f := range parse.Formats() {
		if !f.Accepts(parse.Text) {
			continue
		}
		if s := f.Detect(&parse.Record{Data: line}); s > score {
			best, score = f.Name, s
		}
	}
	require.Equal(t, "cef", best)
	require.Equal(t, 95, score)
	require.Zero(t, cef.Format.Detect(&parse.Record{Data: []byte("Mar 19 15:19:49 host sshd[1]: CEF: not a header")}))
}

func TestSyslogHeader(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in    string
		host  string
		t     string
		zoned bool
	}{
		{"<13>Dec 31 23:59:59 fw01 ", "fw01", "2025-12-31T23:59:59Z", false},
		{"Jan 18 11:07:53 myhostname ", "myhostname", "2026-01-18T11:07:53Z", false},
		{"Jan 23 12:10:16 UTC egs-001 ", "egs-001", "2026-01-23T12:10:16Z", true},
		{"Jun  2 2019 11:07:53 host1 ", "host1", "2019-06-02T11:07:53Z", false},
		{"<133>1 2019-01-18T11:07:53.520+07:00 myhostname app - - - ", "myhostname", "2019-01-18T04:07:53.52Z", true},
		{"2024-05-01T10:00:00Z edge-2 ", "edge-2", "2024-05-01T10:00:00Z", true},
		{"July 16 10:34:23 host.domain.com KSMG: ", "host.domain.com", "2025-07-16T10:34:23Z", false},
		{"garbage", "", "0001-01-01T00:00:00Z", false},
	} {
		host, ts, zoned := cef.SyslogHeader(c.in, now)
		require.Equal(t, c.host, host, c.in)
		require.Equal(t, c.t, ts.Format(time.RFC3339Nano), c.in)
		require.Equal(t, c.zoned, zoned, c.in)
	}
}

func TestSeverityID(t *testing.T) {
	for in, want := range map[string]int{"0": 2, "3": 2, "4": 3, "6": 3, "7": 4, "8": 4, "9": 5, "10": 5, "Low": 2, "medium": 3, "High": 4, "Very-High": 5, "Unknown": 0, "": 0, "-1": 0} {
		require.Equal(t, want, cef.SeverityID(in), in)
	}
}

func FuzzCEF(f *testing.F) {
	parsetest.Fuzz(f, "cef", goldenFiles...)
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "deepsecurity.log"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	p := cef.Format.New()
	if c, ok := p.(parse.ClockUser); ok {
		c.SetClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	}
	var ev event.Event
	b.ReportAllocs()
	b.SetBytes(int64(len(data) / len(lines)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev.Reset()
		if err := p.Parse(&parse.Record{Data: lines[i%len(lines)]}, &ev); err != nil {
			b.Fatal(err)
		}
	}
}
