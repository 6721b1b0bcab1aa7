package syslog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
	"github.com/yagura-dev/yagura/internal/parse"
	"github.com/yagura-dev/yagura/internal/parse/parsetest"
	"github.com/yagura-dev/yagura/internal/parse/syslog"
)

var goldenFiles = []string{
	"crowdsec_sshd.log", "opnsense_rfc5424.log", "crowdsec_cowrie.log",
	"synthetic_sshd.log", "synthetic_rfc5424.log", "synthetic_cowrie.log", "damaged.log",
}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(file, func(t *testing.T) { parsetest.Golden(t, "syslog", file) })
	}
}

// rendered is the part of an event's rendering the tests look at.
type rendered struct {
	Time      string         `json:"time"`
	LogType   string         `json:"log_type"`
	ClassName string         `json:"class_name"`
	Activity  string         `json:"activity"`
	Outcome   string         `json:"outcome"`
	SrcIP     string         `json:"src_ip"`
	SrcPort   int            `json:"src_port"`
	DstIP     string         `json:"dst_ip"`
	DstPort   int            `json:"dst_port"`
	Host      string         `json:"host"`
	ActorUser string         `json:"actor_user"`
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

func TestSyntheticSSHD(t *testing.T) {
	res := parsetest.Golden(t, "syslog", "synthetic_sshd.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	byActivity := map[string]rendered{}
	for _, e := range evs {
		if _, dup := byActivity[e.Activity]; !dup {
			byActivity[e.Activity] = e
		}
	}
	conn := byActivity["connection"]
	require.Equal(t, "198.51.100.7", conn.SrcIP)
	require.Equal(t, 50022, conn.SrcPort)
	require.Equal(t, "10.0.0.5", conn.DstIP)
	require.Equal(t, 22, conn.DstPort)

	fp := byActivity["failed_publickey"]
	require.Equal(t, "deploy", fp.ActorUser)
	require.Equal(t, "ED25519", fp.Fields["ssh_key_type"])
	require.Equal(t, "SHA256:pyJ6HnL0sMbfSI9yoaPs2NDqvBhzGKSgWVh+0ZsNmtc", fp.Fields["ssh_key_fingerprint"])
	require.Equal(t, "failure", fp.Outcome)
	require.Equal(t, false, fp.Fields["invalid_user"])

	acc := byActivity["accepted_keyboard_interactive"]
	require.Equal(t, "success", acc.Outcome)
	require.Equal(t, "keyboard-interactive/pam", acc.Fields["auth_method"])
	require.Equal(t, "Authentication", acc.ClassName)

	rep := byActivity["failed_password"]
	require.NotNil(t, rep)

	var repeated rendered
	for _, e := range evs {
		if e.Fields["repeat_count"] != nil && e.Activity == "failed_password" {
			repeated = e
		}
	}
	require.Equal(t, float64(4), repeated.Fields["repeat_count"])
	require.Equal(t, "203.0.113.9", repeated.SrcIP)

	require.Equal(t, "deploy", byActivity["session_opened"].ActorUser)
	require.Equal(t, "192.0.2.44", byActivity["reverse_mapping_failed"].SrcIP)
	require.Equal(t, "GET / HTTP/1.1", byActivity["bad_protocol_version"].Fields["client_version"])
	require.Equal(t, "192.0.2.49", byActivity["maxstartups_drop"].SrcIP)
	require.Equal(t, "192.0.2.50", byActivity["preauth_timeout"].SrcIP)
	require.Equal(t, "10.0.0.5", byActivity["preauth_timeout"].DstIP)
	require.Equal(t, "scanner.example.org", byActivity["pam_auth_failure"].Fields["remote_host"])
	require.Equal(t, "2001:db8::48", byActivity["connection_reset_preauth"].SrcIP)
	require.Equal(t, "disconnected by user", byActivity["received_disconnect"].Fields["reason"])
	require.Equal(t, "192.0.2.48", evs[20].SrcIP, "old Received disconnect shape")
	require.Equal(t, "Bye Bye", evs[20].Fields["reason"])
	require.Equal(t, "maxstartups_throttling", evs[22].Activity)
	require.Equal(t, " 0101", byActivity["invalid_user"].ActorUser, "user names are kept as logged, leading space included")
	require.Equal(t, "2024-03-03T07:05:00.123456Z", byActivity["invalid_user"].Time, "the offset is applied")

	unknown := evs[30]
	require.Equal(t, "Some message this parser does not know", unknown.Fields["message"])
	require.Equal(t, "Base Event", unknown.ClassName)
	require.Empty(t, unknown.Activity)

	// Years: the test clock is 2026-01-01, so March is 2025, Feb 29 the latest leap year before the
	// clock, "Dec 31 23:59:59" last year, and a year in the line is kept.
	require.Equal(t, "2025-03-03T08:00:01Z", evs[0].Time)
	require.Equal(t, "2024-02-29T12:00:00Z", evs[31].Time)
	require.Equal(t, "2025-12-31T23:59:59Z", evs[32].Time)
	require.Equal(t, "2024-01-01T00:00:01Z", evs[33].Time)

	// A line without a host keeps the tag.
	last := evs[len(evs)-1]
	require.Equal(t, "", last.Host)
	require.Equal(t, "sshd", last.Fields["app_name"])
	require.Equal(t, "failed_password", last.Activity)
}

func TestYearFromClock(t *testing.T) {
	cases := []struct {
		now, line, want string
	}{
		{"2026-01-01T00:10:00Z", "Dec 31 23:59:59", "2025-12-31T23:59:59Z"},
		{"2026-01-15T00:00:00Z", "Dec 24 10:00:00", "2025-12-24T10:00:00Z"},
		{"2025-12-31T23:00:00Z", "Jan  1 00:30:00", "2026-01-01T00:30:00Z"}, // a clock a little behind
		{"2025-06-01T00:00:00Z", "Jun  1 20:00:00", "2025-06-01T20:00:00Z"}, // within a day ahead
		{"2025-06-01T00:00:00Z", "Jun  2 12:00:00", "2024-06-02T12:00:00Z"}, // more than a day ahead
		{"2025-03-01T00:00:00Z", "Feb 29 12:00:00", "2024-02-29T12:00:00Z"},
	}
	for _, c := range cases {
		now, err := time.Parse(time.RFC3339, c.now)
		require.NoError(t, err)
		dec, err := parse.NewDecoder(strings.NewReader(c.line+" h sshd[1]: x\n"), parse.Options{Type: "syslog", Now: func() time.Time { return now }})
		require.NoError(t, err)
		var ev event.Event
		var dl parse.DeadLetter
		r, err := dec.Next(&ev, &dl)
		require.NoError(t, err)
		require.Equal(t, parse.ResultEvent, r, dl.Reason)
		require.Equal(t, c.want, ev.Time.Format(time.RFC3339), "%s read at %s", c.line, c.now)
	}
}

func TestRFC5424(t *testing.T) {
	res := parsetest.Golden(t, "syslog", "synthetic_rfc5424.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	require.Equal(t, "'su root' failed for lonvick on /dev/pts/8", evs[0].Fields["message"], "BOM dropped")
	require.Equal(t, float64(4), evs[0].Fields["facility"])
	require.Equal(t, float64(2), evs[0].Fields["syslog_severity"])
	require.Equal(t, "2003-08-24T12:14:15.000003Z", evs[1].Time)
	sd := evs[4].Fields["structured_data"].(map[string]any)
	require.Equal(t, `a "quoted" \ back]slash \x`, sd["meta"].(map[string]any)["note"])
	require.Equal(t, "failed_password", evs[4].Activity)
	require.Equal(t, "198.51.100.20", evs[4].SrcIP)
	require.Equal(t, "web-1", evs[4].Host)
	require.Contains(t, evs[5].Warnings, "record has no time of its own; ingest time used")
}

func TestStructuredDataLookup(t *testing.T) {
	line := `<165>1 2003-10-11T22:14:15.003Z host evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"][x.y a.b="c"] msg`
	p := syslog.Format.New()
	var ev event.Event
	require.NoError(t, p.Parse(&parse.Record{Data: []byte(line)}, &ev))
	v, ok := ev.Fields.Lookup("structured_data.exampleSDID@32473.eventSource")
	require.True(t, ok)
	require.Equal(t, "Application", v.Str())
	v, ok = ev.Fields.Lookup("structured_data.x.y.a.b")
	require.True(t, ok, "SD-IDs and names containing dots resolve")
	require.Equal(t, "c", v.Str())
	_, ok = ev.Fields.Lookup("structured_data.nope.x")
	require.False(t, ok)
	v, ok = ev.Fields.Lookup("msgid")
	require.True(t, ok)
	require.Equal(t, "ID47", v.Str())
}

func TestCowrie(t *testing.T) {
	res := parsetest.Golden(t, "syslog", "synthetic_cowrie.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	require.Equal(t, "cowrie.client.version", evs[0].Activity)
	require.Equal(t, "cowrie.login.failed", evs[1].Activity)
	require.Equal(t, "root", evs[1].ActorUser)
	require.Equal(t, "123456", evs[1].Fields["password"])
	require.Equal(t, "failure", evs[1].Outcome)
	require.Equal(t, "4.2.3.1", evs[1].SrcIP)
	require.Equal(t, "admin/1", evs[2].Fields["password"])
	require.Equal(t, "success", evs[2].Outcome)
	require.Equal(t, "uname -a; cat /proc/cpuinfo", evs[3].Fields["command"])
	require.Equal(t, "Network Activity", evs[4].ClassName, "telnet connection")
	require.Equal(t, "admin", evs[5].ActorUser)
	require.Equal(t, "2020-12-08T06:28:46Z", evs[1].Time, "Cowrie's own timestamp, with its year")
}

func TestDamaged(t *testing.T) {
	res := parsetest.Golden(t, "syslog", "damaged.log")
	reasons := make([]string, len(res.Dead))
	for i, d := range res.Dead {
		reasons[i] = d.Reason
		require.NotContains(t, d.Reason, "failed to")
	}
	require.Equal(t, 5, res.Events, "%q", reasons)
	require.Len(t, res.Dead, 8, "%q", reasons)
	require.Contains(t, reasons[0], "<PRI> between 0 and 191")
	require.Contains(t, reasons[1], `PARAM-NAME="value"`)
	require.Contains(t, reasons[2], `PARAM-NAME="value"`)
	require.Contains(t, reasons[3], "RFC 3339")
	require.Contains(t, reasons[4], "RFC 5424 header")
	for _, r := range reasons[5:] {
		require.Contains(t, r, `expected "Mmm dd hh:mm:ss host tag: message"`)
	}
}

// corpusFiles are the corpus files of this type with the record counts the MANIFEST gives.
var corpusFiles = map[string]int{
	"sshd/crowdsec_hub_opnsense-sshd.log":           10,
	"sshd/crowdsec_hub_ssh-bf.log":                  6,
	"sshd/crowdsec_hub_ssh-slow-bf.log":             22,
	"sshd/crowdsec_hub_ssh-time-based-bf.log":       15,
	"sshd/crowdsec_hub_ssh-timeout.log":             8,
	"sshd/crowdsec_hub_sshd-bad-keyexchange-bf.log": 19,
	"sshd/crowdsec_hub_sshd-impossible-travel.log":  2,
	"sshd/crowdsec_hub_sshd-invalid-bf.log":         6,
	"sshd/crowdsec_hub_sshd-logs-fp.log":            6,
	"sshd/crowdsec_hub_sshd-logs.log":               24,
	"sshd/crowdsec_hub_sshd-refused-conn.log":       1,
	"sshd/crowdsec_hub_sshd-success-logs.log":       4,
	"sshd/crowdsec_hub_sshd_banner_exchange.log":    12,
	"sshd/loghub_OpenSSH_2k.log":                    2000,
	"syslog/loghub_Linux_2k.log":                    2000,
	"cowrie/crowdsec_hub_cowrie-logs.log":           2,
	"cowrie/crowdsec_hub_cowrie_telnet-bf.log":      6,
}

func TestCorpus(t *testing.T) {
	names := make([]string, 0, len(corpusFiles))
	for n := range corpusFiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			res := parsetest.DecodeCorpus(t, name)
			require.Empty(t, res.Dead, name)
			require.Equal(t, corpusFiles[name], res.Events, name)
			require.Equal(t, map[string]int{"syslog": res.Events}, res.Types)
			evs := events(t, res)
			if strings.HasPrefix(name, "sshd/") || strings.HasPrefix(name, "cowrie/") {
				for i, e := range evs {
					if e.Activity == "" {
						t.Errorf("%s line %d not recognised: %v", name, i+1, e.Fields["message"])
					}
				}
			}
		})
	}
}

func TestLoghubOpenSSH(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "sshd/loghub_OpenSSH_2k.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	activity := map[string]int{}
	ips := map[string]int{}
	for _, e := range evs {
		activity[e.Activity]++
		if e.SrcIP != "" {
			ips[e.SrcIP]++
		}
		require.Equal(t, "LabSZ", e.Host)
		require.True(t, strings.HasPrefix(e.Time, "2025-12-10") || strings.HasPrefix(e.Time, "2025-12-11"), e.Time)
	}
	t.Logf("activities: %v", activity)
	require.Zero(t, activity[""], "every sshd line is recognised")
	// MANIFEST: 520 "Failed password" lines (two of them inside "message repeated"), 113 "Invalid user".
	require.Equal(t, 520, activity["failed_password"])
	require.Equal(t, 113, activity["invalid_user"])
	top, n := "", 0
	for ip, c := range ips {
		if c > n {
			top, n = ip, c
		}
	}
	t.Logf("top source %s with %d events", top, n)
	require.Equal(t, "183.62.140.253", top)
}

func TestLoghubLinux(t *testing.T) {
	res := parsetest.DecodeCorpus(t, "syslog/loghub_Linux_2k.log")
	require.Empty(t, res.Dead)
	evs := events(t, res)
	activity := map[string]int{}
	for _, e := range evs {
		activity[e.Activity]++
	}
	t.Logf("activities: %v", activity)
	// MANIFEST: 490 "authentication failure" lines (sshd, su, gdm … via pam_unix).
	require.Equal(t, 490, activity["pam_auth_failure"])
	require.NotZero(t, activity["session_opened"])
}

func TestDetect(t *testing.T) {
	score := func(line string) int { return syslog.Format.Detect(&parse.Record{Data: []byte(line)}) }
	require.Equal(t, 40, score("Feb 12 14:10:21 sd-126005 sshd[16378]: Invalid user pascal from 35.188.49.176 port 53502"))
	require.Equal(t, 40, score("2022-02-13T10:09:11.521Z host tag[1]: msg"))
	require.Equal(t, 60, score(`<38>1 2022-01-19T14:23:55+00:00 host sshd 44255 - [meta sequenceId="1"] Invalid user tutu from 1.2.3.4 port 33166`))
	require.Equal(t, 10, score("2022-02-13T10:42:17.813Z ACCEPT host=::ffff:193.142.146.42 port=39590 fd=4 n=1/4096"), "endlessh")
	require.Equal(t, 0, score("2022/05/06 04:53:57 [190.2.139.67:58629] connection closed"), "sshesame")
	require.Equal(t, 0, score(`{"a":1}`))
	require.Less(t, score("Mar  3 08:07:01 bastion syslogd 1.4.1: restart."), 40)
}

func TestWrongTypeForcedKeepsGoing(t *testing.T) {
	res := parsetest.Decode(t, []byte("not syslog\nFeb 12 14:10:21 h sshd[1]: Invalid user a from 1.2.3.4 port 5\n"), "syslog")
	require.Equal(t, 1, res.Events)
	require.Len(t, res.Dead, 1)
	require.Contains(t, res.Dead[0].Reason, "expected")
}

func FuzzSyslog(f *testing.F) {
	parsetest.Fuzz(f, "syslog", goldenFiles...)
}

// benchLines are typical sshd lines of an exposed server.
var benchLines = []string{
	"Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
	"Dec 10 07:02:47 LabSZ sshd[24203]: Received disconnect from 112.95.230.3: 11: Bye Bye [preauth]",
	"Dec 10 07:07:38 LabSZ sshd[24206]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=52.80.34.196  user=root",
	"Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
	"Feb 19 10:38:14 myhost sshd[3355]: Connection closed by authenticating user root 92.255.85.135 port 26138 [preauth]",
	"Sep  6 09:57:21 bullseye sshd[581]: Accepted publickey for vagrant from 1.2.3.4 port 56296 ssh2: RSA SHA256:1M4RzhMyWuFS/86uPY/ce2prh/dVTHW7iD2RhpquOZA",
	"Dec 10 07:08:28 LabSZ sshd[24208]: Failed password for root from 183.62.140.253 port 53588 ssh2",
	"Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown",
}

// BenchmarkParse measures the parser alone on sshd lines, reusing the event as the decoder does.
func BenchmarkParse(b *testing.B) {
	p := syslog.Format.New()
	if c, ok := p.(parse.ClockUser); ok {
		c.SetClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	}
	recs := make([]parse.Record, len(benchLines))
	size := 0
	for i, l := range benchLines {
		recs[i] = parse.Record{Data: []byte(l)}
		size += len(l)
	}
	var ev event.Event
	b.SetBytes(int64(size / len(recs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ev.Reset()
		if err := p.Parse(&recs[i%len(recs)], &ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode measures the whole decoder (framing, parsing, event ids) on sshd lines.
func BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	for buf.Len() < 4<<20 {
		for _, l := range benchLines {
			buf.WriteString(l)
			buf.WriteByte('\n')
		}
	}
	data := buf.Bytes()
	lines := bytes.Count(data, []byte{'\n'})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		dec, err := parse.NewDecoder(bytes.NewReader(data), parse.Options{Type: "syslog"})
		if err != nil {
			b.Fatal(err)
		}
		var ev event.Event
		var dl parse.DeadLetter
		n := 0
		for {
			r, err := dec.Next(&ev, &dl)
			if errors.Is(err, io.EOF) {
				break
			}
			if r != parse.ResultEvent {
				b.Fatal(dl.Reason)
			}
			n++
		}
		if n != lines {
			b.Fatalf("%d events from %d lines", n, lines)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
