#!/usr/bin/env bash
# bench/ingest.sh — Yagura's ingest benchmark: generates CloudTrail, VPC flow and Cowrie workloads, then
# measures on the very same files, in one run on this machine: jq -c . (CloudTrail, Cowrie), DuckDB's own
# read_json_auto / read_csv (CREATE TABLE AS), and `yagura ingest` (wall, CPU, events/s, peak RSS, bytes on
# disk), plus group-by queries over the stored events (including one over >= 10M VPC flow rows).
# Results go to bench/out/results-<date>.md and stdout. See bench/README.md.
#
#   bench/ingest.sh            default run: CloudTrail 1 GiB, VPC flow 1 GiB, Cowrie 512 MiB (~10 min)
#   SMALL=1 bench/ingest.sh    quick run: ~50 MB each, 1M-row group-by
#   bench/ingest.sh deps       only install what the benchmark needs (GNU time, jq) with apt-get
#
# Environment: CT_SIZE VPC_SIZE COWRIE_SIZE (gen -size syntax: 1GiB, 50MB …), CT_FORMAT (jsonl|records),
# SEED (42), GROUPBY_ROWS (10000000; SMALL: 1000000), QUERY_RUNS (5), YAGURA (use this binary instead of
# building one), YAGURA_TAGS (build tags, default duckdb_arrow), SKIP_JQ=1, SKIP_DUCKDB=1, KEEP=1 (keep
# generated inputs and data directories under bench/out/work), INGEST_TIMEOUT (seconds per yagura ingest,
# 0 = none; a timeout fails the run), OUT (default bench/out).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/out}
WORK=$OUT/work
LOGS=$WORK/logs
BIN=$OUT/bin
SMALL=${SMALL:-0}
if [[ $SMALL == 1 ]]; then
	CT_SIZE=${CT_SIZE:-50MB} VPC_SIZE=${VPC_SIZE:-50MB} COWRIE_SIZE=${COWRIE_SIZE:-50MB}
	GROUPBY_ROWS=${GROUPBY_ROWS:-1000000}
else
	CT_SIZE=${CT_SIZE:-1GiB} VPC_SIZE=${VPC_SIZE:-1GiB} COWRIE_SIZE=${COWRIE_SIZE:-512MiB}
	GROUPBY_ROWS=${GROUPBY_ROWS:-10000000}
fi
CT_FORMAT=${CT_FORMAT:-jsonl}
SEED=${SEED:-42}
QUERY_RUNS=${QUERY_RUNS:-5}
YAGURA_TAGS=${YAGURA_TAGS-duckdb_arrow}
KEEP=${KEEP:-0}
SKIP_JQ=${SKIP_JQ:-0}
SKIP_DUCKDB=${SKIP_DUCKDB:-0}
INGEST_TIMEOUT=${INGEST_TIMEOUT:-0}
TIME=/usr/bin/time
TIMEOUT=()
[[ $INGEST_TIMEOUT != 0 ]] && TIMEOUT=(timeout "$INGEST_TIMEOUT")
STEP="start"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() {
	printf '\nbench: FAILED during "%s": %s\n' "$STEP" "$*" >&2
	exit 1
}

# show_log FILE: the tail of a step's log, for failure messages.
show_log() { [[ -s $1 ]] && { echo "--- last lines of $1:" >&2; tail -n 20 "$1" >&2; }; return 0; }

on_err() {
	local rc=$?
	printf '\nbench: FAILED during "%s" (exit %s, line %s)\n' "$STEP" "$rc" "${BASH_LINENO[0]}" >&2
	exit "$rc"
}
trap on_err ERR

cleanup() {
	if [[ $KEEP != 1 && -d $WORK ]]; then
		rm -rf "$WORK/data" "$WORK"/cloudtrail.* "$WORK"/vpcflow*.log "$WORK"/cowrie.json 2>/dev/null || true
	fi
}
trap cleanup EXIT

