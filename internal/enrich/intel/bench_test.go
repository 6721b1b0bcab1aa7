package intel

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/yagura-dev/yagura/internal/event"
)

// genList writes n indicators of one kind as a plain list: IPv4 addresses with 1 in 50 a network,
// domains under a few hundred parents, or SHA-256 digests.
func genList(kind string, n int, rng *rand.Rand) []byte {
	var b bytes.Buffer
	b.Grow(n * 24)
	for i := range n {
		switch kind {
		case "ip":
			if i%50 == 0 {
				fmt.Fprintf(&b, "%d.%d.%d.0/%d\n", rng.IntN(223)+1, rng.IntN(256), rng.IntN(256), 16+rng.IntN(9))
			} else {
				fmt.Fprintf(&b, "%d.%d.%d.%d\n", rng.IntN(223)+1, rng.IntN(256), rng.IntN(256), rng.IntN(256))
			}
		case "domain":
			fmt.Fprintf(&b, "h%x.bad%d.example\n", rng.Uint64(), rng.IntN(500))
		case "sha256":
			fmt.Fprintf(&b, "%016x%016x%016x%016x\n", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
		}
	}
	return b.Bytes()
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkIntel loads generated sets of 1 and 5 million indicators and reports load time
// (parse + index), heap retained per indicator and the cost of a lookup that misses (the common
// case on log data) and one that hits.
func BenchmarkIntel(b *testing.B) {
	for _, tc := range []struct {
		kind string
		n    int
	}{{"ip", 1_000_000}, {"ip", 5_000_000}, {"domain", 1_000_000}, {"sha256", 1_000_000}} {
		b.Run(fmt.Sprintf("%s-%dM", tc.kind, tc.n/1_000_000), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(7, uint64(tc.n)))
			before := heapInUse()
			data := genList(tc.kind, tc.n, rng)
			start := time.Now()
			bl := NewBuilder(time.Now())
			rep, err := bl.Load("gen", "gen.txt", data, FileOptions{Format: FormatList})
			if err != nil || rep.Skipped > 0 {
				b.Fatal(err, rep.Errors)
			}
			m := bl.Build()
			load := time.Since(start)
			data = nil // the text of the feed is garbage now; only the index stays
			mem := heapInUse() - before

			var misses []string
			for range 4096 {
				switch tc.kind {
				case "ip":
					misses = append(misses, fmt.Sprintf("%d.%d.%d.%d", 224+rng.IntN(16), rng.IntN(256), rng.IntN(256), rng.IntN(256)))
				case "domain":
					misses = append(misses, fmt.Sprintf("www.h%x.good%d.example", rng.Uint64(), rng.IntN(500)))
				case "sha256":
					misses = append(misses, fmt.Sprintf("%016x%016x%016x%016x", rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64()))
				}
			}
			var dst []event.IntelMatch
			ips := make([]netip.Addr, len(misses))
			for i, s := range misses {
				if tc.kind == "ip" {
					ips[i] = netip.MustParseAddr(s)
				}
			}
			// Random addresses from the whole unicast space: mostly misses, some land in a network.
			for i := range ips {
				if tc.kind == "ip" && i%2 == 0 {
					ips[i] = netip.AddrFrom4([4]byte{byte(rng.IntN(223) + 1), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
				}
			}
			n := 0
			for i := 0; b.Loop(); i++ {
				dst = dst[:0]
				switch tc.kind {
				case "ip":
					dst = m.AppendIP(dst, "src_ip", ips[i&4095], 0)
				case "domain":
					dst = m.AppendDomain(dst, "dns_query", misses[i&4095], 0)
				case "sha256":
					dst = m.AppendHash(dst, "file_hash", misses[i&4095], 0)
				}
				n += len(dst)
			}
			runtime.KeepAlive(m)
			// Reported after the loop: b.Loop resets metrics reported before it.
			b.ReportMetric(load.Seconds(), "load-s")
			b.ReportMetric(float64(mem)/float64(tc.n), "heap-B/indicator")
			b.ReportMetric(float64(mem)/(1<<20), "heap-MiB")
		})
	}
}

// BenchmarkIntelHit measures a lookup that matches (the match allocates the indicator text).
func BenchmarkIntelHit(b *testing.B) {
	bl := NewBuilder(time.Now())
	if _, err := bl.Load("gen", "gen.txt", []byte("45.148.10.81\nevil.example\n"), FileOptions{}); err != nil {
		b.Fatal(err)
	}
	m := bl.Build()
	a := netip.MustParseAddr("45.148.10.81")
	var dst []event.IntelMatch
	b.Run("ip", func(b *testing.B) {
		for b.Loop() {
			dst = m.AppendIP(dst[:0], "src_ip", a, 0)
		}
	})
	b.Run("domain", func(b *testing.B) {
		for b.Loop() {
			dst = m.AppendDomain(dst[:0], "dns_query", "a.b.evil.example", 0)
		}
	})
}
