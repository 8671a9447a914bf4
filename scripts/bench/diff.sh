#!/usr/bin/env bash
# `xv diff V1 V2 --rows` where each tag's (DVC-tracked) result database holds 1,000,000 rows
# (~80 MB), against sqlite3's own EXCEPT in both directions over the same two files; peak memory
# of xv; and `xv diff` without --rows. Same run, median of RUNS.
# Targets: --rows ≤ 0.5x sqlite3 EXCEPT both ways, peak RSS ≤ 500 MB; without --rows ≤ 1.5 s.
# Keyed: `--key track_id,input_id` (no index on those columns) against the three counts a user would
# type in the sqlite3 CLI (ATTACH, LEFT JOIN … IS NULL both ways, a JOIN for changed rows), wall and CPU.
source "$(dirname "$0")/lib.sh"
ROOT="$BENCH_ROOT"
N=${N:-1000000}
RUNS=${RUNS:-3}
XV="$ROOT/bin/run.js"

work=$(mktemp -d)
trap 'cd /; if [ -n "${KEEP:-}" ]; then echo "fixture kept in $work"; else rm -rf "$work"; fi' EXIT
cd "$work"
git init -q -b main repo && cd repo
dvc init -q
mkdir -p results
db=results/experiments.db
sqlite3 "$db" "
CREATE TABLE metrics(track_id TEXT, timestamp TEXT, version TEXT, model TEXT, learning_rate REAL, accuracy REAL, f1 REAL, loss REAL);
INSERT INTO metrics VALUES ('run-a', '2026-01-01T00:00:00', 'e0.1.0', 'bert', 0.001, 0.81, 0.78, 0.52);
CREATE TABLE predictions(track_id TEXT, timestamp TEXT, version TEXT, input_id INTEGER, prediction TEXT,
  ground_truth TEXT, latency REAL, params_model TEXT, params_learning_rate REAL);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < $N - 1)
INSERT INTO predictions SELECT 'run-a', '2026-01-01T00:00:00', 'e0.1.0', i,
  CASE WHEN i % 3 THEN 'positive' ELSE 'negative' END, CASE WHEN i % 5 THEN 'positive' ELSE 'negative' END,
  0.010 + (i % 997) / 100000.0, 'bert-base-uncased', 0.001 FROM s;"
dvc add -q "$db"
git add -A && git commit -qm "e0.1.0" && git tag -a e0.1.0 -m "model=bert | f1=0.78 | baseline"
# e0.2.0: 1,000 rows deleted, 1,000 changed, 10,000 appended (a new run), one more metrics row
sqlite3 "$db" "
INSERT INTO metrics VALUES ('run-b', '2026-01-02T00:00:00', 'e0.2.0', 'roberta', 0.0005, 0.86, 0.84, 0.41);
DELETE FROM predictions WHERE rowid % 1000 = 7;
UPDATE predictions SET latency = latency * 2 WHERE rowid % 1000 = 500;
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < 9999)
INSERT INTO predictions SELECT 'run-b', '2026-01-02T00:00:00', 'e0.2.0', i, 'positive', 'positive', 0.02,
  'roberta-base', 0.0005 FROM s;"
dvc add -q "$db"
git add -A && git commit -qm "e0.2.0" && git tag -a e0.2.0 -m "model=roberta | f1=0.84 | bigger"
obj() { local m; m=$(git show "$1:$db.dvc" | awk '/md5:/ {print $NF; exit}'); echo ".dvc/cache/files/md5/${m:0:2}/${m:2}"; }
A=$(obj e0.1.0); B=$(obj e0.2.0)
echo "fixture: predictions $(sqlite3 "$A" 'SELECT count(*) FROM predictions') rows ($(du -m "$A" | cut -f1) MB) at e0.1.0, $(sqlite3 "$B" 'SELECT count(*) FROM predictions') rows ($(du -m "$B" | cut -f1) MB) at e0.2.0"

