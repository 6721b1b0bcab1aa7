// Package enrich is the pipeline stage between parsing and storage that adds what the log record
// itself does not say: where an address is (country, city, ASN, organisation, or which
// special-purpose range it belongs to) and which threat-intelligence indicators the event matches.
// Detection rules and the analyst both depend on these fields, and computing them once here keeps
// every rule from redoing the work.
//
// The work is split so each part can be tested and benchmarked alone: netclass labels special
// addresses, geoip reads .mmdb databases, intel indexes indicator sets; Enricher ties them to the
// event model.
package enrich

import (
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/yagura-dev/yagura/internal/enrich/geoip"
	"github.com/yagura-dev/yagura/internal/enrich/intel"
	"github.com/yagura-dev/yagura/internal/enrich/netclass"
	"github.com/yagura-dev/yagura/internal/event"
)

// Config configures enrichment.
type Config struct {
	// GeoIPDir is the folder of .mmdb databases; "" uses geoip.DefaultDir(). A configured folder
	// that does not exist is an error; a missing default folder only means "no GeoIP".
	GeoIPDir string `yaml:"geoip_dir"`
	// Intel lists the threat-intel files. Entries with the same Name form one set.
	Intel []SetConfig `yaml:"intel"`
}

// SetConfig is one threat-intel file and the set it belongs to.
type SetConfig struct {
	// Name identifies the set in matches (event.IntelMatch.Set).
	Name string `yaml:"name"`
	// Path is the file; a glob pattern loads every matching file into the set.
	Path string `yaml:"path"`
	// Format is "list", "csv" or "stix"; "" decides from the extension, then the content.
	Format string `yaml:"format"`
	// Column is the CSV column with the indicator: a header name or a 1-based number.
	Column string `yaml:"column"`
	// KindColumn is the optional CSV column giving each row's kind.
	KindColumn string `yaml:"kind_column"`
	// Kind forces the kind of every indicator: ip, cidr, domain, url, md5, sha1, sha256, hash.
	Kind string `yaml:"kind"`
	// Confidence is the default confidence (1–100) of the set's indicators; 0 means 50. STIX
	// indicators carrying their own confidence keep it.
	Confidence int `yaml:"confidence"`
	// Expires, when set, ends the validity of every indicator of this file.
	Expires time.Time `yaml:"expires"`
}

// Validate returns every problem of the configuration, joined; nil when it is usable.
func (c Config) Validate() error {
	var errs []error
	for i, s := range c.Intel {
		where := fmt.Sprintf("intel[%d]", i)
		if s.Name != "" {
			where += " (" + s.Name + ")"
		}
		if strings.TrimSpace(s.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: name is required", where))
		}
		if s.Path == "" {
			errs = append(errs, fmt.Errorf("%s: path is required", where))
		} else if _, err := filepath.Match(s.Path, ""); err != nil {
			errs = append(errs, fmt.Errorf("%s: path: %w", where, err))
		}
		switch s.Format {
		case "", intel.FormatList, intel.FormatCSV, intel.FormatSTIX:
		default:
			errs = append(errs, fmt.Errorf("%s: format %q: want list, csv or stix", where, s.Format))
		}
		if _, err := intel.ParseKind(s.Kind); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		if s.Format == intel.FormatSTIX && (s.Column != "" || s.KindColumn != "" || s.Kind != "") {
			errs = append(errs, fmt.Errorf("%s: column, kind_column and kind do not apply to STIX", where))
		}
		if s.Format == intel.FormatList && (s.Column != "" || s.KindColumn != "") {
			errs = append(errs, fmt.Errorf("%s: column and kind_column apply to CSV only", where))
		}
		if s.Confidence < 0 || s.Confidence > 100 {
			errs = append(errs, fmt.Errorf("%s: confidence %d: want 0-100", where, s.Confidence))
		}
	}
	return errors.Join(errs...)
}

// Enricher fills the enrichment fields of events. All its methods are safe for concurrent use:
// the intel index is immutable after New and the GeoIP cache is lock-free, so any number of
// pipeline goroutines may call Enrich on one Enricher.
type Enricher struct {
	geo      *geoip.Reader
	geoDir   string
	matcher  *intel.Matcher
	sets     []intel.SetStats
	warnings []string
	now      func() time.Time
}

