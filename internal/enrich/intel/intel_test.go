package intel

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
)

var now = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func at() int64 { return now.Unix() }

func load(t *testing.T, b *Builder, set, path string, opts FileOptions) FileReport {
	t.Helper()
	rep, err := b.LoadFile(set, path, opts)
	require.NoError(t, err)
	return rep
}

func TestSTIXBundle(t *testing.T) {
	b := NewBuilder(now)
	rep := load(t, b, "cert", "testdata/bundle.json", FileOptions{})
	require.Equal(t, FormatSTIX, rep.Format)
	require.Equal(t, 10, rep.Loaded) // 1 ip + 1 cidr + 3 + 3 hashes + 2 (IN)
	require.Equal(t, 1, rep.Expired)
	require.Equal(t, 4, rep.Skipped, rep.Errors)
	require.Equal(t, map[string]int{
		"object type identity":                              1,
		"object type malware":                               1,
		"object type relationship":                          1,
		"pattern partly unsupported: object path file:name": 1,
		"unsupported pattern: AND":                          1,
		"pattern_type snort":                                1,
		"unsupported pattern: qualifier":                    1,
		"not an address or network":                         1,
	}, rep.Reasons)
	require.Contains(t, rep.Errors[0], "testdata/bundle.json:")
	m := b.Build()

	got := m.AppendIP(nil, "src_ip", netip.MustParseAddr("45.148.10.81"), at())
	require.Equal(t, []event.IntelMatch{{Set: "cert", Indicator: "45.148.10.81", Field: "src_ip", Kind: "ip", Confidence: 85}}, got)
	got = m.AppendIP(nil, "src_ip", netip.MustParseAddr("185.220.103.255"), at())
	require.Equal(t, []event.IntelMatch{{Set: "cert", Indicator: "185.220.100.0/22", Field: "src_ip", Kind: "cidr", Confidence: 50}}, got)
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("185.220.104.0"), at()))
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("198.51.100.200"), at()), "expired")

	got = m.AppendDomain(nil, "dns_query", "X.CNC.Mirai-Botnet.Example.", at())
	require.Equal(t, []event.IntelMatch{{Set: "cert", Indicator: "cnc.mirai-botnet.example", Field: "dns_query", Kind: "domain", Confidence: 70}}, got)
	require.Len(t, m.AppendDomain(nil, "dns_query", "update.badcdn.example", at()), 1)
	require.Empty(t, m.AppendDomain(nil, "dns_query", "mirai-botnet.example", at()))

	got = m.AppendURL(nil, "url", "http://drop.mirai-botnet.example/bins/x86", at())
	require.Equal(t, []event.IntelMatch{{Set: "cert", Indicator: "http://drop.mirai-botnet.example/bins/x86", Field: "url", Kind: "url", Confidence: 70}}, got)
	require.Len(t, m.AppendIP(nil, "dst_ip", netip.MustParseAddr("2001:db8:bad::66"), at()), 1)
	// valid_until 2099 is honoured at match time too.
	require.Empty(t, m.AppendDomain(nil, "dns_query", "cnc.mirai-botnet.example", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()))

	got = m.AppendHash(nil, "file_hash", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", at())
	require.Equal(t, []event.IntelMatch{{Set: "cert", Indicator: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Field: "file_hash", Kind: "sha256", Confidence: 50}}, got)
	require.Len(t, m.AppendHash(nil, "file_hash", "D41D8CD98F00B204E9800998ECF8427E", at()), 1)
	require.Len(t, m.AppendHash(nil, "file_hash", "da39a3ee5e6b4b0d3255bfef95601890afd80709", at()), 1)
	require.Empty(t, m.AppendHash(nil, "file_hash", "da39a3ee5e6b4b0d3255bfef95601890afd8070z", at()))

	st := b.Stats()
	require.Len(t, st, 1)
	require.Equal(t, 10, st[0].Indicators)
	require.Equal(t, map[string]int{"ip": 2, "cidr": 1, "domain": 3, "url": 1, "md5": 1, "sha1": 1, "sha256": 1}, st[0].ByKind)
}

