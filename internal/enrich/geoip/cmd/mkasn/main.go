// Command mkasn builds an ASN database (asn.mmdb) in the GeoLite2-ASN schema from the CSV files of
// the free ip-location-db "asn" package (start,end,asn,organisation; CC BY 4.0 by RouteViews, NRO and
// DB-IP), so that Yagura's GeoIP reader handles it exactly like MaxMind's own ASN database.
// scripts/geoip-setup.sh runs it; it is not part of the yagura binary.
//
// Usage:
//
//	go run ./internal/enrich/geoip/cmd/mkasn -o geoip/asn.mmdb asn-ipv4.csv asn-ipv6.csv
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

func main() {
	out := flag.String("o", "asn.mmdb", "output `file`")
	quiet := flag.Bool("q", false, "print nothing but errors")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mkasn [-q] -o asn.mmdb file.csv ...")
		os.Exit(2)
	}
	st, err := build(*out, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkasn:", err)
		os.Exit(1)
	}
	if !*quiet {
		fmt.Printf("mkasn: wrote %s: %d ranges, %d bad lines skipped\n", *out, st.ranges, st.bad)
	}
}

type stats struct{ ranges, aliased, bad int }

// build writes the database to a temporary file beside out and renames it into place, so a
// running Yagura never opens a half-written file.
func build(out string, inputs []string) (stats, error) {
	var st stats
	var newest time.Time
	for _, in := range inputs {
		if fi, err := os.Stat(in); err == nil && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	if newest.IsZero() {
		newest = time.Now()
	}
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType: "GeoLite2-ASN",
		Description: map[string]string{
			"en": "IP to ASN built by Yagura mkasn from ip-location-db asn (RouteViews, NRO, DB-IP; CC BY 4.0)",
		},
		// The reader never looks special-purpose addresses up, and some sources list ranges that
		// touch them; keep them rather than fail the build.
		IncludeReservedNetworks: true,
		IPVersion:               6,
		RecordSize:              28,
		BuildEpoch:              newest.Unix(),
		// Rows of one AS repeat; this key is cheaper than the default SHA-256 of the value.
		KeyGenerator: keyGen{},
	})
	if err != nil {
		return st, err
	}
	for _, in := range inputs {
		if err := readCSV(in, tree, &st); err != nil {
			return st, err
		}
	}
	if st.ranges == 0 {
		return st, errors.New("no usable rows in the input files")
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".asn-*.mmdb")
	if err != nil {
		return st, err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	if _, err := tree.WriteTo(w); err != nil {
		tmp.Close()
		return st, fmt.Errorf("write %s: %w", out, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return st, fmt.Errorf("write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return st, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return st, err
	}
	return st, os.Rename(tmp.Name(), out)
}

type keyGen struct{}

func (keyGen) Key(v mmdbtype.DataType) ([]byte, error) {
	m, ok := v.(mmdbtype.Map)
	if !ok {
		return nil, fmt.Errorf("unexpected value %T", v)
	}
	n, _ := m["autonomous_system_number"].(mmdbtype.Uint32)
	org, _ := m["autonomous_system_organization"].(mmdbtype.String)
	return fmt.Appendf(nil, "%d\x00%s", uint32(n), string(org)), nil
}

func readCSV(path string, tree *mmdbwriter.Tree, st *stats) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	orgs := map[string]mmdbtype.String{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				st.bad++
				warn(st, "%s:%d: %v", path, line, pe.Err)
				continue
			}
			return fmt.Errorf("read %s: %w", path, err)
		}
		if len(rec) < 3 {
			st.bad++
			warn(st, "%s:%d: want start,end,asn[,organisation], got %d fields", path, line, len(rec))
			continue
		}
		start, err1 := netip.ParseAddr(strings.TrimSpace(rec[0]))
		end, err2 := netip.ParseAddr(strings.TrimSpace(rec[1]))
		asn, err3 := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(rec[2]), "AS"), 10, 32)
		if err := errors.Join(err1, err2, err3); err != nil {
			if line == 1 {
				continue // a header row
			}
			st.bad++
			warn(st, "%s:%d: %v", path, line, err)
			continue
		}
		if start.Is4() != end.Is4() || end.Less(start) {
			st.bad++
			warn(st, "%s:%d: bad range %s-%s", path, line, start, end)
			continue
		}
		org := ""
		if len(rec) > 3 {
			org = strings.TrimSpace(rec[3])
		}
		orgV, ok := orgs[org]
		if !ok {
			orgV = mmdbtype.String(org)
			orgs[org] = orgV
		}
		v := mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(asn)}
		if org != "" {
			v["autonomous_system_organization"] = orgV
		}
		if err := tree.InsertRange(net.IP(start.AsSlice()), net.IP(end.AsSlice()), v); err != nil {
			if strings.Contains(err.Error(), "aliased network") {
				// Teredo and 6to4 are aliases of the IPv4 tree in an IPv6 database; their
				// addresses are answered from the IPv4 rows.
				st.aliased++
				continue
			}
			st.bad++
			warn(st, "%s:%d: %v", path, line, err)
			continue
		}
		st.ranges++
	}
}

// warn prints the first few bad lines; the rest are only counted.
func warn(st *stats, format string, args ...any) {
	if st.bad <= 10 {
		fmt.Fprintf(os.Stderr, "mkasn: "+format+"\n", args...)
	}
}
