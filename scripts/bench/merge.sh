#!/usr/bin/env bash
# xv merge against hand-typed SQL on copies of the same files, in the same run.
#  (a) 1,000,000-row source into a 1,000,000-row target (xetrack shape, ~80 MB each):
#      vs one `INSERT … SELECT … WHERE track_id NOT IN (…)` by the sqlite3 CLI; also peak RSS.
#  (b) ten 100,000-row sources in one call vs one sqlite3 statement per source.
#  (c) Parquet 2 × 5,000,000 rows vs a bare COPY (… UNION ALL BY NAME …) through @duckdb/node-api.
# Targets: ratios ≤ 1.3, peak RSS ≤ 200 MB for (a). xv's target lives in the repository (xv refuses one outside).
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
N=${N:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b main repo && cd repo && git commit -q --allow-empty -m init && cd ..

make_db() { # file rows run-prefix
  sqlite3 "$1" "CREATE TABLE predictions(track_id TEXT, timestamp TEXT, version TEXT, input_id INTEGER, prediction TEXT, raw_response TEXT, latency REAL, params_model TEXT, params_lr REAL);
  WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < $2 - 1)
  INSERT INTO predictions SELECT '$3-'||(i/100), '2026-01-01T00:00:00', 'e0.1.0', i, 'label-'||(i%7), hex(randomblob(16)), (i%100)/1000.0, 'bert', 0.001 FROM s;"
}
SQL_COLS="track_id, timestamp, version, input_id, prediction, raw_response, latency, params_model, params_lr"

# (a)
make_db target.db "$N" base; make_db source.db "$N" src
echo "(a) fixture: target $(du -m target.db | cut -f1) MB, source $(du -m source.db | cut -f1) MB, $N rows each"
a_sql=(); a_xv=(); a_rss=()
for _ in $(seq "$RUNS"); do
  cp target.db t1.db; cp target.db repo/t2.db; sync
  a_sql+=("$(time_of sqlite3 t1.db "ATTACH 'source.db' AS s; INSERT INTO main.predictions ($SQL_COLS) SELECT $SQL_COLS FROM s.predictions WHERE track_id NOT IN (SELECT track_id FROM main.predictions);")")
  start=$(date +%s.%N)
  rss=$( { cd "$work/repo" && /usr/bin/time -f "%M" "$XV_BIN" merge "$work/source.db" --into "$work/repo/t2.db" >/dev/null; } 2>&1 | tail -1)
  end=$(date +%s.%N)
  a_xv+=("$(echo "$end - $start" | bc -l)"); a_rss+=("$rss")
  [ "$(sqlite3 t1.db 'select count(*) from predictions')" = "$(sqlite3 repo/t2.db 'select count(*) from predictions')" ] || { echo "row counts differ" >&2; exit 1; }
done
s=$(median "${a_sql[@]}"); x=$(median "${a_xv[@]}"); r=$(median "${a_rss[@]}")
echo "  sqlite3 INSERT … SELECT … NOT IN : $(fmt "$s") s"
echo "  xv merge                         : $(fmt "$x") s   peak RSS $((r / 1024)) MB (target ≤ 200 MB)"
echo "  ratio                            : $(ratio "$x" "$s")x   (target ≤ 1.3x)"
rm -f t1.db repo/t2.db source.db

# (b)
for i in $(seq 10); do make_db "s$i.db" 100000 "sweep$i"; done
b_sql=(); b_xv=()
for _ in $(seq "$RUNS"); do
  cp target.db t1.db; cp target.db repo/t2.db; sync
  stmts=""
  for i in $(seq 10); do stmts+="ATTACH 's$i.db' AS s$i; INSERT INTO main.predictions ($SQL_COLS) SELECT $SQL_COLS FROM s$i.predictions WHERE track_id NOT IN (SELECT track_id FROM main.predictions); DETACH s$i; "; done
  b_sql+=("$(time_of sqlite3 t1.db "$stmts")")
  b_xv+=("$(cd "$work/repo" && time_of "$XV_BIN" merge "$work"/s{1..10}.db --into "$work/repo/t2.db")")
  [ "$(sqlite3 t1.db 'select count(*) from predictions')" = "$(sqlite3 repo/t2.db 'select count(*) from predictions')" ] || { echo "row counts differ (b)" >&2; exit 1; }
done
s=$(median "${b_sql[@]}"); x=$(median "${b_xv[@]}")
echo "(b) ten 100,000-row sources into the $N-row target"
echo "  sqlite3, one statement per source : $(fmt "$s") s"
echo "  xv merge (one call, one transaction): $(fmt "$x") s"
echo "  ratio                             : $(ratio "$x" "$s")x   (target ≤ 1.3x)"
rm -f s*.db t1.db repo/t2.db target.db

# (c)
P=${P:-5000000}
cat > "$work/duck.mjs" <<JS
import {DuckDBInstance} from '$BENCH_ROOT/node_modules/@duckdb/node-api/lib/index.js'
const [mode, a, b, out] = process.argv.slice(2)
const db = await DuckDBInstance.create(':memory:'); const c = await db.connect()
if (mode === 'make') await c.run(\`COPY (SELECT i AS id, 'run-' || (i // 100) AS track_id, random() AS score, 'label-' || (i % 7) AS label FROM range(\${a}) t(i)) TO '\${b}' (FORMAT parquet)\`)
else await c.run(\`COPY (SELECT * FROM read_parquet('\${a}') UNION ALL BY NAME SELECT * FROM read_parquet('\${b}')) TO '\${out}' (FORMAT parquet)\`)
c.closeSync(); db.closeSync()
JS
node duck.mjs make "$P" base.parquet; node duck.mjs make "$P" src.parquet
c_duck=(); c_xv=()
for _ in $(seq "$RUNS"); do
  c_duck+=("$(time_of node duck.mjs copy base.parquet src.parquet bare.parquet)")
  rm -f xv.parquet
  c_xv+=("$(cd "$work/repo" && time_of "$XV_BIN" merge --data ../base.parquet ../src.parquet -o ../xv.parquet)")
  [ -s xv.parquet ] || { echo "xv merge --data wrote no xv.parquet" >&2; exit 1; }
done
s=$(median "${c_duck[@]}"); x=$(median "${c_xv[@]}")
echo "(c) Parquet 2 × $P rows"
echo "  bare COPY (UNION ALL BY NAME) via @duckdb/node-api : $(fmt "$s") s"
echo "  xv merge --data                                    : $(fmt "$x") s"
echo "  ratio                                              : $(ratio "$x" "$s")x   (target ≤ 1.3x)"
