//go:build duckdb_arrow

package cli

import (
	"flag"
	"io"

	"github.com/yagura-dev/yagura/internal/event"
)

type enrichOptions struct{}

type enricher interface {
	Enrich(*event.Event)
	Close() error
}

func enrichFlags(*flag.FlagSet) *enrichOptions { return &enrichOptions{} }

func (e *enrichOptions) open(io.Writer) (enricher, error) { return nil, nil }
