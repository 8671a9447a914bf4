#!/usr/bin/env bash
# The same N-row result data (default 1M) in SQLite and in DuckDB, side by side in one run:
#   xv list and xv diff --rows (whole rows; KEY=input_id to diff by a key) on DuckDB against the
#   SQLite path (targets ≤ 1.5x);
#   xv merge into a DuckDB target against a hand-typed DuckDB INSERT … SELECT of the same rows
#   (target ≤ 1.3x), plus the cross-engine merges (SQLite → DuckDB, DuckDB → SQLite) for reference.
# RUNS (default 2) runs of each, the median printed, with the machine's load (uptime).
source "$(dirname "$0")/lib.sh"
N=${N:-1000000}
RUNS=${RUNS:-2}
KEY=${KEY:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_repo() { # $1 = dir, $2 = db file name
  mkdir -p "$1/results" && cd "$1"
  git init -q -b main && printf 'db: results/%s\ntable: metrics\nartifacts: []\n' "$2" > xv.yaml
  git add xv.yaml && git commit -qm init
}
# DuckDB data: metrics (one row per run) with N rows over 100 versions.
gen_duck() {
  node --input-type=module -e "
const {DuckDBInstance} = await import('$BENCH_ROOT/node_modules/@duckdb/node-api/lib/index.js')
const i = await DuckDBInstance.create(process.argv[1]); const c = await i.connect()
await c.run(\`CREATE TABLE metrics AS SELECT 'run' || r AS track_id, 'e0.' || (r % 100) || '.0' AS version, r AS input_id,
  CASE WHEN r % 2 = 0 THEN 'cnn' ELSE 'bert' END AS model, 0.5 + (r % 500) / 1000.0 AS f1, 0.3 + (r % 70) / 100.0 AS loss FROM range($N) t(r)\`)
await c.run('CHECKPOINT'); c.closeSync(); i.closeSync()" "$1"
}
gen_sqlite() {
  sqlite3 "$1" "CREATE TABLE metrics(track_id TEXT, version TEXT, input_id INTEGER, model TEXT, f1 REAL, loss REAL);
  WITH RECURSIVE s(r) AS (SELECT 0 UNION ALL SELECT r+1 FROM s WHERE r < $N - 1)
  INSERT INTO metrics SELECT 'run'||r, 'e0.'||(r%100)||'.0', r, CASE WHEN r%2=0 THEN 'cnn' ELSE 'bert' END, 0.5+(r%500)/1000.0, 0.3+(r%70)/100.0 FROM s;"
}
for kind in sqlite duckdb; do
  file=experiments.$([ $kind = duckdb ] && echo duckdb || echo db)
  ( make_repo "$work/$kind" "$file"
    if [ $kind = duckdb ]; then gen_duck results/$file; else gen_sqlite results/$file; fi
    git add -f results/$file && git commit -qm data && git tag -a e0.1.0 -m base
    git tag -a e0.2.0 -m next )
done
# Change 1% of rows of e0.99.0 in the working copy of each.
sqlite3 "$work/sqlite/results/experiments.db" "UPDATE metrics SET f1 = f1 + 0.01 WHERE input_id % 100 = 0"
node --input-type=module -e "
const {DuckDBInstance} = await import('$BENCH_ROOT/node_modules/@duckdb/node-api/lib/index.js')
const i = await DuckDBInstance.create(process.argv[1]); const c = await i.connect()
await c.run('UPDATE metrics SET f1 = f1 + 0.01 WHERE input_id % 100 = 0'); await c.run('CHECKPOINT'); c.closeSync(); i.closeSync()" "$work/duckdb/results/experiments.duckdb"

declare -A T
for kind in sqlite duckdb; do
  cd "$work/$kind"
  l=(); d=()
  for _ in $(seq "$RUNS"); do
    l+=("$(time_of xv list --json)")
    d+=("$(time_of xv diff e0.1.0 workspace --rows ${KEY:+--key "$KEY"} --json)")
  done
  T[list_$kind]=$(median "${l[@]}"); T[diff_$kind]=$(median "${d[@]}")
done
# merge into a DuckDB target (an empty metrics table) vs the same rows by a hand-typed DuckDB
# INSERT … SELECT: there is no duckdb CLI here, so the baseline is what a user types into
# `node -e` — require('@duckdb/node-api') (CommonJS, its fastest load), ATTACH, the same anti-join
# on track_id, CHECKPOINT. Wall and CPU (user + sys) time of each, as "WALL CPU" pairs.
cat > "$work/duck-sql.cjs" <<'JS'
const {DuckDBInstance} = require('@duckdb/node-api');
(async () => { const i = await DuckDBInstance.create(process.argv[2]); const c = await i.connect()
await c.run(process.argv[3]); await c.run('CHECKPOINT'); c.closeSync(); i.closeSync() })()
JS
export NODE_PATH="$BENCH_ROOT/node_modules"
duck_sql() { node "$work/duck-sql.cjs" "$@"; } # $1 = database, $2 = SQL
SCHEMA='CREATE TABLE metrics(track_id VARCHAR, version VARCHAR, input_id BIGINT, model VARCHAR, f1 DOUBLE, loss DOUBLE)'
SRC_DUCK="$work/duckdb/results/experiments.duckdb"
SRC_LITE="$work/sqlite/results/experiments.db"
cd "$work/duckdb"
m=(); h=(); x=(); y=()
for _ in $(seq "$RUNS"); do
  rm -f into.duckdb* hand.duckdb* cross.duckdb* into.db
  duck_sql into.duckdb "$SCHEMA"; duck_sql hand.duckdb "$SCHEMA"; duck_sql cross.duckdb "$SCHEMA"
  m+=("$(times_of node "$XV_BIN" merge "$SRC_DUCK" --into into.duckdb --table metrics)")
  h+=("$(times_of node "$work/duck-sql.cjs" hand.duckdb "ATTACH '$SRC_DUCK' AS s (READ_ONLY); INSERT INTO metrics SELECT * FROM s.metrics AS r WHERE NOT EXISTS (SELECT 1 FROM metrics AS t WHERE t.track_id = r.track_id)")")
  x+=("$(times_of node "$XV_BIN" merge "$SRC_LITE" --into cross.duckdb --table metrics)")
  y+=("$(times_of node "$XV_BIN" merge "$SRC_DUCK" --into into.db --table metrics)")
done
for f in into.duckdb hand.duckdb cross.duckdb; do
  n=$(node --input-type=module -e "
const {DuckDBInstance} = await import('$BENCH_ROOT/node_modules/@duckdb/node-api/lib/index.js')
const i = await DuckDBInstance.create(process.argv[1], {access_mode: 'READ_ONLY'}); const c = await i.connect()
console.log(String((await c.runAndReadAll('SELECT count(*) FROM metrics')).getRows()[0][0]))" "$f")
  [ "$n" = "$N" ] || { echo "merge into $f copied $n rows, not $N" >&2; exit 1; }
done
[ "$(sqlite3 into.db 'SELECT count(*) FROM metrics')" = "$N" ] || { echo "merge into into.db copied the wrong number of rows" >&2; exit 1; }
M=$(median_of 1 "${m[@]}"); H=$(median_of 1 "${h[@]}"); X=$(median_of 1 "${x[@]}"); Y=$(median_of 1 "${y[@]}")
MC=$(median_of 2 "${m[@]}"); HC=$(median_of 2 "${h[@]}"); XC=$(median_of 2 "${x[@]}"); YC=$(median_of 2 "${y[@]}")
echo "DuckDB vs SQLite result databases, $N rows (median of $RUNS); load: $(uptime | sed 's/.*load average: //')"
echo "  xv list --json        : sqlite $(fmt "${T[list_sqlite]}") s, duckdb $(fmt "${T[list_duckdb]}") s, ratio $(ratio "${T[list_duckdb]}" "${T[list_sqlite]}")x (target ≤ 1.5x)"
echo "  xv diff --rows${KEY:+ --key $KEY} : sqlite $(fmt "${T[diff_sqlite]}") s, duckdb $(fmt "${T[diff_duckdb]}") s, ratio $(ratio "${T[diff_duckdb]}" "${T[diff_sqlite]}")x (target ≤ 1.5x)"
echo "  xv merge duckdb→duckdb: wall $(fmt "$M") s, cpu $(fmt "$MC") s; hand-typed DuckDB INSERT … SELECT wall $(fmt "$H") s, cpu $(fmt "$HC") s"
echo "                          ratio wall $(ratio "$M" "$H")x, cpu $(ratio "$MC" "$HC")x (target ≤ 1.3x)"
echo "  xv merge sqlite→duckdb: wall $(fmt "$X") s, cpu $(fmt "$XC") s (rows streamed through xv); duckdb→sqlite: wall $(fmt "$Y") s, cpu $(fmt "$YC") s"
