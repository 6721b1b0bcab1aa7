// Command yagura is Yagura's single binary: ingest, query, and (as they land) serve and hunt.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/yagura-dev/yagura/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
