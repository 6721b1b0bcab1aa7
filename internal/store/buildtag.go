//go:build !duckdb_arrow

// Package store needs the duckdb_arrow build tag, which turns on the Arrow interface of the DuckDB
// driver that the store writes through. Build with `make`, or pass `-tags duckdb_arrow` to go build
// and go test (the Makefile sets GOFLAGS for you).
package store

// The undefined name below stops a build without the tag with a message that says what to do.
var _ = build_with_tags_duckdb_arrow_see_Makefile
