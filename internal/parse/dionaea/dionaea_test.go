package dionaea_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fastjson"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/dionaea"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var goldenFiles = []string{"dionaea.json", "damaged.json"}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "dionaea", file) })
	}
}

func TestShapes(t *testing.T) {
	res := parsetest.Golden(t, "dionaea", "dionaea.json")
	require.Equal(t, 10, res.Events)
	require.Empty(t, res.Dead)
	l := res.Lines
	require.Contains(t, l[0], `"time":"2024-05-02T03:14:15.926535Z","log_type":"dionaea"`)
	require.Contains(t, l[0], `"class_name":"Network Activity","activity":"smbd.accept"`)
	require.Contains(t, l[1], `"src_port":40110`, "port as a string")
	require.Contains(t, l[2], `"ip_protocol":"tcp"`, "tls runs over tcp")
	require.Contains(t, l[3], `"class_name":"Authentication"`)
	require.Contains(t, l[3], `"actor_user":"root"`)
	require.Contains(t, l[4], `"actor_user":"anonymous"`, "flat_data credentials")
	require.Contains(t, l[5], `"actor_user":"ftp"`)
	require.Contains(t, l[6], `"url":"http://203.0.113.81:5555/x.exe"`)
	require.Contains(t, l[6], `"file_hash":"5d41402abc4b2a76b9719d911017c592"`)
	require.Contains(t, l[7], `"ip_protocol":"udp"`)
	require.Contains(t, l[8], `"event_id":"mysqld1714620000.1234567"`)
	require.Contains(t, l[8], `"time":"2024-05-02T03:20:00.123Z"`, "epoch milliseconds")
	require.Contains(t, l[8], `"dst_ip":"10.0.0.9","dst_port":3306`, "dest_ip of forks")
	require.Contains(t, l[8], `"actor_user":"sa"`)
	require.Contains(t, l[9], `"src_ip":"192.0.2.37"`, "IPv4-mapped addresses are unmapped")
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "dionaea", "damaged.json")
	require.Equal(t, 3, res.Events)
	require.Len(t, res.Dead, 5)
	require.Contains(t, res.Dead[0].Reason, "truncated")
	require.Contains(t, res.Dead[1].Reason, "expected timestamp")
	require.Contains(t, res.Dead[2].Reason, "expected connection.protocol as a string, found number")
	require.Contains(t, res.Dead[3].Reason, "expected a connection object")
	require.Contains(t, res.Dead[4].Reason, "expected timestamp")
	require.Contains(t, res.Lines[5], `"actor_user":"solo"`)
}

func TestCorpus(t *testing.T) {
	for file, n := range map[string]int{
		"dionaea/hary654321_dionaea_log_json_2024-05-17.json":   777,
		"dionaea/hary654321_dionaea_log_json_2024-05-17_b.json": 46,
	} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, map[string]int{"dionaea": n}, res.Types, file)
		for _, l := range res.Lines {
			require.NotContains(t, l, "ingest time used", file)
		}
	}
}

func FuzzDionaea(f *testing.F) {
	parsetest.Fuzz(f, "dionaea", goldenFiles...)
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "dionaea.json"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	p := dionaea.Format.New()
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
