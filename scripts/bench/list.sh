#!/usr/bin/env bash
# `xv list --json` on a repository with 10,000 annotated experiment tags, against the bare
# `git for-each-ref` that reads the same fields xv lists (name, object type, tagged commit, date,
# tagger, subject). Targets: ratio ≤ 3, median ≤ 0.6 s. The repository has an xv.yaml, as every
# xv project does.
source "$(dirname "$0")/lib.sh"
N=${N:-10000}
RUNS=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
make_tags_repo repo "$N" && cd repo
# A result database with rows for every version, as xv list joins it.
mkdir -p results
sqlite3 results/experiments.db "CREATE TABLE metrics(track_id TEXT, timestamp TEXT, version TEXT, model TEXT, f1 REAL, loss REAL);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < $N - 1)
INSERT INTO metrics SELECT 'run'||i, '2026-01-01', 'e'||(i/1000)||'.'||((i/10)%100)||'.'||(i%10), 'bert', 0.5+(i%500)/1000.0, 0.3 FROM s;"
printf 'metrics: [f1]\n' > xv.yaml
FIELDS=$'%(refname:strip=2)\x1f%(objecttype)\x1f%(object)\x1f%(objectname)\x1f%(creatordate:iso-strict)\x1f%(taggername)\x1f%(contents:subject)\x1e'
count=$(xv list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).experiments.length))')
[ "$count" = "$N" ] || { echo "xv list returned $count experiments, expected $N" >&2; exit 1; }

measure() {
  local label=$1 git_times=() two_times=() xv_times=()
  for _ in $(seq "$RUNS"); do
    git_times+=("$(time_of git for-each-ref "--format=$FIELDS" refs/tags)")
    two_times+=("$(time_of git for-each-ref '--format=%(refname:strip=2) %(contents:subject)' refs/tags)")
    xv_times+=("$(time_of xv list --json)")
  done
  local g x
  g=$(median "${git_times[@]}"); x=$(median "${xv_times[@]}")
  echo "xv list --json, $N annotated tags, $label (median of $RUNS; load: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "  git for-each-ref, xv's fields : $(fmt "$g") s"
  echo "  (name and subject only        : $(fmt "$(median "${two_times[@]}")") s)"
  echo "  xv list --json                : $(fmt "$x") s"
  echo "  ratio                         : $(ratio "$x" "$g")x   (target ≤ 3x, and ≤ 0.6 s)"
}
startup=()
for _ in $(seq "$RUNS"); do startup+=("$(time_of xv --version)"); done
echo "node + oclif start-up (xv --version): $(fmt "$(median "${startup[@]}")") s"
# As `git tag` leaves them (one file per tag), then after `git gc`/`git pack-refs`.
measure "loose refs"
git pack-refs --all
measure "packed refs"