func TestListAndCSV(t *testing.T) {
	b := NewBuilder(now)
	rep := load(t, b, "blocklist", "testdata/list.txt", FileOptions{SetOptions: SetOptions{Confidence: 90}})
	require.Equal(t, 8, rep.Loaded) // the repeated address counts here, once in Stats
	require.Equal(t, 2, rep.Skipped)
	require.Equal(t, []string{
		`testdata/list.txt:10: unrecognised indicator "not a thing at all"`,
		`testdata/list.txt:11: unrecognised indicator "999.1.1.1"`,
	}, rep.Errors)
	rep = load(t, b, "abusech", "testdata/feed.csv", FileOptions{Column: "ioc_value", KindColumn: "ioc_type", SetOptions: SetOptions{Confidence: 75}})
	require.Equal(t, FormatCSV, rep.Format)
	require.Equal(t, 4, rep.Loaded)
	require.Equal(t, 1, rep.Skipped, rep.Errors)
	require.Contains(t, rep.Errors[0], "testdata/feed.csv:7:")
	m := b.Build()

	require.Equal(t, []event.IntelMatch{{Set: "blocklist", Indicator: "45.148.10.81", Field: "src_ip", Kind: "ip", Confidence: 90}},
		m.AppendIP(nil, "src_ip", netip.MustParseAddr("::ffff:45.148.10.81"), at()))
	require.Equal(t, "185.220.101.0/24", m.AppendIP(nil, "src_ip", netip.MustParseAddr("185.220.101.9"), at())[0].Indicator)
	require.Len(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("2a03:b0c0:3:d0::1a2b:1"), at()), 1)
	require.Len(t, m.AppendDomain(nil, "dns_query", "a.b.tracker.example", at()), 1)
	require.Len(t, m.AppendDomain(nil, "dns_query", "evil.example", at()), 1)
	require.Empty(t, m.AppendDomain(nil, "dns_query", "notevil.example", at()))
	require.Len(t, m.AppendURL(nil, "url", "HTTP://PHISH.example:80/login?next=%2F#x", at()), 1)
	require.Empty(t, m.AppendURL(nil, "url", "http://phish.example/LOGIN?next=%2F", at()))
	require.Len(t, m.AppendHash(nil, "file_hash", "44D88612FEA8A8F36DE82E1278ABB02F", at()), 1)

	// CSV: ip, domain, sha256 and the URL whose host is an address.
	require.Equal(t, "abusech", m.AppendIP(nil, "src_ip", netip.MustParseAddr("45.148.10.82"), at())[0].Set)
	got := m.AppendURL(nil, "url", "http://198.51.100.77:8080/x.sh", at())
	require.Equal(t, []event.IntelMatch{{Set: "abusech", Indicator: "http://198.51.100.77:8080/x.sh", Field: "url", Kind: "url", Confidence: 75}}, got)
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("45.148.10.83"), at()))
}

func TestSetsMergeAndOverlap(t *testing.T) {
	b := NewBuilder(now)
	_, err := b.Load("a", "a.txt", []byte("10.0.0.0/8\n10.1.0.0/16\n10.1.2.3\nshared.example\n1.2.3.4\n"), FileOptions{})
	require.NoError(t, err)
	_, err = b.Load("b", "b.txt", []byte("10.1.2.0/24\n1.2.3.4\nshared.example\n"), FileOptions{SetOptions: SetOptions{Confidence: 20}})
	require.NoError(t, err)
	// A second file of set a merges: the higher confidence wins.
	_, err = b.Load("a", "a2.txt", []byte("1.2.3.4\n"), FileOptions{SetOptions: SetOptions{Confidence: 99}})
	require.NoError(t, err)
	m := b.Build()

	got := m.AppendIP(nil, "src_ip", netip.MustParseAddr("10.1.2.3"), at())
	require.ElementsMatch(t, []event.IntelMatch{
		{Set: "a", Indicator: "10.1.2.3", Field: "src_ip", Kind: "ip", Confidence: 50},
		{Set: "b", Indicator: "10.1.2.0/24", Field: "src_ip", Kind: "cidr", Confidence: 20},
	}, got)
	got = m.AppendIP(nil, "src_ip", netip.MustParseAddr("10.1.9.9"), at())
	require.Equal(t, []event.IntelMatch{{Set: "a", Indicator: "10.1.0.0/16", Field: "src_ip", Kind: "cidr", Confidence: 50}}, got)
	got = m.AppendIP(nil, "src_ip", netip.MustParseAddr("10.200.0.1"), at())
	require.Equal(t, "10.0.0.0/8", got[0].Indicator)
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("11.0.0.0"), at()))
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("9.255.255.255"), at()))
	got = m.AppendIP(nil, "src_ip", netip.MustParseAddr("1.2.3.4"), at())
	require.ElementsMatch(t, []event.IntelMatch{
		{Set: "a", Indicator: "1.2.3.4", Field: "src_ip", Kind: "ip", Confidence: 99},
		{Set: "b", Indicator: "1.2.3.4", Field: "src_ip", Kind: "ip", Confidence: 20},
	}, got)
	require.Len(t, m.AppendDomain(nil, "dns_query", "x.shared.example", at()), 2)
	st := b.Stats()
	require.Equal(t, 5, st[0].Indicators)
	require.Equal(t, 3, st[1].Indicators)
}

