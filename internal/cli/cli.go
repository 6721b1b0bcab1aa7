//go:build duckdb_arrow

// Package cli implements yagura's subcommands. Each command parses its own flags and calls into the
// internal packages; exit codes are 0 (done), 1 (fatal error, one line on stderr) and 2 (usage).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Stdio is where a command reads and writes.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Version is set at link time (-X github.com/yagura-dev/yagura/internal/cli.Version=…).
var Version = "dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io Stdio) error
}

var commands = []command{
	{"ingest", "read log files, folders or stdin into the data directory", runIngest},
	{"query", "run a read-only SQL query over the stored events", runQuery},
	{"types", "list the log types yagura parses, with their columns", runTypes},
	{"version", "print version information", runVersion},
}

// errUsage marks a usage error (exit code 2); the flag package has already printed the details.
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// Run runs one command line and returns the process exit code.
func Run(ctx context.Context, args []string, stdio Stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			args = []string{args[1], "--help"}
		} else {
			usage(stdio.Err)
			if len(args) == 0 {
				return 2
			}
			return 0
		}
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdio)
		var ue usageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		case errors.As(err, &ue):
			fmt.Fprintf(stdio.Err, "yagura %s: %s\n", c.name, ue.msg)
			return 2
		default:
			fmt.Fprintf(stdio.Err, "yagura %s: %s\n", c.name, oneLine(err.Error()))
			return 1
		}
	}
	fmt.Fprintf(stdio.Err, "yagura: unknown command %q\n\n", args[0])
	usage(stdio.Err)
	return 2
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Yagura — security log analytics and threat detection in one binary.")
	fmt.Fprintln(w, "\nUsage: yagura <command> [flags] [arguments]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'yagura <command> --help' for a command's flags.")
}

// newFlags returns a flag set that prints its usage to stderr and reports errors as usage errors.
func newFlags(name, synopsis string, stdio Stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdio.Err)
	fs.Usage = func() {
		fmt.Fprintf(stdio.Err, "Usage: yagura %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	// Flags may follow positional arguments (yagura ingest logs/ --data ./data).
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
		if pos[len(pos)-1] == "--" {
			pos = append(pos[:len(pos)-1], args...)
			break
		}
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func runVersion(_ context.Context, args []string, stdio Stdio) error {
	fs := newFlags("version", "", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v, goVersion := Version, ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if v == "dev" && rev != "" {
			v = "dev+" + rev[:min(12, len(rev))] + dirty
		}
	}
	fmt.Fprintf(stdio.Out, "yagura %s (%s)\n", v, goVersion)
	return nil
}

// defaultDataDir is where data lives unless --data says otherwise.
func defaultDataDir() string {
	if d := os.Getenv("YAGURA_DATA"); d != "" {
		return d
	}
	return "data"
}
