// Command gen writes realistic, deterministic security log workloads for Yagura's benchmarks.
//
// Usage:
//
//	go run ./bench/gen -type cloudtrail|vpcflow|cowrie -size 2GiB [-events N] [-seed 42] [-format jsonl|records|gz|records.gz] -o FILE
//
// The output has the statistics of real logs rather than random noise: a few accounts and regions, a
// pool of principals with personas, a Zipf-like mix of API calls, realistic user agents and errors for
// CloudTrail; ENIs, east-west traffic and internet scanners for VPC flow logs; skewed attackers, credential
// dictionaries and bot command scripts for Cowrie. The same seed always yields the same bytes.
//
// -size counts uncompressed bytes; generation stops at the first event boundary at or after it (for
// "records" at the end of the current document). -events stops after that many events (records for
// CloudTrail, flow records for VPC flow, lines for Cowrie); when both are given the first limit wins.
package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

// emitter produces one event per call, appended to b without a trailing newline.
type emitter interface {
	appendEvent(b []byte) []byte
}

func main() {
	typ := flag.String("type", "cloudtrail", "workload: cloudtrail, vpcflow or cowrie")
	sizeFlag := flag.String("size", "", "stop after this many uncompressed bytes (e.g. 512MiB, 2GiB, 50MB)")
	events := flag.Int64("events", 0, "stop after this many events")
	seed := flag.Uint64("seed", 42, "random seed; the same seed gives the same output")
	format := flag.String("format", "jsonl", "jsonl (one event per line; plain lines for vpcflow), records (CloudTrail S3 {\"Records\":[…]} documents, one per line), gz (gzipped jsonl) or records.gz")
	out := flag.String("o", "-", "output file (- for stdout)")
	quiet := flag.Bool("q", false, "do not print the summary on stderr")
	flag.Parse()

	if err := run(*typ, *sizeFlag, *events, *seed, *format, *out, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(typ, sizeFlag string, events int64, seed uint64, format, out string, quiet bool) error {
	var size int64
	if sizeFlag != "" {
		var err error
		if size, err = parseSize(sizeFlag); err != nil {
			return err
		}
	}
	if size <= 0 && events <= 0 {
		return errors.New("give -size or -events")
	}
	gz := false
	records := false
	switch format {
	case "jsonl":
	case "gz":
		gz = true
	case "records":
		records = true
	case "records.gz":
		records, gz = true, true
	default:
		return fmt.Errorf("unknown -format %q (jsonl, records, gz, records.gz)", format)
	}
	if records && typ != "cloudtrail" {
		return fmt.Errorf("-format %s only applies to cloudtrail", format)
	}

	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var em emitter
	var header string
	switch typ {
	case "cloudtrail":
		em = newCloudTrail(r)
	case "vpcflow":
		em = newVPCFlow(r)
		header = vpcHeader
	case "cowrie":
		em = newCowrie(r)
	default:
		return fmt.Errorf("unknown -type %q (cloudtrail, vpcflow, cowrie)", typ)
	}

	var dst io.Writer = os.Stdout
	var f *os.File
	if out != "-" && out != "" {
		var err error
		if f, err = os.Create(out); err != nil {
			return err
		}
		defer f.Close()
		dst = f
	}
	var zw *gzip.Writer
	if gz {
		var err error
		if zw, err = gzip.NewWriterLevel(dst, gzip.BestSpeed); err != nil {
			return err
		}
		dst = zw
	}
	w := bufio.NewWriterSize(dst, 1<<20)

	start := time.Now()
	n, written, err := generate(w, em, header, records, size, events, r)
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}
	if !quiet {
		sec := time.Since(start).Seconds()
		fmt.Fprintf(os.Stderr, "gen: %s %d events, %d bytes uncompressed, %.2f s, %.0f MB/s, %.0f events/s\n",
			typ, n, written, sec, float64(written)/sec/1e6, float64(n)/sec)
	}
	return nil
}

// generate writes events until a limit is reached and returns the number of events and of
// uncompressed bytes written.
func generate(w *bufio.Writer, em emitter, header string, records bool, size, events int64, r *rand.Rand) (int64, int64, error) {
	var n, written int64
	done := func() bool {
		return (size > 0 && written >= size) || (events > 0 && n >= events)
	}
	if header != "" {
		k, err := w.WriteString(header + "\n")
		if err != nil {
			return 0, 0, err
		}
		written += int64(k)
	}
	buf := make([]byte, 0, 64<<10)
	for !done() {
		buf = buf[:0]
		if records {
			// One S3 object: 100–1000 records, as CloudTrail delivers them.
			k := 100 + r.IntN(901)
			buf = append(buf, `{"Records":[`...)
			for i := 0; i < k && !done(); i++ {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = em.appendEvent(buf)
				n++
				if len(buf) >= 32<<10 {
					m, err := w.Write(buf)
					if err != nil {
						return n, written, err
					}
					written += int64(m)
					buf = buf[:0]
				}
			}
			buf = append(buf, "]}\n"...)
		} else {
			buf = em.appendEvent(buf)
			buf = append(buf, '\n')
			n++
		}
		m, err := w.Write(buf)
		if err != nil {
			return n, written, err
		}
		written += int64(m)
	}
	return n, written, nil
}

// parseSize reads sizes like 1024, 50MB, 512MiB, 2GiB, 1G (G and GB are powers of ten, GiB powers of two,
// a bare K/M/G suffix is taken as binary).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suf  string
		mult float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
	}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suf)) {
			mult = u.mult
			t = strings.TrimSpace(t[:len(t)-len(u.suf)])
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(v * mult), nil
}
