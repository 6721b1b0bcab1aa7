#!/usr/bin/env bash
# The main job on embedded defaults, for a newcomer: make a realistic demo data set (an internet-facing
# Cowrie honeypot, an AWS account's CloudTrail and VPC flow logs, plus a sample of every other log type
# from the parsers' test data), ingest it into a data directory and ask it a few questions.
# Usage: scripts/demo.sh [BIN] [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/yagura}
data=${2:-data/demo}
export GOFLAGS=-tags=duckdb_arrow
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== generating demo logs in $logs"
go run ./bench/gen -q -type cowrie -events 200000 -seed 7 -o "$logs/cowrie.json"
go run ./bench/gen -q -type cloudtrail -format records.gz -events 100000 -seed 7 -o "$logs/cloudtrail.json.gz"
go run ./bench/gen -q -type vpcflow -events 300000 -seed 7 -o "$logs/vpcflow.log"
mkdir -p "$logs/samples"
for d in internal/parse/*/testdata; do
  t=$(basename "$(dirname "$d")")
  for f in "$d"/*; do
    [ -f "$f" ] || continue
    case "$f" in *.golden|*.md) continue ;; esac
    cp "$f" "$logs/samples/$t-$(basename "$f")"
  done
done

echo "== yagura ingest --data $data $logs"
"$bin" ingest --data "$data" "$logs"

q() { echo; echo "-- $1"; "$bin" query --data "$data" "$2"; }
q "Events per log type" "select log_type, count(*) as events, min(time) as first, max(time) as last from events group by 1 order by 2 desc"
q "Honeypot: where attacks come from" "select coalesce(src_country, '?') as country, count(*) as events, count(distinct src_ip) as addresses from cowrie group by 1 order by 2 desc limit 10"
q "Honeypot: most tried credentials" "select username, password, count(*) as tries from cowrie where eventid = 'cowrie.login.failed' group by all order by tries desc limit 10"
q "Honeypot: commands run after a successful login" "select input, count(*) as n from cowrie where eventid = 'cowrie.command.input' group by 1 order by 2 desc limit 10"
q "CloudTrail: failed calls by principal" "select actor_user, eventName, errorCode, count(*) as n from cloudtrail where outcome = 'failure' group by all order by n desc limit 10"
q "VPC flow: top rejected sources and ports" "select src_ip, dst_port, count(*) as rejects from vpcflow where action = 'REJECT' group by all order by rejects desc limit 10"
q "Dead letters (records that could not be parsed, kept with the reason)" "select source, line, reason from dead_letters limit 10"
echo
echo "The data is in $data. Ask your own questions with:"
echo "  $bin query --data $data \"select ... from events ...\"   (tables: see docs/log-types.md)"
