package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// genBytes runs the generator in memory.
func genBytes(t *testing.T, typ, format string, events int64, seed uint64) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var em emitter
	header := ""
	switch typ {
	case "cloudtrail":
		em = newCloudTrail(r)
	case "vpcflow":
		em, header = newVPCFlow(r), vpcHeader
	case "cowrie":
		em = newCowrie(r)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if _, _, err := generate(w, em, header, format == "records", 0, events, r); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	for _, typ := range []string{"cloudtrail", "vpcflow", "cowrie"} {
		a := genBytes(t, typ, "jsonl", 2000, 7)
		b := genBytes(t, typ, "jsonl", 2000, 7)
		c := genBytes(t, typ, "jsonl", 2000, 8)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same seed, different output", typ)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: different seeds, same output", typ)
		}
	}
}

func TestCloudTrailValid(t *testing.T) {
	out := genBytes(t, "cloudtrail", "jsonl", 20000, 42)
	names := map[string]int{}
	errs := 0
	lastTime := ""
	for i, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		var ev struct {
			EventTime    string         `json:"eventTime"`
			EventName    string         `json:"eventName"`
			EventSource  string         `json:"eventSource"`
			ErrorCode    string         `json:"errorCode"`
			EventID      string         `json:"eventID"`
			UserIdentity map[string]any `json:"userIdentity"`
		}
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatalf("line %d: %v\n%s", i+1, err, line)
		}
		if ev.EventTime < lastTime {
			t.Fatalf("line %d: eventTime goes back: %s < %s", i+1, ev.EventTime, lastTime)
		}
		lastTime = ev.EventTime
		if len(ev.EventID) != 36 || ev.EventID[14] != '4' {
			t.Fatalf("line %d: eventID %q is not a v4 UUID", i+1, ev.EventID)
		}
		if ev.UserIdentity["type"] == nil {
			t.Fatalf("line %d: no userIdentity.type", i+1)
		}
		names[ev.EventName]++
		if ev.ErrorCode != "" {
			errs++
		}
	}
	rate := float64(errs) / 20000
	if rate < 0.02 || rate > 0.08 {
		t.Errorf("error rate %.3f outside 2–8 %%", rate)
	}
	read := 0
	for n, c := range names {
		if strings.HasPrefix(n, "Describe") || strings.HasPrefix(n, "List") || strings.HasPrefix(n, "Get") || n == "HeadObject" {
			read += c
		}
	}
	if read < 20000/2 {
		t.Errorf("Describe/List/Get are %d of 20000 events, want most", read)
	}
}

func TestCloudTrailRecords(t *testing.T) {
	out := genBytes(t, "cloudtrail", "records", 3000, 1)
	total := 0
	for _, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		var doc struct {
			Records []json.RawMessage
		}
		if err := json.Unmarshal(line, &doc); err != nil {
			t.Fatal(err)
		}
		total += len(doc.Records)
	}
	if total != 3000 {
		t.Errorf("%d records, want 3000", total)
	}
}

func TestVPCFlow(t *testing.T) {
	out := genBytes(t, "vpcflow", "jsonl", 20000, 42)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if lines[0] != vpcHeader {
		t.Fatalf("header %q", lines[0])
	}
	rejects, nodata := 0, 0
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 14 {
			t.Fatalf("%d fields: %q", len(f), l)
		}
		switch f[12] {
		case "REJECT":
			rejects++
		case "-":
			nodata++
		}
	}
	if rejects < 1000 || nodata == 0 {
		t.Errorf("rejects %d, nodata %d", rejects, nodata)
	}
}

func TestCowrieValid(t *testing.T) {
	out := genBytes(t, "cowrie", "jsonl", 20000, 42)
	ids := map[string]int{}
	last := ""
	for i, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		var ev map[string]any
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatalf("line %d: %v\n%s", i+1, err, line)
		}
		ts := ev["timestamp"].(string)
		if ts < last {
			t.Fatalf("line %d: timestamp goes back", i+1)
		}
		last = ts
		ids[ev["eventid"].(string)]++
	}
	for _, want := range []string{"cowrie.session.connect", "cowrie.client.kex", "cowrie.login.failed", "cowrie.login.success",
		"cowrie.command.input", "cowrie.session.file_download", "cowrie.session.closed"} {
		if ids[want] == 0 {
			t.Errorf("no %s events", want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "50MB": 50e6, "512MiB": 512 << 20, "2GiB": 2 << 30, "1G": 1 << 30, "10KB": 10000} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
