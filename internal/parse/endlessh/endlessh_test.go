package endlessh_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/endlessh"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var goldenFiles = []string{"crowdsec_endlessh.log", "synthetic.log", "damaged.log"}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "endlessh", file) })
	}
}

type rendered struct {
	Time        string         `json:"time"`
	ClassName   string         `json:"class_name"`
	Activity    string         `json:"activity"`
	SrcIP       string         `json:"src_ip"`
	SrcPort     int            `json:"src_port"`
	Host        string         `json:"host"`
	Bytes       *int64         `json:"bytes"`
	Fields      map[string]any `json:"fields"`
	Disposition string         `json:"disposition"`
}

func events(t *testing.T, res parsetest.Result) []rendered {
	t.Helper()
	var out []rendered
	for _, l := range res.Lines {
		if strings.HasPrefix(l, `{"dead_letter"`) {
			continue
		}
		var r rendered
		require.NoError(t, json.Unmarshal([]byte(l), &r), l)
		out = append(out, r)
	}
	return out
}

func TestCrowdSecSample(t *testing.T) {
	res := parsetest.Golden(t, "endlessh", "crowdsec_endlessh.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	require.Equal(t, "Port", evs[0].Activity)
	require.Equal(t, "22", evs[0].Fields["setting"])
	require.Equal(t, "IPv4 Mapped IPv6", evs[4].Fields["setting"])
	require.Equal(t, "Application Lifecycle", evs[4].ClassName)
	acc := evs[5]
	require.Equal(t, "ACCEPT", acc.Activity)
	require.Equal(t, "Network Activity", acc.ClassName)
	require.Equal(t, "193.142.146.42", acc.SrcIP, "::ffff: unmapped")
	require.Equal(t, 39590, acc.SrcPort)
	require.Equal(t, "::ffff:193.142.146.42", acc.Fields["host"])
	require.Equal(t, float64(1), acc.Fields["n"])
	require.Equal(t, float64(4096), acc.Fields["max_clients"])
	require.Nil(t, acc.Bytes)
	cl := evs[6]
	require.Equal(t, int64(20), *cl.Bytes)
	require.Equal(t, 20.017, cl.Fields["time"])
	tot := evs[11]
	require.Equal(t, "TOTALS", tot.Activity)
	require.Nil(t, tot.Bytes, "totals stay out of the core bytes column")
	require.Equal(t, float64(47321), tot.Fields["total_bytes"])
	glog := evs[14]
	require.Equal(t, "2025-06-13T10:22:21.684962Z", glog.Time, "glog year from the clock (2026-01-01)")
	require.Equal(t, "192.168.121.1", glog.SrcIP)
}

func TestSynthetic(t *testing.T) {
	res := parsetest.Golden(t, "endlessh", "synthetic.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	require.Equal(t, "debug", evs[2].Activity)
	require.Equal(t, "socket() = 3", evs[2].Fields["message"])
	require.Equal(t, "tarpit", evs[8].Host, "syslog host")
	require.Equal(t, "198.51.100.3", evs[8].SrcIP)
	require.Equal(t, "2024-04-01T08:02:00.25Z", evs[8].Time, "endlessh's own timestamp")
	require.Equal(t, "tarpit", evs[9].Host)
	require.Equal(t, int64(55), *evs[9].Bytes)
	require.Equal(t, "2025-04-01T08:03:00.000001Z", evs[10].Time)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "endlessh", "damaged.log")
	require.Equal(t, 4, res.Events)
	require.Len(t, res.Dead, 4)
	for _, d := range res.Dead {
		require.Contains(t, d.Reason, "expected", d.Reason)
	}
	evs := events(t, res)
	require.Equal(t, "x", evs[2].Fields["fd"], "a malformed number is kept as text")
	require.Nil(t, evs[2].Bytes)
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "honeypot_endlessh/crowdsec_hub_endlessh-logs.log")
	require.Empty(t, res.Dead)
	require.Equal(t, 111, res.Events, "MANIFEST: 111 lines, every one an event")
	require.Equal(t, map[string]int{"endlessh": 111}, res.Types)
	activity := map[string]int{}
	for _, e := range events(t, res) {
		activity[e.Activity]++
	}
	require.Equal(t, map[string]int{"ACCEPT": 53, "CLOSE": 52, "TOTALS": 1, "Port": 1, "Delay": 1, "MaxLineLength": 1, "MaxClients": 1, "BindFamily": 1}, activity)
}

func TestDetect(t *testing.T) {
	score := func(line string) int { return endlessh.Format.Detect(&parse.Record{Data: []byte(line)}) }
	require.Equal(t, 90, score("2022-02-13T10:42:17.813Z ACCEPT host=::ffff:193.142.146.42 port=39590 fd=4 n=1/4096"))
	require.Equal(t, 60, score("2022-02-13T10:09:11.521Z Port 22"))
	require.Equal(t, 70, score("Feb 13 10:42:17 host endlessh[1]: 2022-02-13T10:42:17.813Z CLOSE host=1.2.3.4 port=1 fd=4 time=1.0 bytes=1"))
	require.Equal(t, 0, score("2022-02-13T10:09:11.521Z socket() = 3"), "debug lines are accepted but not claimed")
	require.Equal(t, 0, score("Feb 12 14:10:21 sd-126005 sshd[16378]: Invalid user pascal from 35.188.49.176 port 53502"))
}

func TestFieldsLookup(t *testing.T) {
	p := endlessh.Format.New()
	var ev event.Event
	require.NoError(t, p.Parse(&parse.Record{Data: []byte("2022-02-13T10:42:37.830Z CLOSE host=::ffff:193.142.146.42 port=39590 fd=4 time=20.017 bytes=20")}, &ev))
	v, ok := ev.Fields.Lookup("time")
	require.True(t, ok)
	f, _ := v.Float()
	require.Equal(t, 20.017, f)
	require.Equal(t, time.Date(2022, 2, 13, 10, 42, 37, 830e6, time.UTC), ev.Time)
}

func FuzzEndlessh(f *testing.F) {
	parsetest.Fuzz(f, "endlessh", goldenFiles...)
}

func BenchmarkParse(b *testing.B) {
	p := endlessh.Format.New()
	recs := []parse.Record{
		{Data: []byte("2022-02-13T10:42:17.813Z ACCEPT host=::ffff:193.142.146.42 port=39590 fd=4 n=1/4096")},
		{Data: []byte("2022-02-13T10:42:37.830Z CLOSE host=::ffff:193.142.146.42 port=39590 fd=4 time=20.017 bytes=20")},
	}
	var ev event.Event
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ev.Reset()
		if err := p.Parse(&recs[i%2], &ev); err != nil {
			b.Fatal(err)
		}
	}
}
