#!/usr/bin/env bash
# Runs every Fuzz target in the module for the given time each (default 60s).
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-60s}
export GOFLAGS=-tags=duckdb_arrow
grep -rl --include='*_test.go' '^func Fuzz' internal | xargs -n1 dirname | sort -u | while read -r dir; do
  for fn in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
    echo "== $dir $fn ($time)"
    go test -run='^$' -fuzz="^${fn}\$" -fuzztime="$time" "./$dir"
  done
done
