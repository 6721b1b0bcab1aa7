package vpcflow_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/parse/vpcflow"
)

var samples = []string{
	"awsdocs_flowlogs_v2_default.log",
	"awsdocs_flowlogs_v3_custom_tcpflags.log",
	"awsdocs_flowlogs_v3_custom_transitgw.log",
	"awsdocs_flowlogs_v5_custom_all_fields.log",
	"awsdocs_flowlogs_custom_natgw.log",
	"concatenated.log",
	"cloudwatch_subscription.json",
	"damaged.log",
}

func TestGolden(t *testing.T) {
	for _, file := range samples {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "vpcflow", file) })
	}
}

func TestHeadersSetTheFieldOrder(t *testing.T) {
	res := parsetest.Golden(t, "vpcflow", "concatenated.log")
	require.Empty(t, res.Dead)
	require.Equal(t, 4+2+2, res.Events)
	require.Equal(t, 3, res.Skipped, "every header line, also mid-input, is skipped")
}

func TestCloudWatchSubscription(t *testing.T) {
	res := parsetest.Golden(t, "vpcflow", "cloudwatch_subscription.json")
	require.Empty(t, res.Dead)
	require.Equal(t, 3, res.Events)
	require.Equal(t, 1, res.Skipped, "the control message")
}

func TestDamagedInputKeepsGoodRecords(t *testing.T) {
	res := parsetest.Golden(t, "vpcflow", "damaged.log")
	require.Equal(t, 3, res.Events)
	reasons := []string{}
	for _, d := range res.Dead {
		reasons = append(reasons, d.Reason)
	}
	require.Len(t, reasons, 5, reasons)
	require.Contains(t, reasons[0], "expected 14 fields of the default v2 format, got 11")
	require.Contains(t, reasons[1], "got 15")
	require.Contains(t, reasons[2], `srcport should be a number, found "ssh"`)
	require.Contains(t, reasons[3], "a custom format needs its header line")
	require.Contains(t, reasons[4], "got 9", "the input is a flow log, so its type reports the garbage line")
}

func TestFields(t *testing.T) {
	p := vpcflow.Format.New()
	var ev event.Event
	line := "5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK"
	header := "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status"
	require.ErrorIs(t, p.Parse(&parse.Record{Data: []byte(header)}, &ev), parse.ErrSkip)
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	v, ok := ev.Fields.Lookup("pkt_src_aws_service")
	require.True(t, ok)
	require.Equal(t, "S3", v.Str())
	v, ok = ev.Fields.Lookup("tcp-flags")
	require.True(t, ok)
	require.Equal(t, event.KindNumber, v.Kind())
	_, ok = ev.Fields.Lookup("traffic_path")
	require.False(t, ok, "'-' is absent")
	require.Equal(t, "i-0c50d5961bcb2d47b", ev.Host)
	require.Equal(t, "ap-southeast-2", ev.CloudRegion)
	require.Equal(t, "tcp", ev.IPProtocol)
	require.Equal(t, int64(15044), ev.Bytes)
	require.Equal(t, int64(14), ev.Packets)
	require.Equal(t, int64(1616729292), ev.Time.Unix())
	for _, c := range vpcflow.Format.Columns {
		_, ok := ev.Fields.Lookup(c.FieldPath())
		if c.Name == "ecs_task_id" {
			require.False(t, ok)
		}
	}
}

func TestDetectLeavesOtherLogsAlone(t *testing.T) {
	for _, line := range []string{
		`Jan  1 00:00:00 host sshd[1]: Accepted password for root from 192.0.2.1 port 22 ssh2`,
		`192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
		`2 3 4 5 6 7 8 9 10 11 12 13 14 15`,
		`1 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK`,
		`version`,
		`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366`,
	} {
		require.Less(t, vpcflow.Format.Detect(&parse.Record{Data: []byte(line)}), 50, line)
	}
}

func TestCorpus(t *testing.T) {
	for file, n := range map[string]int{
		"vpcflow/awsdocs_flowlogs_custom_natgw.log":                 6,
		"vpcflow/awsdocs_flowlogs_v2_default.log":                   7,
		"vpcflow/awsdocs_flowlogs_v3_custom_tcpflags.log":           8,
		"vpcflow/awsdocs_flowlogs_v3_custom_transitgw.log":          4,
		"vpcflow/awsdocs_flowlogs_v5_custom_all_fields.log":         2,
		"scenarios/panther_compromised_root_creds/attacker_vpc.log": 6,
	} {
		res := parsetest.DecodeCorpus(t, file)
		require.Empty(t, res.Dead, file)
		require.Equal(t, map[string]int{"vpcflow": n}, res.Types, file)
	}
}

const benchLine = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"

func TestParseDoesNotAllocate(t *testing.T) {
	p := vpcflow.Format.New()
	rec := &parse.Record{Data: []byte(benchLine)}
	var ev event.Event
	allocs := testing.AllocsPerRun(1000, func() {
		ev.Reset()
		if err := p.Parse(rec, &ev); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}

func BenchmarkParse(b *testing.B) {
	p := vpcflow.Format.New()
	rec := &parse.Record{Data: []byte(benchLine)}
	var ev event.Event
	b.SetBytes(int64(len(benchLine)))
	b.ReportAllocs()
	for b.Loop() {
		ev.Reset()
		if err := p.Parse(rec, &ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode measures the whole path a flow log file takes: framing, parsing, event ids.
func BenchmarkDecode(b *testing.B) {
	var in bytes.Buffer
	for range 10000 {
		in.WriteString(benchLine)
		in.WriteByte('\n')
	}
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		dec, err := parse.NewDecoder(bytes.NewReader(data), parse.Options{Type: "vpcflow"})
		if err != nil {
			b.Fatal(err)
		}
		var ev event.Event
		var dl parse.DeadLetter
		n := 0
		for {
			r, err := dec.Next(&ev, &dl)
			if err != nil {
				break
			}
			if r == parse.ResultEvent {
				n++
			}
		}
		if n != 10000 {
			b.Fatalf("%d events", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*10000), "ns/record")
}

func FuzzVPCFlow(f *testing.F) {
	parsetest.Fuzz(f, "vpcflow", samples...)
}

func TestEventIDMatchesDecoder(t *testing.T) {
	p := vpcflow.Format.New()
	var ev event.Event
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(benchLine)}, &ev))
	require.Equal(t, parse.HashID("vpcflow", []byte(benchLine)), ev.EventID)
}

func TestEmptyRecords(t *testing.T) {
	for _, data := range []string{"", " ", "\t"} {
		require.Zero(t, vpcflow.Format.Detect(&parse.Record{Data: []byte(data)}))
		var ev event.Event
		require.Error(t, vpcflow.Format.New().Parse(&parse.Record{Data: []byte(data)}, &ev))
	}
	res := parsetest.Decode(t, []byte(`{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"1","timestamp":1,"message":""}]}`), "")
	require.Zero(t, res.Events)
}

// TestHeaderSurvivesBufferReuse decodes far more than the decoder's buffer after a header line: the
// field names the header defined must stay intact.
func TestHeaderSurvivesBufferReuse(t *testing.T) {
	parsetest.LargeInputKeepsFields(t,
		"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
		"2 123456789012 eni-0123456789abcdef0 198.51.100.7 10.0.0.5 40000 22 6 3 180 1740787181 1740787209 REJECT OK",
		20000, "dstport", "22")
}