// New opens the GeoIP databases and loads every intel file. Missing default GeoIP databases are
// not an error (see Warnings); an unreadable intel file or a configured GeoIP folder that does not
// exist is.
func New(cfg Config) (*Enricher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Enricher{now: time.Now}
	dir := cfg.GeoIPDir
	explicit := dir != ""
	if !explicit {
		dir = geoip.DefaultDir()
	}
	e.geoDir = dir
	var err error
	if dir == "" {
		e.geo, _ = geoip.OpenDir("", geoip.Options{})
	} else {
		e.geo, err = geoip.OpenDir(dir, geoip.Options{})
		if err != nil {
			return nil, fmt.Errorf("enrich: %w", err)
		}
	}
	for _, d := range e.geo.Databases() {
		if d.Err != nil {
			e.warnings = append(e.warnings, d.Err.Error())
		}
	}
	if e.geo.Len() == 0 {
		if explicit {
			e.geo.Close()
			return nil, fmt.Errorf("enrich: no usable GeoIP databases in %s", dir)
		}
		e.warnings = append(e.warnings, "no GeoIP databases found (run scripts/geoip-setup.sh or set geoip_dir); countries and ASNs stay empty")
	}

	b := intel.NewBuilder(time.Now())
	for _, s := range cfg.Intel {
		kind, _ := intel.ParseKind(s.Kind)
		paths := []string{s.Path}
		if strings.ContainsAny(s.Path, "*?[") {
			paths, _ = filepath.Glob(s.Path) // the pattern was checked by Validate
			if len(paths) == 0 {
				e.geo.Close()
				return nil, fmt.Errorf("enrich: intel set %s: no files match %s", s.Name, s.Path)
			}
		}
		for _, p := range paths {
			rep, err := b.LoadFile(s.Name, p, intel.FileOptions{
				SetOptions: intel.SetOptions{Confidence: s.Confidence, Expires: s.Expires},
				Format:     s.Format, Kind: kind, Column: s.Column, KindColumn: s.KindColumn,
			})
			if err != nil {
				e.geo.Close()
				return nil, fmt.Errorf("enrich: %w", err)
			}
			if rep.Skipped > 0 {
				e.warnings = append(e.warnings, fmt.Sprintf("intel set %s: %s: %d values skipped (%s)", s.Name, p, rep.Skipped, strings.Join(rep.ReasonList(), ", ")))
			}
		}
	}
	if len(cfg.Intel) > 0 {
		e.matcher = b.Build()
		e.sets = b.Stats()
	}
	return e, nil
}

// Warnings returns what the caller should tell the operator once: no GeoIP databases, files that
// could not be used, values skipped while loading intel.
func (e *Enricher) Warnings() []string { return append([]string(nil), e.warnings...) }

// Close releases the GeoIP databases. No Enrich call may run during or after Close.
func (e *Enricher) Close() error { return e.geo.Close() }

// Core column names used as event.IntelMatch.Field.
var (
	fieldSrcIP    = event.CoreColumns[event.FieldSrcIP].Name
	fieldDstIP    = event.CoreColumns[event.FieldDstIP].Name
	fieldDNSQuery = event.CoreColumns[event.FieldDNSQuery].Name
	fieldURL      = event.CoreColumns[event.FieldURL].Name
	fieldFileHash = event.CoreColumns[event.FieldFileHash].Name
)

// Enrich sets ev.SrcGeo and ev.DstGeo (the Net label always, location and ASN for public
// addresses) and appends to ev.Intel the indicators matched by the source and destination
// addresses, the DNS query, the URL and its host, and the file hash. Indicator expiry is judged at
// the event's own time (the current time when it has none), so replaying old logs gives the
// answer live ingestion gave. Enrich does not allocate unless something matches.
func (e *Enricher) Enrich(ev *event.Event) {
	ev.SrcGeo = e.geoOf(ev.SrcIP)
	ev.DstGeo = e.geoOf(ev.DstIP)
	m := e.matcher
	if m == nil {
		return
	}
	var at int64
	if ev.Time.IsZero() {
		at = e.now().Unix()
	} else {
		at = ev.Time.Unix()
	}
	if ev.SrcIP.IsValid() {
		ev.Intel = m.AppendIP(ev.Intel, fieldSrcIP, ev.SrcIP, at)
	}
	if ev.DstIP.IsValid() {
		ev.Intel = m.AppendIP(ev.Intel, fieldDstIP, ev.DstIP, at)
	}
	if ev.DNSQuery != "" {
		ev.Intel = m.AppendDomain(ev.Intel, fieldDNSQuery, ev.DNSQuery, at)
	}
	if ev.URL != "" {
		ev.Intel = m.AppendURL(ev.Intel, fieldURL, ev.URL, at)
	}
	if ev.FileHash != "" {
		ev.Intel = m.AppendHash(ev.Intel, fieldFileHash, ev.FileHash, at)
	}
}

func (e *Enricher) geoOf(a netip.Addr) event.Geo {
	if !a.IsValid() {
		return event.Geo{}
	}
	if n := netclass.Of(a); n != netclass.Public {
		return event.Geo{Net: n}
	}
	r := e.geo.Lookup(a)
	return event.Geo{Country: r.Country, City: r.City, ASN: r.ASN, Org: r.Org}
}

// Stats describes what the Enricher loaded, for the CLI to print.
type Stats struct {
	// GeoIPDir is the folder searched ("" when none was found).
	GeoIPDir string
	// Databases lists every .mmdb file with its type, role, build date and any error.
	Databases []geoip.DBInfo
	// GeoIPCache is the bound on cached GeoIP results.
	GeoIPCache int
	// Sets lists the intel sets with their indicator counts and per-file reports (expired and
	// skipped values with reasons).
	Sets []intel.SetStats
	// Indicators is the number of distinct indicator values across all sets.
	Indicators int
}

// Stats returns what was loaded.
func (e *Enricher) Stats() Stats {
	return Stats{
		GeoIPDir:   e.geoDir,
		Databases:  e.geo.Databases(),
		GeoIPCache: e.geo.CacheSize(),
		Sets:       append([]intel.SetStats(nil), e.sets...),
		Indicators: e.matcher.Len(),
	}
}
