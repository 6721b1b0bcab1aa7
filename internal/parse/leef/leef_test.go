package leef_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/leef"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var goldenFiles = []string{"deepsecurity.leef", "spec_examples.leef", "damaged.leef"}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "leef", file) })
	}
}

func TestDeepSecurity(t *testing.T) {
	res := parsetest.Golden(t, "leef", "deepsecurity.leef")
	require.Equal(t, 4, res.Events)
	require.Empty(t, res.Dead)
	require.Contains(t, res.Lines[0], `"activity":"Log for TCP Port 80"`)
	require.Contains(t, res.Lines[0], `"host":"10.20.1.15"`)
	require.Contains(t, res.Lines[0], `"src_port":51032`)
	require.Contains(t, res.Lines[1], `"severity_id":5`)
	require.Contains(t, res.Lines[1], `"disposition":"denied"`)
	require.Contains(t, res.Lines[2], `"filePath":"C:\\Users\\alice\\Downloads\\eicar.com"`)
	require.Contains(t, res.Lines[3], `"actor_user":"admin"`)
}

func TestSpecExamples(t *testing.T) {
	res := parsetest.Golden(t, "leef", "spec_examples.leef")
	require.Equal(t, 6, res.Events)
	require.Empty(t, res.Dead)
	require.Contains(t, res.Lines[0], `"actor_user":"joe.black"`)
	require.Contains(t, res.Lines[0], `"dst_port":21`)
	require.Contains(t, res.Lines[1], `"time":"2017-10-18T09:26:03.06Z"`, "devTimeFormat with Z")
	require.Contains(t, res.Lines[1], `"ip_protocol":"udp"`)
	require.Contains(t, res.Lines[2], `"time":"2019-01-18T11:07:50Z"`, "devTime beats the syslog header")
	require.Contains(t, res.Lines[2], `"class_name":"Authentication"`)
	require.Contains(t, res.Lines[2], `"outcome":"success"`)
	require.Contains(t, res.Lines[3], `"url":"https://www.example.com/a?b=c|d"`)
	require.Contains(t, res.Lines[3], `"bytes":20992,"packets":24`)
	require.Contains(t, res.Lines[3], `"time":"2024-05-01T10:00:00Z"`, "epoch milliseconds")
	require.Contains(t, res.Lines[4], `"msg":"bad password for user mallory"`, "tabs turned into spaces")
	require.Contains(t, res.Lines[4], `"host":"myhostname"`)
	require.Contains(t, res.Lines[5], `"msg":"first part\tsecond part after a tab"`, "a delimiter inside a value")
	require.Contains(t, res.Lines[5], `"time":"2024-04-02T06:15:30.25Z"`)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "leef", "damaged.leef")
	require.Len(t, res.Dead, 3)
	require.Equal(t, 3, res.Events)
	require.Contains(t, res.Dead[0].Reason, "expected 5 '|'-terminated header fields")
	require.Contains(t, res.Dead[1].Reason, "expected 5 '|'-terminated header fields")
	require.Contains(t, res.Dead[2].Reason, "expected a version")
	require.Contains(t, res.Lines[3], `devTime \"not a date\" does not match devTimeFormat`)
	require.Contains(t, res.Lines[4], "attribute text without a key dropped")
	require.Contains(t, res.Lines[5], `"msg":"ends with backslash \\"`)
}

func TestAttributesColumn(t *testing.T) {
	reg := parse.NewRegistry()
	reg.Register(leef.Format)
	dec, err := parse.NewDecoder(bytes.NewReader([]byte("LEEF:2.0|V|P|1|id|^|src=1.2.3.4^sev=7^cs1=x^cs1Label=Rule\n")), parse.Options{Registry: reg})
	require.NoError(t, err)
	var ev event.Event
	var dl parse.DeadLetter
	kind, err := dec.Next(&ev, &dl)
	require.NoError(t, err)
	require.Equal(t, parse.ResultEvent, kind)
	v, ok := ev.Fields.Lookup("attributes")
	require.True(t, ok)
	require.Equal(t, `{"src":"1.2.3.4","sev":7,"cs1":"x","cs1Label":"Rule"}`, v.Str())
	v, ok = ev.Fields.Lookup("Rule")
	require.True(t, ok)
	require.Equal(t, "x", v.Str())
	require.Equal(t, 4, ev.SeverityID)
	for _, c := range leef.Format.Columns {
		if c.Name == "leef_event_id" {
			v, ok := ev.Fields.Lookup(c.FieldPath())
			require.True(t, ok)
			require.Equal(t, "id", v.Str())
		}
	}
}

func FuzzLEEF(f *testing.F) {
	parsetest.Fuzz(f, "leef", goldenFiles...)
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "deepsecurity.leef"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	p := leef.Format.New()
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