except_both() {
  sqlite3 "$A" "ATTACH '$B' AS b;
    SELECT count(*) FROM (SELECT * FROM main.predictions EXCEPT SELECT * FROM b.predictions);
    SELECT count(*) FROM (SELECT * FROM b.predictions EXCEPT SELECT * FROM main.predictions);"
}
echo "sqlite3 EXCEPT (removed, added): $(except_both | tr '\n' ' ')"
ON='x.track_id = y.track_id AND x.input_id = y.input_id'
keyed_join() {
  sqlite3 "$A" "ATTACH '$B' AS b;
    SELECT count(*) FROM b.predictions AS y LEFT JOIN main.predictions AS x ON $ON WHERE x.input_id IS NULL;
    SELECT count(*) FROM main.predictions AS x LEFT JOIN b.predictions AS y ON $ON WHERE y.input_id IS NULL;
    SELECT count(*) FROM main.predictions AS x JOIN b.predictions AS y ON $ON WHERE x.timestamp IS NOT y.timestamp
      OR x.version IS NOT y.version OR x.prediction IS NOT y.prediction OR x.ground_truth IS NOT y.ground_truth
      OR x.latency IS NOT y.latency OR x.params_model IS NOT y.params_model OR x.params_learning_rate IS NOT y.params_learning_rate;"
}
export A B ON; export -f keyed_join # /usr/bin/time (times_of) runs it through bash
KEYED=(diff e0.1.0 e0.2.0 --rows --table predictions --key track_id,input_id)
# KEYED_CASE=0 leaves the keyed case out (builds before the keyed fix take hours on it: compare.sh).
KEYED_CASE=${KEYED_CASE:-1}
[ "$KEYED_CASE" = 1 ] && echo "sqlite3 keyed join (added, removed, changed): $(keyed_join | tr '\n' ' ')"
[ "$KEYED_CASE" = 1 ] && xv "${KEYED[@]}" --json | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const r = JSON.parse(s).rows; console.log(`xv diff --rows --key: added ${r.added}, removed ${r.removed}, changed ${r.changed} (${r.keySource})`) })'
xv diff e0.1.0 e0.2.0 --rows --table predictions --json | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const r = JSON.parse(s).rows; console.log(`xv diff --rows: removed ${r.removed}, added ${r.added} (${r.keySource})`) })'

sq_t=(); rows_t=(); plain_t=(); kj_t=(); key_t=()
for _ in $(seq "$RUNS"); do
  if [ "$KEYED_CASE" = 1 ]; then
    kj_t+=("$(times_of bash -c keyed_join)")
    key_t+=("$(times_of "$XV_BIN" "${KEYED[@]}")")
  fi
  sq_t+=("$(time_of except_both)")
  rows_t+=("$(time_of xv diff e0.1.0 e0.2.0 --rows --table predictions)")
  plain_t+=("$(time_of xv diff e0.1.0 e0.2.0)")
done
if [ -x /usr/bin/time ]; then
  rss=$( { /usr/bin/time -v "$XV_BIN" diff e0.1.0 e0.2.0 --rows --table predictions >/dev/null; } 2>&1 | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
  rss_mb=$((rss / 1024))
else
  rss_mb=$(node -e '
    const {execFileSync} = require("node:child_process")
    execFileSync(process.execPath, [process.argv[1], "diff", "e0.1.0", "e0.2.0", "--rows", "--table", "predictions"], {stdio: "ignore"})
    console.log(Math.round(process.resourceUsage().maxRSS / 1024))' "$XV")
fi
s=$(median "${sq_t[@]}"); r=$(median "${rows_t[@]}"); p=$(median "${plain_t[@]}")
echo "xv diff on ${N}-row databases at two tags (median of $RUNS)"
echo "  sqlite3 EXCEPT both ways : $(fmt "$s") s"
echo "  xv diff --rows           : $(fmt "$r") s   ratio $(echo "scale=2; $r / $s" | bc -l)x (target ≤ 0.5x)"
echo "  xv diff --rows peak RSS  : ${rss_mb} MB (target ≤ 500 MB)"
echo "  xv diff (no --rows)      : $(fmt "$p") s (target ≤ 1.5 s)"
[ "$KEYED_CASE" = 1 ] || exit 0
kw=$(median_of 1 "${kj_t[@]}"); kc=$(median_of 2 "${kj_t[@]}"); xw=$(median_of 1 "${key_t[@]}"); xc=$(median_of 2 "${key_t[@]}")
echo "  sqlite3 keyed join       : $(fmt "$kw") s wall, $(fmt "$kc") s CPU (key without an index)"
echo "  xv diff --rows --key     : $(fmt "$xw") s wall, $(fmt "$xc") s CPU   ratio $(ratio "$xw" "$kw")x wall, $(ratio "$xc" "$kc")x CPU (target ≤ 1.5x)"