# deps installs GNU time and jq when missing (Debian packages "time" and "jq").
deps() {
	local need=()
	[[ -x $TIME ]] || need+=(time)
	command -v jq >/dev/null || need+=(jq)
	((${#need[@]} == 0)) && return 0
	log "installing ${need[*]} with apt-get"
	local sudo=()
	[[ $(id -u) == 0 ]] || sudo=(sudo)
	"${sudo[@]}" apt-get install -y "${need[@]}" >/dev/null ||
		{ "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y "${need[@]}" >/dev/null; } ||
		die "could not install ${need[*]}; install them by hand (apt-get install ${need[*]})"
}

if [[ ${1:-} == deps ]]; then
	deps
	exit 0
fi

# timed NAME CMD...: runs CMD under GNU time; stdout to $LOGS/NAME.out, stderr to $LOGS/NAME.err;
# sets T_WALL T_CPU T_RSS_MB. Fails the run with the log tail if CMD fails.
timed() {
	local name=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	if ! "$TIME" -o "$LOGS/$name.time" -f '%e %U %S %M' "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"; then
		show_log "$LOGS/$name.err"
		show_log "$LOGS/$name.out"
		die "command failed: $*"
	fi
	t1=$EPOCHREALTIME
	local wall user sys rss
	read -r wall user sys rss < <(tail -n 1 "$LOGS/$name.time")
	# GNU time's wall clock has 10 ms resolution; bash's clock is finer (queries take milliseconds).
	T_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
	T_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
	T_RSS_MB=$(awk -v k="$rss" 'BEGIN{printf "%.0f", k/1024}')
}

# calc EXPR: floating-point arithmetic with awk (prints "-" on division by zero).
calc() { awk "BEGIN{ x = ($1); printf \"%s\", x }" 2>/dev/null || echo "-"; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.0f}" 'BEGIN{ if (b+0 == 0 || a == "-" || b == "-") print "-"; else printf f, a/b }'; }

# stats: reads numbers on stdin, prints "min median".
stats() { sort -g | awk '{v[NR]=$1} END{ if (NR==0) {print "- -"; exit} m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.3f %.3f\n", v[1], m }'; }

mb() { awk -v b="$1" 'BEGIN{printf "%.1f", b/1e6}'; }

# yq NAME SQL: one `yagura query` on the data dir $DATA, CSV output to $LOGS/NAME.out.
yq() {
	local name=$1 sql=$2
	timed "$name" "$YAGURA" query --data "$DATA" --format csv "$sql"
}

# count_rows TABLE: stored rows according to yagura.
count_rows() {
	yq "count-$1" "select count(*) from $1"
	tail -n 1 "$LOGS/count-$1.out" | tr -d '\r"'
}

# query_runs NAME SQL: runs the query QUERY_RUNS times; sets Q_MIN Q_MED (seconds, wall, incl. start-up).
query_runs() {
	local name=$1 sql=$2 i
	: >"$LOGS/$name.walls"
	for ((i = 1; i <= QUERY_RUNS; i++)); do
		yq "$name-$i" "$sql"
		echo "$T_WALL" >>"$LOGS/$name.walls"
	done
	read -r Q_MIN Q_MED < <(stats <"$LOGS/$name.walls")
}

# ---------------------------------------------------------------------------------------------------------
STEP="preflight"
deps
for c in go awk du sort; do command -v "$c" >/dev/null || die "$c is required"; done
mkdir -p "$OUT" "$WORK" "$LOGS" "$BIN"
rm -rf "$WORK/data"
avail=$(df -Pk "$WORK" | awk 'NR==2{print $4*1024}')
log "free space under $WORK: $(mb "$avail") MB"

START_TS=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

STEP="build"
log "building gen, duckdbjson and yagura"
go build -o "$BIN/gen" ./bench/gen 2>"$LOGS/build-gen.err" || { show_log "$LOGS/build-gen.err"; die "go build ./bench/gen failed"; }
if [[ $SKIP_DUCKDB != 1 ]]; then
	go build -o "$BIN/duckdbjson" ./bench/duckdbjson 2>"$LOGS/build-duckdb.err" ||
		{ show_log "$LOGS/build-duckdb.err"; die "go build ./bench/duckdbjson failed (SKIP_DUCKDB=1 skips the DuckDB baseline)"; }
fi
if [[ -n ${YAGURA:-} ]]; then
	[[ -x $YAGURA ]] || die "YAGURA=$YAGURA is not an executable"
	log "using YAGURA=$YAGURA (not built)"
else
	YAGURA=$OUT/yagura
	go build ${YAGURA_TAGS:+-tags "$YAGURA_TAGS"} -o "$YAGURA" ./cmd/yagura 2>"$LOGS/build-yagura.err" ||
		{ show_log "$LOGS/build-yagura.err"; die "go build ./cmd/yagura failed"; }
fi

# gen NAME TYPE SIZE FORMAT [extra args]: writes $WORK/NAME, sets G_FILE G_EVENTS G_BYTES G_SEC.
gen() {
	local name=$1 typ=$2 size=$3 format=$4
	shift 4
	G_FILE=$WORK/$name
	STEP="generate $name"
	local args=(-type "$typ" -seed "$SEED" -format "$format" -o "$G_FILE")
	[[ -n $size ]] && args+=(-size "$size")
	"$BIN/gen" "${args[@]}" "$@" 2>"$LOGS/gen-$name.err" || { show_log "$LOGS/gen-$name.err"; die "generator failed"; }
	# gen: cloudtrail 732939 events, 1073742384 bytes uncompressed, 9.31 s, 115 MB/s, 78764 events/s
	read -r G_EVENTS G_BYTES G_SEC < <(awk '/^gen:/{print $3, $5, $8}' "$LOGS/gen-$name.err")
	[[ -n ${G_EVENTS:-} ]] || die "cannot read the generator summary"
	log "generated $name: $G_EVENTS events, $(mb "$G_BYTES") MB in ${G_SEC}s"
}

ROWS=() # markdown rows of the main table
NOTES=()
add_row() { ROWS+=("| $* |"); }

# measure_yagura WORKLOAD TABLE FILE EVENTS BYTES: ingest into a fresh data dir; sets Y_* variables.
measure_yagura() {
	local w=$1 table=$2 file=$3 events=$4 bytes=$5
	DATA=$WORK/data/$w
	rm -rf "$DATA"
	mkdir -p "$WORK/data"
	STEP="yagura ingest $w"
	log "yagura ingest $w"
	timed "ingest-$w" "${TIMEOUT[@]}" "$YAGURA" ingest --data "$DATA" "$file"
	Y_WALL=$T_WALL Y_CPU=$T_CPU Y_RSS=$T_RSS_MB
	Y_EPS=$(div "$events" "$Y_WALL")
	Y_EPCPU=$(div "$events" "$Y_CPU")
	Y_DISK=$(du -sb "$DATA" | awk '{print $1}')
	Y_DISKRATIO=$(div "$bytes" "$Y_DISK" "%.1f")
	STEP="yagura count $w"
	Y_ROWS=$(count_rows "$table")
	[[ $Y_ROWS =~ ^[0-9]+$ ]] || die "select count(*) from $table did not return a number (got: $Y_ROWS)"
	if [[ $Y_ROWS != "$events" ]]; then
		NOTES+=("WARNING: $w: yagura stored $Y_ROWS rows in $table, the generator wrote $events events.")
		log "WARNING: $table has $Y_ROWS rows, expected $events"
	fi
	{
		echo "### yagura ingest summary ($w)"
		echo '```'
		cat "$LOGS/ingest-$w.out"
		echo '```'
	} >>"$WORK/summaries.md"
}

# measure_jq WORKLOAD FILE EVENTS BYTES: sets J_* (or "-" when skipped).
measure_jq() {
	J_WALL=- J_CPU=- J_RSS=- J_EPS=- J_EPCPU=-
	[[ $SKIP_JQ == 1 ]] && return 0
	STEP="jq $1"
	log "jq -c . $1"
	timed "jq-$1" jq -c . "$2"
	J_WALL=$T_WALL J_CPU=$T_CPU J_RSS=$T_RSS_MB
	J_EPS=$(div "$3" "$J_WALL")
	J_EPCPU=$(div "$3" "$J_CPU")
}

# measure_duckdb WORKLOAD EVENTS CTAS-SQL GROUPBY-SQL: CREATE TABLE AS, then the group-by 3 times on the
# in-memory table; sets D_*.
measure_duckdb() {
	D_WALL=- D_CPU=- D_RSS=- D_EPS=- D_EPCPU=- D_Q=-
	[[ $SKIP_DUCKDB == 1 ]] && return 0
	local w=$1 events=$2 ctas=$3 q=$4
	STEP="duckdb $w"
	log "DuckDB CREATE TABLE AS ($w)"
	timed "duckdb-$w" "$BIN/duckdbjson" -tsv -q "$ctas" -q "$q" -q "$q" -q "$q"
	# The load alone (first statement) is the baseline; process wall/CPU include the 3 queries (small).
	D_WALL=$(awk 'NR==1{printf "%.2f", $1}' "$LOGS/duckdb-$w.out")
	D_CPU=$T_CPU D_RSS=$T_RSS_MB
	D_EPS=$(div "$events" "$D_WALL")
	D_EPCPU=$(div "$events" "$D_CPU")
	D_Q=$(awk 'NR>1{print $1}' "$LOGS/duckdb-$w.out" | stats | awk '{print $1}')
}

# row TOOL WALL CPU EPS EPCPU BYTES EVENTS RSS: one line of the main table.
tool_row() {
	local w=$1 tool=$2 wall=$3 cpu=$4 eps=$5 epcpu=$6 bytes=$7 rss=$8 ratio=$9 ratiocpu=${10}
	local mbs=-
	[[ $wall != - ]] && mbs=$(div "$bytes" "$(calc "$wall*1e6")" "%.0f")
	add_row "$w | $tool | $wall | $cpu | $eps | $epcpu | $mbs | $rss | $ratio | $ratiocpu"
}

# ---------------------------------------------------------------------------------------------------------
: >"$WORK/summaries.md"
declare -A R # results for the goals table

# CloudTrail ----------------------------------------------------------------------------------------------
gen "cloudtrail.$CT_FORMAT" cloudtrail "$CT_SIZE" "$CT_FORMAT"
CT_FILE=$G_FILE CT_EVENTS=$G_EVENTS CT_BYTES=$G_BYTES GEN_CT_RATE=$(div "$G_BYTES" "$(calc "$G_SEC*1e6")")
measure_jq cloudtrail "$CT_FILE" "$CT_EVENTS" "$CT_BYTES"
if [[ $CT_FORMAT == records ]]; then
	ct_ctas="CREATE TABLE t AS SELECT unnest(Records, max_depth := 2) FROM read_json_auto('$CT_FILE')"
else
	ct_ctas="CREATE TABLE t AS SELECT * FROM read_json_auto('$CT_FILE')"
fi
measure_duckdb cloudtrail "$CT_EVENTS" "$ct_ctas" "select eventName, count(*) from t group by 1 order by 2 desc limit 10"
measure_yagura cloudtrail cloudtrail "$CT_FILE" "$CT_EVENTS" "$CT_BYTES"
STEP="query cloudtrail"
log "group-by over cloudtrail x$QUERY_RUNS"
query_runs q-ct "select eventName, count(*) from cloudtrail group by 1 order by 2 desc limit 10"
cp "$LOGS/q-ct-1.out" "$WORK/q-ct.csv"
CT_Q_MIN=$Q_MIN CT_Q_MED=$Q_MED
ct_label="CloudTrail ($CT_FORMAT, $(mb "$CT_BYTES") MB, $CT_EVENTS ev)"
tool_row "$ct_label" "jq -c ." "$J_WALL" "$J_CPU" "$J_EPS" "$J_EPCPU" "$CT_BYTES" "$J_RSS" "$(div "$Y_EPS" "$J_EPS" "%.1f×")" "$(div "$Y_EPCPU" "$J_EPCPU" "%.1f×")"
tool_row "" "DuckDB read_json_auto → table" "$D_WALL" "$D_CPU" "$D_EPS" "$D_EPCPU" "$CT_BYTES" "$D_RSS" "$(div "$Y_EPS" "$D_EPS" "%.1f×")" "$(div "$Y_EPCPU" "$D_EPCPU" "%.1f×")"
tool_row "" "**yagura ingest**" "$Y_WALL" "$Y_CPU" "$Y_EPS" "$Y_EPCPU" "$CT_BYTES" "$Y_RSS" "1×" "1×"
R[ct_eps]=$Y_EPS R[ct_jq]=$(div "$Y_EPS" "$J_EPS" "%.1f") R[ct_jq_cpu]=$(div "$Y_EPCPU" "$J_EPCPU" "%.1f")
R[ct_duck]=$(div "$Y_EPS" "$D_EPS" "%.1f") R[ct_disk]=$Y_DISKRATIO R[ct_diskb]=$Y_DISK R[ct_rss]=$Y_RSS
R[ct_rows]=$Y_ROWS R[ct_duck_q]=$D_Q R[ct_jq_eps]=$J_EPS R[ct_duck_eps]=$D_EPS
[[ $KEEP == 1 ]] || rm -f "$CT_FILE"

# VPC flow ------------------------------------------------------------------------------------------------
gen vpcflow.log vpcflow "$VPC_SIZE" jsonl
VPC_FILE=$G_FILE VPC_EVENTS=$G_EVENTS VPC_BYTES=$G_BYTES GEN_VPC_RATE=$(div "$G_BYTES" "$(calc "$G_SEC*1e6")")
measure_duckdb vpcflow "$VPC_EVENTS" \
	"CREATE TABLE t AS SELECT * FROM read_csv('$VPC_FILE', delim=' ', header=true, nullstr='-')" \
	"select dstport, count(*) from t group by 1 order by 2 desc limit 10"
measure_yagura vpcflow vpcflow "$VPC_FILE" "$VPC_EVENTS" "$VPC_BYTES"
vpc_label="VPC flow ($(mb "$VPC_BYTES") MB, $VPC_EVENTS rec)"
tool_row "$vpc_label" "DuckDB read_csv → table" "$D_WALL" "$D_CPU" "$D_EPS" "$D_EPCPU" "$VPC_BYTES" "$D_RSS" "$(div "$Y_EPS" "$D_EPS" "%.1f×")" "$(div "$Y_EPCPU" "$D_EPCPU" "%.1f×")"
tool_row "" "**yagura ingest**" "$Y_WALL" "$Y_CPU" "$Y_EPS" "$Y_EPCPU" "$VPC_BYTES" "$Y_RSS" "1×" "1×"
R[vpc_eps]=$Y_EPS R[vpc_duck]=$(div "$Y_EPS" "$D_EPS" "%.1f") R[vpc_disk]=$Y_DISKRATIO R[vpc_diskb]=$Y_DISK
R[vpc_rss]=$Y_RSS R[vpc_rows]=$Y_ROWS R[vpc_duck_q]=$D_Q R[vpc_duck_eps]=$D_EPS
[[ $KEEP == 1 ]] || rm -f "$VPC_FILE"

# Top up to GROUPBY_ROWS flow records (a second file, appended to the same store), then the big group-by.
VPC_DATA=$DATA
if ((Y_ROWS < GROUPBY_ROWS)); then
	need=$((GROUPBY_ROWS - Y_ROWS))
	SEED_SAVE=$SEED
	SEED=$((SEED + 1))
	gen vpcflow-topup.log vpcflow "" jsonl -events "$need"
	SEED=$SEED_SAVE
	STEP="yagura ingest vpcflow top-up"
	log "yagura ingest vpcflow top-up ($need records, appended)"
	timed ingest-vpc-topup "${TIMEOUT[@]}" "$YAGURA" ingest --data "$VPC_DATA" "$G_FILE"
	add_row " | yagura ingest, append to existing store | $T_WALL | $T_CPU | $(div "$G_EVENTS" "$T_WALL") | $(div "$G_EVENTS" "$T_CPU") | $(div "$G_BYTES" "$(calc "$T_WALL*1e6")") | $T_RSS_MB | | "
	[[ $KEEP == 1 ]] || rm -f "$G_FILE"
fi
DATA=$VPC_DATA
STEP="query vpcflow"
BIG_ROWS=$(count_rows vpcflow)
log "group-by over $BIG_ROWS vpcflow rows x$QUERY_RUNS"
query_runs q-vpc "select dstport, count(*) from vpcflow group by 1 order by 2 desc limit 10"
cp "$LOGS/q-vpc-1.out" "$WORK/q-vpc.csv"
VPC_Q_MIN=$Q_MIN VPC_Q_MED=$Q_MED
R[vpc_total_disk]=$(du -sb "$VPC_DATA" | awk '{print $1}')
NOTES+=("VPC flow store holding $BIG_ROWS rows (after the top-up): ${R[vpc_total_disk]} bytes on disk.")
[[ $KEEP == 1 ]] || rm -rf "$VPC_DATA"

# Cowrie --------------------------------------------------------------------------------------------------
gen cowrie.json cowrie "$COWRIE_SIZE" jsonl
CW_FILE=$G_FILE CW_EVENTS=$G_EVENTS CW_BYTES=$G_BYTES GEN_CW_RATE=$(div "$G_BYTES" "$(calc "$G_SEC*1e6")")
measure_jq cowrie "$CW_FILE" "$CW_EVENTS" "$CW_BYTES"
measure_duckdb cowrie "$CW_EVENTS" "CREATE TABLE t AS SELECT * FROM read_json_auto('$CW_FILE')" \
	"select eventid, count(*) from t group by 1 order by 2 desc"
measure_yagura cowrie cowrie "$CW_FILE" "$CW_EVENTS" "$CW_BYTES"
STEP="query cowrie"
query_runs q-cw "select eventid, count(*) from cowrie group by 1 order by 2 desc"
CW_Q_MIN=$Q_MIN CW_Q_MED=$Q_MED
cw_label="Cowrie ($(mb "$CW_BYTES") MB, $CW_EVENTS ev)"
tool_row "$cw_label" "jq -c ." "$J_WALL" "$J_CPU" "$J_EPS" "$J_EPCPU" "$CW_BYTES" "$J_RSS" "$(div "$Y_EPS" "$J_EPS" "%.1f×")" "$(div "$Y_EPCPU" "$J_EPCPU" "%.1f×")"
tool_row "" "DuckDB read_json_auto → table" "$D_WALL" "$D_CPU" "$D_EPS" "$D_EPCPU" "$CW_BYTES" "$D_RSS" "$(div "$Y_EPS" "$D_EPS" "%.1f×")" "$(div "$Y_EPCPU" "$D_EPCPU" "%.1f×")"
tool_row "" "**yagura ingest**" "$Y_WALL" "$Y_CPU" "$Y_EPS" "$Y_EPCPU" "$CW_BYTES" "$Y_RSS" "1×" "1×"
R[cw_disk]=$Y_DISKRATIO R[cw_diskb]=$Y_DISK R[cw_duck_q]=$D_Q R[cw_rows]=$Y_ROWS
[[ $KEEP == 1 ]] || rm -rf "$CW_FILE" "$DATA"

# Report --------------------------------------------------------------------------------------------------
STEP="report"
END_TS=$(date +%s)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
DATE=$(date +%Y-%m-%d-%H%M%S)
RESULT=$OUT/results-$DATE.md

# verdict VALUE OP LIMIT: PASS/FAIL/n/a
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN{ if (v == "-" || v == "") {print "n/a"; exit}
	ok = (op == ">=") ? (v+0 >= l+0) : (v+0 < l+0); print ok ? "PASS" : "FAIL" }'; }

{
	echo "# Yagura ingest benchmark — $DATE"
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); $(go version | awk '{print $3}'); jq $(jq --version 2>/dev/null | sed 's/^jq-//'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (dirty tree)')."
	echo "Load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END. Run took $(((END_TS - START_TS) / 60)) min $(((END_TS - START_TS) % 60)) s."
	echo "Mode: $([[ $SMALL == 1 ]] && echo SMALL || echo default), seed $SEED. Every tool read the same file from the page cache, one after the other."
	echo
	echo "## Ingest"
	echo
	echo "events/s = events in the file ÷ wall seconds; ev/CPU-s = events ÷ (user+sys) seconds, the figure that noise on a shared"
	echo "machine disturbs least. Ratio = yagura's rate ÷ that tool's rate (wall; CPU). DuckDB's wall time is its CREATE TABLE AS"
	echo "statement; its CPU and RSS are for the whole process. MB/s counts uncompressed input bytes."
	echo
	echo "| Workload | Tool | Wall s | CPU s | events/s | ev/CPU-s | MB/s | Peak RSS MB | yagura ÷ tool (wall) | yagura ÷ tool (CPU) |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "## Storage and queries"
	echo
	echo "| Workload | Raw bytes | yagura bytes on disk (du -sb) | Raw ÷ disk | Stored rows | Query | yagura min / median s ($QUERY_RUNS runs, incl. process start) | DuckDB in-memory table, min s |"
	echo "|---|---:|---:|---:|---:|---|---:|---:|"
	echo "| CloudTrail | $CT_BYTES | ${R[ct_diskb]} | ${R[ct_disk]}× | ${R[ct_rows]} | \`select eventName, count(*) from cloudtrail group by 1 order by 2 desc limit 10\` | $CT_Q_MIN / $CT_Q_MED | ${R[ct_duck_q]} |"
	echo "| VPC flow | $VPC_BYTES | ${R[vpc_diskb]} | ${R[vpc_disk]}× | $BIG_ROWS | \`select dstport, count(*) from vpcflow group by 1 order by 2 desc limit 10\` | $VPC_Q_MIN / $VPC_Q_MED | ${R[vpc_duck_q]} ($VPC_EVENTS rows) |"
	echo "| Cowrie | $CW_BYTES | ${R[cw_diskb]} | ${R[cw_disk]}× | ${R[cw_rows]} | \`select eventid, count(*) from cowrie group by 1 order by 2 desc\` | $CW_Q_MIN / $CW_Q_MED | ${R[cw_duck_q]} |"
	echo
	echo "## Goals"
	echo
	echo "| Goal | Measured | Verdict |"
	echo "|---|---:|---|"
	echo "| CloudTrail end-to-end ≥ 100k events/s | ${R[ct_eps]} | $(verdict "${R[ct_eps]}" '>=' 100000) |"
	echo "| CloudTrail ≥ 5× \`jq -c .\` (wall; CPU-normalized in parentheses) | ${R[ct_jq]}× (${R[ct_jq_cpu]}×) | $(verdict "${R[ct_jq]}" '>=' 5) |"
	echo "| VPC flow ≥ 500k records/s | ${R[vpc_eps]} | $(verdict "${R[vpc_eps]}" '>=' 500000) |"
	echo "| Bytes on disk ≤ 1/10 of raw, CloudTrail | ${R[ct_disk]}× smaller | $(verdict "${R[ct_disk]}" '>=' 10) |"
	echo "| Bytes on disk ≤ 1/10 of raw, VPC flow | ${R[vpc_disk]}× smaller | $(verdict "${R[vpc_disk]}" '>=' 10) |"
	echo "| Bytes on disk ≤ 1/10 of raw, Cowrie | ${R[cw_disk]}× smaller | $(verdict "${R[cw_disk]}" '>=' 10) |"
	echo "| Peak RSS < 1 GB ingesting CloudTrail ($(mb "$CT_BYTES") MB file; the goal is stated for 2 GB) | ${R[ct_rss]} MB | $(verdict "${R[ct_rss]}" '<' 1000) |"
	echo "| Group-by over $BIG_ROWS stored events well under 1 s (median, incl. process start) | $VPC_Q_MED s | $(verdict "$VPC_Q_MED" '<' 1) |"
	echo
	echo "Baselines on these files: jq $(printf %s "${R[ct_jq_eps]}") CloudTrail events/s; DuckDB read_json_auto $(printf %s "${R[ct_duck_eps]}") CloudTrail events/s, read_csv ${R[vpc_duck_eps]} VPC records/s."
	echo "Generator: CloudTrail $GEN_CT_RATE MB/s, VPC flow $GEN_VPC_RATE MB/s, Cowrie $GEN_CW_RATE MB/s."
	if ((${#NOTES[@]})); then
		echo
		printf -- '- %s\n' "${NOTES[@]}"
	fi
	echo
	echo "## Query answers (first run)"
	echo
	echo '```'
	echo "-- cloudtrail"
	cat "$WORK/q-ct.csv"
	echo "-- vpcflow"
	cat "$WORK/q-vpc.csv"
	echo '```'
	echo
	cat "$WORK/summaries.md"
} >"$RESULT"

cat "$RESULT"
log "results written to $RESULT"
