package csvlog_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/csvlog"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
)

var files = []string{"otrf_honeybucket_excerpt.csv", "synthetic.csv", "damaged.csv"}

func TestGolden(t *testing.T) {
	for _, file := range files {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "csv", file) })
	}
}

func TestHoneybucket(t *testing.T) {
	res := parsetest.Golden(t, "csv", "otrf_honeybucket_excerpt.csv")
	require.Equal(t, 10, res.Events)
	require.Equal(t, 1, res.Skipped, "the header")
	l := res.Lines[0]
	for _, want := range []string{
		`"time":"2022-02-18T17:34:57Z"`, `"event_id":"283770f5-968d-448d-9328-0b010f4d3696"`, `"activity":"ListObjects"`,
		`"src_ip":"177.131.167.145"`, `"user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/98.0.4758.102 Safari/537.36"`,
		`"Request Parameters":"{'bucketName': 'microsoft-devtest', 'Host': 'microsoft-devtest.s3-eu-west-1.amazonaws.com'}"`,
	} {
		require.Contains(t, l, want)
	}
	require.NotContains(t, l, `"actor_uid"`, "a structure in User ID is not an id")
}

func TestLookupByBothNames(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "otrf_honeybucket_excerpt.csv"))
	require.NoError(t, err)
	p := csvlog.Format.New()
	var ev event.Event
	lines := splitLines(data)
	require.ErrorIs(t, p.Parse(&parse.Record{Data: lines[0]}, &ev), parse.ErrSkip)
	require.NoError(t, p.Parse(&parse.Record{Data: lines[1]}, &ev))
	for _, name := range []string{"Event Name", "event_name", "event-name", "Event_Name"} {
		v, ok := ev.Fields.Lookup(name)
		require.True(t, ok, name)
		require.Equal(t, "ListObjects", v.Str(), name)
	}
	var names []string
	ev.Fields.Range(func(n string, _ event.Value) bool { names = append(names, n); return true })
	require.Equal(t, "Event Type", names[0], "Range gives the names as written")
}

func TestSynthetic(t *testing.T) {
	res := parsetest.Golden(t, "csv", "synthetic.csv")
	require.Equal(t, 3, res.Events)
	require.Empty(t, res.Dead)
	require.Contains(t, res.Lines[0], `"note, free text":"said \"hi\", then left"`)
	require.Contains(t, res.Lines[0], `"outcome":"success"`)
	require.Contains(t, res.Lines[0], `"http_status":200`)
	require.Contains(t, res.Lines[1], `"src_ip":"198.51.100.7","src_port":40022`)
	require.Contains(t, res.Lines[1], `"outcome":"failure"`)
	require.Contains(t, res.Lines[2], `"time":"2024-03-05T10:00:02Z"`)
	require.Contains(t, res.Lines[2], `"actor_user":"bob"`)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "csv", "damaged.csv")
	require.Equal(t, 3, res.Events)
	require.Len(t, res.Dead, 3)
	require.Contains(t, res.Dead[0].Reason, "csv: expected 3 fields as in the header, got 2")
	require.Contains(t, res.Dead[1].Reason, "quoted field that does not close")
	require.Contains(t, res.Dead[2].Reason, "quoted field that does not close or is followed by text")
}

func TestDetect(t *testing.T) {
	score := func(s string) int { return csvlog.Format.Detect(&parse.Record{Data: []byte(s)}) }
	require.Equal(t, 100, score("Event Type,Event Name,Request ID,User ID"))
	require.Equal(t, 100, score("\uFEFFtimestamp,src_ip,,user"), "an unnamed column and a BOM are allowed")
	require.Zero(t, score(`AwsApiCall,ListObjects,"a, b",1.2.3.4`), "rows are recognised through their header only")
	require.Zero(t, csvlog.Format.Detect(&parse.Record{Data: []byte("Event Type,Event Name,Request ID"), Line: 7}), "a header-shaped line later in an input is not a header")
	require.Zero(t, score("Jan  1 00:00:00 host sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2"))
	require.Zero(t, score("a,b"))
	require.Zero(t, score(`a,"b`))
	require.LessOrEqual(t, score("Mar  5 10:00:00 host app[7]: took 3, 4, 5 ms"), 10)
	require.Zero(t, score("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"))
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "cloudtrail/otrf_aws_s3_honeybucket_logs_2022-02.csv")
	require.Empty(t, res.Dead)
	require.Equal(t, map[string]int{"csv": 301}, res.Types)
	require.Equal(t, 1, res.Skipped)
	for _, l := range res.Lines {
		require.NotContains(t, l, "warnings", "every row has its own time")
	}
}

func FuzzCSV(f *testing.F) {
	parsetest.Fuzz(f, "csv", files...)
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		l := b[:i]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		out = append(out, l)
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return out
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "otrf_honeybucket_excerpt.csv"))
	require.NoError(b, err)
	lines := splitLines(data)
	p := csvlog.Format.New()
	var ev event.Event
	require.ErrorIs(b, p.Parse(&parse.Record{Data: lines[0]}, &ev), parse.ErrSkip)
	rec := &parse.Record{Data: lines[1]}
	b.ReportAllocs()
	b.SetBytes(int64(len(lines[1])))
	for b.Loop() {
		ev.Reset()
		if err := p.Parse(rec, &ev); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHeaderSurvivesBufferReuse decodes far more than the decoder's buffer after the header row.
func TestHeaderSurvivesBufferReuse(t *testing.T) {
	parsetest.LargeInputKeepsFields(t, "Event Name,Source IP,Event DateTime,User Agent",
		"GetObject,198.51.100.7,2022-02-13 18:25:26,aws-cli/2.15.0", 20000, "source_ip", "198.51.100.7")
}
