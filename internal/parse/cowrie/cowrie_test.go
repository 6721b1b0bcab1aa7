package cowrie_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/cowrie"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var goldenFiles = []string{"cowrie.json", "damaged.json"}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "cowrie", file) })
	}
}

func TestSession(t *testing.T) {
	res := parsetest.Golden(t, "cowrie", "cowrie.json")
	require.Equal(t, 20, res.Events)
	require.Empty(t, res.Dead)
	l := res.Lines
	require.Contains(t, l[0], `"event_id":"a1b2c3d4e5f6:2024-05-01T10:00:00.100000Z:cowrie.session.connect"`)
	require.Contains(t, l[0], `"class_name":"Network Activity"`)
	require.Contains(t, l[0], `"dst_port":2222`)
	require.Contains(t, l[3], `"class_name":"Authentication","activity":"cowrie.login.failed","outcome":"failure"`)
	require.Contains(t, l[4], `"outcome":"success"`)
	require.Contains(t, l[4], `"actor_user":"root"`)
	require.Contains(t, l[8], `"class_name":"Process Activity"`)
	require.Contains(t, l[9], `"outcome":"failure"`)
	require.Contains(t, l[11], `"class_name":"File System Activity"`)
	require.Contains(t, l[11], `"url":"http://198.51.100.66/bins/x86"`)
	require.Contains(t, l[11], `"file_hash":"0d1f62e7a1b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"`)
	require.Contains(t, l[12], `"outcome":"failure"`)
	require.Contains(t, l[14], `"dst_ip":"142.250.74.78","dst_port":443`, "direct-tcpip keeps Cowrie's forwarding target")
	require.Contains(t, l[18], `"event_id":"2f1e0c3a-6a8e-4a55-9c1c-9a1f0c2b7d11"`)
	require.Contains(t, l[18], `"src_ip":"2001:db8::77","src_port":61000`, "a port written as a string")
	require.Contains(t, l[18], `"host":"sensor-fra1"`)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "cowrie", "damaged.json")
	require.Equal(t, 3, res.Events)
	require.Len(t, res.Dead, 8)
	require.Contains(t, res.Dead[0].Reason, "truncated")
	require.Contains(t, res.Dead[1].Reason, "expected timestamp as an ISO 8601 time string, found 12345")
	require.NotContains(t, res.Lines[3], `"src_ip":"`, "wrong types are left out, not guessed")
	require.NotContains(t, res.Lines[3], `"actor_user":`)
	require.Contains(t, res.Lines[3], `"class_name":"Authentication"`)
	require.Contains(t, res.Dead[2].Reason, `expected an eventid starting with "cowrie."`)
}

func TestKareivaCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "cowrie/kareiva_cowrie_2018-05_07.json.gz")
	require.Empty(t, res.Dead)
	require.NoError(t, res.Err)
	require.Equal(t, map[string]int{"cowrie": 102686}, res.Types)
	counts := map[string]int{}
	for _, l := range res.Lines {
		v := fastjson.MustParse(l)
		counts[string(v.GetStringBytes("activity"))]++
	}
	require.Equal(t, map[string]int{
		"cowrie.session.connect": 22237, "cowrie.session.closed": 22237, "cowrie.client.version": 20747,
		"cowrie.login.failed": 15088, "cowrie.direct-tcpip.request": 10747, "cowrie.direct-tcpip.data": 7770,
		"cowrie.login.success": 2210, "cowrie.command.input": 530, "cowrie.log.open": 515, "cowrie.log.closed": 493,
		"cowrie.command.failed": 42, "cowrie.client.size": 37, "cowrie.session.file_download": 21,
		"cowrie.client.var": 9, "cowrie.session.file_download.failed": 3,
	}, counts)
}

func TestCrowdsecSyslogLinesAreNotCowrieJSON(t *testing.T) {
	// Cowrie's text log relayed by syslog belongs to the syslog type; it must not be claimed here.
	res := parsetest.DecodeCorpus(t, "cowrie/crowdsec_hub_cowrie-logs.log")
	require.Zero(t, res.Types["cowrie"])
}

func FuzzCowrie(f *testing.F) {
	parsetest.Fuzz(f, "cowrie", goldenFiles...)
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "cowrie.json"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	p := cowrie.Format.New()
	var jp fastjson.Parser
	var ev event.Event
	b.ReportAllocs()
	b.SetBytes(int64(len(data) / len(lines)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		line := lines[i%len(lines)]
		v, err := jp.ParseBytes(line)
		if err != nil {
			b.Fatal(err)
		}
		ev.Reset()
		if err := p.Parse(&parse.Record{Data: line, JSON: v}, &ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeCorpus measures the whole path (gunzip, framing, detection, parsing) on the real
// sensor log.
func BenchmarkDecodeCorpus(b *testing.B) {
	path := parsetest.CorpusFile(b, "cowrie/kareiva_cowrie_2018-05_07.json.gz")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dec, err := parse.NewDecoder(bytes.NewReader(data), parse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var ev event.Event
		var dl parse.DeadLetter
		n := 0
		for {
			if _, err := dec.Next(&ev, &dl); err != nil {
				break
			}
			n++
		}
		b.ReportMetric(float64(n), "events/op")
	}
}
