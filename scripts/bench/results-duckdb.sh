#!/usr/bin/env bash
# The same N-row result data (default 1M) in SQLite and in DuckDB, side by side in one run:
#   xv list and xv diff --rows on DuckDB against the SQLite path (targets ≤ 1.5x);
#   xv merge of a DuckDB source against a hand-typed INSERT … SELECT (sqlite3 CLI, SQLite target).
source "$(dirname "$0")/lib.sh"
N=${N:-1000000}
RUNS=${RUNS:-3}
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
    d+=("$(time_of xv diff e0.1.0 workspace --rows --key input_id --json)")
  done
  T[list_$kind]=$(median "${l[@]}"); T[diff_$kind]=$(median "${d[@]}")
done
# merge: a DuckDB source into an SQLite target vs the same rows by hand (sqlite3 CLI, SQLite source).
cd "$work/sqlite"
m=(); h=()
for _ in $(seq "$RUNS"); do
  rm -f into.db hand.db
  sqlite3 into.db "CREATE TABLE metrics(track_id TEXT, version TEXT, input_id INTEGER, model TEXT, f1 REAL, loss REAL)"
  cp into.db hand.db
  m+=("$(time_of xv merge "$work/duckdb/results/experiments.duckdb" --into into.db --table metrics)")
  h+=("$(time_of sqlite3 hand.db "ATTACH '$work/sqlite/results/experiments.db' AS s; INSERT INTO metrics SELECT * FROM s.metrics;")")
done
[ "$(sqlite3 into.db 'SELECT count(*) FROM metrics')" = "$N" ] || { echo "merge copied the wrong number of rows" >&2; exit 1; }
M=$(median "${m[@]}"); H=$(median "${h[@]}")
echo "DuckDB vs SQLite result databases, $N rows (median of $RUNS)"
echo "  xv list --json        : sqlite $(fmt "${T[list_sqlite]}") s, duckdb $(fmt "${T[list_duckdb]}") s, ratio $(ratio "${T[list_duckdb]}" "${T[list_sqlite]}")x (target ≤ 1.5x)"
echo "  xv diff --rows        : sqlite $(fmt "${T[diff_sqlite]}") s, duckdb $(fmt "${T[diff_duckdb]}") s, ratio $(ratio "${T[diff_duckdb]}" "${T[diff_sqlite]}")x (target ≤ 1.5x)"
echo "  xv merge duckdb→sqlite: $(fmt "$M") s; hand-typed sqlite3 INSERT … SELECT (sqlite→sqlite) $(fmt "$H") s, ratio $(ratio "$M" "$H")x"