func TestSetExpiry(t *testing.T) {
	b := NewBuilder(now)
	rep, err := b.Load("old", "old.txt", []byte("1.2.3.4\nevil.example\n"), FileOptions{SetOptions: SetOptions{Expires: now.Add(-time.Hour)}})
	require.NoError(t, err)
	require.Equal(t, 2, rep.Expired)
	_, err = b.Load("soon", "soon.txt", []byte("5.6.7.8\n"), FileOptions{SetOptions: SetOptions{Expires: now.Add(time.Hour)}})
	require.NoError(t, err)
	m := b.Build()
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("1.2.3.4"), at()))
	require.Len(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("5.6.7.8"), at()), 1)
	require.Empty(t, m.AppendIP(nil, "src_ip", netip.MustParseAddr("5.6.7.8"), now.Add(2*time.Hour).Unix()))
}

func TestDetectFormat(t *testing.T) {
	require.Equal(t, FormatSTIX, DetectFormat("feed", []byte("  {\"type\":\"bundle\"}")))
	require.Equal(t, FormatCSV, DetectFormat("feed", []byte("ip,first_seen\n1.2.3.4,x\n")))
	require.Equal(t, FormatList, DetectFormat("feed", []byte("# c, d\n1.2.3.4\n")))
	require.Equal(t, FormatCSV, DetectFormat("x.CSV", nil))
}

func TestNormURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM":               "http://example.com/",
		"https://example.com:443/a?b#c":    "https://example.com/a?b",
		"https://example.com:8443/A":       "https://example.com:8443/A",
		"http://user@EX.com:80?q":          "http://user@ex.com/?q",
		"http://[2001:DB8::1]:80/x":        "http://[2001:db8::1]/x",
		"ftp://files.example.:21/pub/file": "ftp://files.example/pub/file",
	} {
		got, ok := normURL(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"/just/a/path", "http://", "http://ex.com:8x/", "://x", "http://[::1/"} {
		_, ok := normURL(bad)
		require.False(t, ok, bad)
	}
}

func TestPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		n       int
		reason  string
	}{
		{"[ipv4-addr:value = '1.2.3.4']", 1, ""},
		{"[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '5.6.7.8'] OR [url:value = 'http://x.example/']", 3, ""},
		{`[domain-name:value = 'it\'s.example']`, 1, ""},
		{"[ipv4-addr:value IN ('1.2.3.4', '1.2.3.5')]", 2, ""},
		{"[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']", 0, "AND"},
		{"[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '5.6.7.8']", 0, "FOLLOWEDBY"},
		{"[ipv4-addr:value != '1.2.3.4']", 0, "operator !="},
		{"[domain-name:value LIKE '%.example']", 0, "operator LIKE"},
		{"[file:hashes.'SHA-512' = 'ab']", 0, "hash SHA512"},
		{"[network-traffic:src_ref.value = '1.2.3.4']", 0, "object path network-traffic:src_ref.value"},
		{"[x:refs[*].value = '1.2.3.4']", 0, "list index in path"},
		{"[ipv4-addr:value = '1.2.3.4'", 0, "syntax"},
		{"", 0, "empty pattern"},
		{"[ipv4-addr:value = '1.2.3.4'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", 0, "qualifier"},
	} {
		terms, _, err := parsePattern(tc.pattern)
		if tc.reason != "" {
			require.Error(t, err, tc.pattern)
			require.Equal(t, tc.reason, reasonOf(err), tc.pattern)
			continue
		}
		require.NoError(t, err, tc.pattern)
		require.Len(t, terms, tc.n, tc.pattern)
	}
}

func TestBadFiles(t *testing.T) {
	b := NewBuilder(now)
	_, err := b.LoadFile("x", "testdata/missing.txt", FileOptions{})
	require.ErrorContains(t, err, "missing.txt")
	_, err = b.Load("x", "x.json", []byte("not json"), FileOptions{})
	require.ErrorContains(t, err, "x.json")
	rep, err := b.Load("x", "x.json", []byte(`{"type":"bundle","objects":[{"type":"indicator","pattern":"[ipv4-addr:value = '1.2.3.4']"}, {bad`), FileOptions{})
	require.NoError(t, err)
	require.Equal(t, 1, rep.Loaded)
	require.Equal(t, 1, rep.Skipped)
	// A single indicator object, not wrapped in a bundle.
	rep, err = b.Load("x", "one.json", []byte(`{"type":"indicator","id":"indicator--1","pattern":"[domain-name:value = 'one.example']","pattern_type":"stix","confidence":12}`), FileOptions{})
	require.NoError(t, err)
	require.Equal(t, 1, rep.Loaded)
	_, err = b.Load("x", "x.csv", []byte("a,b\n1,2\n"), FileOptions{Column: "ioc"})
	require.ErrorContains(t, err, `no column "ioc"`)
}
