//go:build duckdb_arrow

package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/yagura-dev/yagura/internal/ingest"
	_ "github.com/yagura-dev/yagura/internal/parse/all"
	"github.com/yagura-dev/yagura/internal/store"
)

// BenchmarkIngestFile ingests $YAGURA_BENCH_FILE (a workload from bench/gen) end to end into a fresh
// store; b.N is the number of repetitions. Run with -cpuprofile to see where the time goes.
func BenchmarkIngestFile(b *testing.B) {
	file := os.Getenv("YAGURA_BENCH_FILE")
	if file == "" {
		b.Skip("set YAGURA_BENCH_FILE to a workload file (go run ./bench/gen …)")
	}
	for i := 0; i < b.N; i++ {
		st, err := store.Open(filepath.Join(b.TempDir(), "data"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		sum, err := ingest.Run(context.Background(), st, []string{file}, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Totals().Events)/sum.Elapsed.Seconds(), "events/s")
		_ = st.Close()
	}
}
