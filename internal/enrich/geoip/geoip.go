// Package geoip places public IP addresses: country and city from a location database, autonomous
// system number and organisation from an ASN database. It reads MaxMind-format .mmdb files in both
// the GeoIP2/GeoLite2 schemas and the flat schemas of the free ip-location-db databases, so that an
// operator can use whichever they have (scripts/geoip-setup.sh installs the free DB-IP ones).
//
// Log data repeats addresses heavily, so results are kept in a bounded cache (DefaultCacheSize).
// Special-purpose addresses (private, CGNAT, documentation …, see package netclass) are never looked
// up. A Reader with no databases is valid: every lookup returns an empty Record.
package geoip

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/yagura-dev/yagura/internal/enrich/netclass"
)

// Role says what a database contributes.
type Role string

// Roles of a database file.
const (
	RoleLocation Role = "location"     // country and city
	RoleASN      Role = "asn"          // autonomous system number and organisation
	RoleBoth     Role = "location+asn" // both in one record (ipinfo-style country_asn)
	RoleUnknown  Role = "unknown"      // neither; the file is not used
)

// DBInfo describes one database file, for Stats and for the CLI to print.
type DBInfo struct {
	Path string
	// Type is the metadata database_type ("GeoLite2-City", "city ipv4", …).
	Type string
	Role Role
	// Schema is "geoip2" (nested country/city objects) or "flat".
	Schema string
	// IPVersion is 4 for an IPv4-only file, 6 for a file with an IPv6 tree.
	IPVersion int
	// HasIPv4 reports whether the file places IPv4 addresses (an IPv6 file may not).
	HasIPv4 bool
	Built   time.Time
	// Err is set when the file could not be opened or classified; it is then not used.
	Err error
}

// Options tunes a Reader.
type Options struct {
	// CacheSize bounds the number of cached lookup results; 0 means DefaultCacheSize, a negative
	// value disables the cache.
	CacheSize int
}

type db struct {
	r    *maxminddb.Reader
	info DBInfo
}

// Reader looks addresses up in a set of databases. It is safe for concurrent use.
type Reader struct {
	dbs []*db
	// Lookup order per address family and role: IPv4-only files before IPv6 files for IPv4
	// addresses, so that a split -ipv4/-ipv6 pair answers each family from its own file.
	loc4, loc6, asn4, asn6 []*db
	cache                  *cache
}

// Open opens the given database files. A file that cannot be opened is an error; a file whose
// records carry neither location nor ASN data is kept in Databases with Role RoleUnknown and an Err.
func Open(opts Options, paths ...string) (*Reader, error) {
	r := newReader(opts)
	for _, p := range paths {
		d, err := openDB(p)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.add(d)
	}
	return r, nil
}

// OpenDir opens every .mmdb file in dir. A missing dir is not an error: the Reader is empty and
// lookups return nothing, so Yagura runs without GeoIP and the caller warns once (Len() == 0).
// Files that cannot be opened are listed in Databases with their Err and skipped, so that one
// half-downloaded file does not take the others down.
func OpenDir(dir string, opts Options) (*Reader, error) {
	r := newReader(opts)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("geoip: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".mmdb") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		d, err := openDB(p)
		if err != nil {
			r.dbs = append(r.dbs, &db{info: DBInfo{Path: p, Role: RoleUnknown, Err: err}})
			continue
		}
		r.add(d)
	}
	return r, nil
}

// EnvDir names the environment variable that overrides DefaultDir.
const EnvDir = "YAGURA_GEOIP_DIR"

// DefaultDir returns the folder Yagura looks for databases in when none is configured: $YAGURA_GEOIP_DIR
// if set (even if it does not exist, so a typo shows up as "no databases in …"), then the first
// existing folder of: geoip/ beside the executable, geoip/ beside the executable's folder (so
// ./bin/yagura finds ./geoip), ./geoip, /usr/share/yagura/geoip. It returns "" when none exists.
func DefaultDir() string {
	if d := os.Getenv(EnvDir); d != "" {
		return d
	}
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		dir := filepath.Dir(exe)
		candidates = append(candidates, filepath.Join(dir, "geoip"), filepath.Join(filepath.Dir(dir), "geoip"))
	}
	candidates = append(candidates, "geoip", "/usr/share/yagura/geoip")
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c
		}
	}
	return ""
}

func newReader(opts Options) *Reader {
	r := &Reader{}
	switch {
	case opts.CacheSize == 0:
		r.cache = newCache(DefaultCacheSize)
	case opts.CacheSize > 0:
		r.cache = newCache(opts.CacheSize)
	}
	return r
}

func (r *Reader) add(d *db) {
	r.dbs = append(r.dbs, d)
	if d.info.Err != nil {
		return
	}
	loc := d.info.Role == RoleLocation || d.info.Role == RoleBoth
	asn := d.info.Role == RoleASN || d.info.Role == RoleBoth
	if d.info.IPVersion == 6 {
		if loc {
			r.loc6 = append(r.loc6, d)
		}
		if asn {
			r.asn6 = append(r.asn6, d)
		}
	}
	if d.info.HasIPv4 {
		if loc {
			r.loc4 = append(r.loc4, d)
		}
		if asn {
			r.asn4 = append(r.asn4, d)
		}
	}
	v4First := func(a, b *db) int { return a.info.IPVersion - b.info.IPVersion }
	slices.SortStableFunc(r.loc4, v4First)
	slices.SortStableFunc(r.asn4, v4First)
}

