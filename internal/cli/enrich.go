//go:build duckdb_arrow

package cli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/yagura-dev/yagura/internal/enrich"
)

type enrichOptions struct {
	geoipDir string
	intel    []string
}

// enrichFlags declares the enrichment flags shared by the commands that read logs.
func enrichFlags(fs *flag.FlagSet) *enrichOptions {
	e := &enrichOptions{}
	fs.StringVar(&e.geoipDir, "geoip", "", "folder of GeoIP/ASN .mmdb files (default: $YAGURA_GEOIP_DIR, else ./geoip beside the binary or here)")
	fs.Func("intel", "threat-intel file to match, `[NAME=]PATH` (plain list, CSV or STIX 2.1 bundle; glob allowed); repeatable", func(s string) error {
		e.intel = append(e.intel, s)
		return nil
	})
	return e
}

// open loads the enrichment data and prints its warnings once.
func (e *enrichOptions) open(warn io.Writer) (*enrich.Enricher, error) {
	cfg := enrich.Config{GeoIPDir: e.geoipDir}
	for _, spec := range e.intel {
		name, path, ok := strings.Cut(spec, "=")
		if !ok {
			path = spec
			name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		cfg.Intel = append(cfg.Intel, enrich.SetConfig{Name: name, Path: path})
	}
	en, err := enrich.New(cfg)
	if err != nil {
		return nil, err
	}
	for _, w := range en.Warnings() {
		fmt.Fprintf(warn, "warning: %s\n", w)
	}
	return en, nil
}