// probes are well-known public addresses used to see what a database's records look like when its
// database_type does not say.
var probes = []netip.Addr{
	netip.MustParseAddr("8.8.8.8"),
	netip.MustParseAddr("1.1.1.1"),
	netip.MustParseAddr("81.2.69.142"),
	netip.MustParseAddr("2001:4860:4860::8888"),
	netip.MustParseAddr("2606:4700:4700::1111"),
}

func openDB(path string) (*db, error) {
	mr, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: open %s: %w", path, err)
	}
	md := mr.Metadata
	d := &db{r: mr, info: DBInfo{
		Path:      path,
		Type:      md.DatabaseType,
		IPVersion: int(md.IPVersion),
		HasIPv4:   md.IPVersion == 4,
		Built:     md.BuildTime().UTC(),
	}}
	if md.IPVersion == 6 {
		for range mr.NetworksWithin(netip.MustParsePrefix("0.0.0.0/0")) {
			d.info.HasIPv4 = true
			break
		}
	}

	// Sample records: the first few networks plus well-known addresses, so the shape is judged on
	// real data even for a database that covers only a small range.
	var sample record
	var n int
	look := func(res maxminddb.Result) {
		var rec record
		if res.Found() && res.Decode(&rec) == nil {
			n++
			sample.nested = sample.nested || rec.nested
			if rec.Country != "" || rec.City != "" {
				sample.Country = "x"
			}
			if rec.ASN != 0 || rec.Org != "" {
				sample.ASN = 1
			}
		}
	}
	for _, a := range probes {
		look(mr.Lookup(a))
	}
	i := 0
	for res := range mr.Networks() {
		look(res)
		if i++; i == 16 {
			break
		}
	}

	t := strings.ToLower(md.DatabaseType)
	switch {
	case strings.Contains(t, "asn") || strings.Contains(t, "isp"):
		d.info.Role = RoleASN
	case strings.Contains(t, "city") || strings.Contains(t, "country"):
		d.info.Role = RoleLocation
	}
	shapeLoc, shapeASN := sample.Country != "", sample.ASN != 0
	switch {
	case shapeLoc && shapeASN:
		d.info.Role = RoleBoth
	case d.info.Role != "":
	case shapeLoc:
		d.info.Role = RoleLocation
	case shapeASN:
		d.info.Role = RoleASN
	default:
		d.info.Role = RoleUnknown
		if n == 0 {
			d.info.Err = fmt.Errorf("geoip: %s: no records with location or ASN data", path)
		} else {
			d.info.Err = fmt.Errorf("geoip: %s: database type %q has neither location nor ASN fields", path, md.DatabaseType)
		}
	}
	d.info.Schema = "flat"
	if sample.nested || strings.HasPrefix(md.DatabaseType, "GeoIP2") || strings.HasPrefix(md.DatabaseType, "GeoLite2") {
		d.info.Schema = "geoip2"
	}
	return d, nil
}

// Len returns the number of usable databases.
func (r *Reader) Len() int {
	n := 0
	for _, d := range r.dbs {
		if d.info.Err == nil {
			n++
		}
	}
	return n
}

// Databases describes every database file the Reader opened or tried to open.
func (r *Reader) Databases() []DBInfo {
	out := make([]DBInfo, len(r.dbs))
	for i, d := range r.dbs {
		out[i] = d.info
	}
	return out
}

// CacheSize returns the bound on cached results (0 when the cache is disabled).
func (r *Reader) CacheSize() int {
	if r.cache == nil {
		return 0
	}
	return r.cache.size()
}

// Lookup returns what the databases know about a. Special-purpose and invalid addresses return an
// empty Record without touching a database. Errors from a corrupt record are treated as "not
// found": enrichment must not stop on one bad record.
func (r *Reader) Lookup(a netip.Addr) Record {
	if len(r.dbs) == 0 || !a.IsValid() {
		return Record{}
	}
	a = a.Unmap().WithZone("")
	if netclass.Of(a) != netclass.Public {
		return Record{}
	}
	if r.cache != nil {
		if rec, ok := r.cache.get(a); ok {
			return rec
		}
	}
	rec := r.lookup(a)
	if r.cache != nil {
		r.cache.put(a, rec)
	}
	return rec
}

func (r *Reader) lookup(a netip.Addr) Record {
	loc, asn := r.loc6, r.asn6
	if a.Is4() {
		loc, asn = r.loc4, r.asn4
	}
	var out Record
	for _, d := range loc {
		var rec record
		if err := d.r.Lookup(a).Decode(&rec); err != nil || rec.Country == "" && rec.City == "" {
			continue
		}
		out.Country, out.City = rec.Country, rec.City
		if d.info.Role == RoleBoth {
			out.ASN, out.Org = rec.ASN, rec.Org
		}
		break
	}
	if out.ASN != 0 {
		return out
	}
	for _, d := range asn {
		var rec record
		if err := d.r.Lookup(a).Decode(&rec); err != nil || rec.ASN == 0 && rec.Org == "" {
			continue
		}
		out.ASN, out.Org = rec.ASN, rec.Org
		break
	}
	return out
}

// Close releases the databases (unmapping their files). Lookups after Close return empty Records.
func (r *Reader) Close() error {
	var errs []error
	for _, d := range r.dbs {
		if d.r != nil {
			errs = append(errs, d.r.Close())
		}
	}
	r.loc4, r.loc6, r.asn4, r.asn6 = nil, nil, nil, nil
	r.dbs = nil
	return errors.Join(errs...)
}
