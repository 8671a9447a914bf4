#!/usr/bin/env bash
# Benchmark of `xv worktree new` and `xv worktree list` (issue 5). Builds its own fixture in a
# temp dir: a repo with ~2 GB of DVC-tracked data (3 large files + 1,000 small ones) and a local
# DVC remote. Prints, measured in this run (median of RUNS runs where a ratio is asked):
#   - xv worktree new: time and disk added, vs the same steps by hand with the same link type
#     (git worktree add, dvc cache dir --local, dvc config --local cache.type, dvc checkout);
#   - for the README: what DVC's defaults cost (shared cache but default link type; and a plain
#     git worktree add + dvc pull into the worktree's own cache);
#   - xv worktree list with 20 worktrees;
#   - xv worktree remove of a worktree whose branch has 20 experiment tags (local remote): every
#     tag's DVC objects are checked in the remote (target <= 1.5 s).
# The fixture also has the artifacts an experiment writes (a MODEL_MB model and a result database):
# xv makes them private files (reflink or copy); the manual side does the same with `dvc unprotect`.
# Usage: bash scripts/bench/worktree.sh   (env: RUNS=3, LARGE_MB=600, SMALL=1000, MODEL_MB=20, KEEP=1 keeps the dir)
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HERE/.venv/bin:$PATH" NO_COLOR=1 DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1
XV=("$XV_BIN")
RUNS=${RUNS:-3}
LARGE_MB=${LARGE_MB:-600}
SMALL=${SMALL:-1000}
MODEL_MB=${MODEL_MB:-20}
BASE="$(mktemp -d "${TMPDIR:-/tmp}/xv-bench-wt.XXXXXX")"
[[ -n "${KEEP:-}" ]] || trap 'chmod -R u+w "$BASE" 2>/dev/null; rm -rf "$BASE"' EXIT
REPO="$BASE/repo"
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
mb() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e6:.2f} MB')" "$1"; }
# Bytes a worktree adds: du counts a hard-linked inode once, so listing the cache first leaves the
# worktree with only what it does not share. The cache is not inside the worktree.
added() { du -sb "$CACHE" "$1" | tail -1 | cut -f1; }

echo "== load average: $(cut -d" " -f1-3 /proc/loadavg) (2 cores shared)"
echo "== fixture: $((3 * LARGE_MB)) MB in 3 large files + $SMALL small files (in $BASE)"
t0=$(now)
mkdir -p "$REPO/data/small" "$BASE/remote"
cd "$REPO"
git init -q -b main
dvc init -q
dvc remote add -q -d storage "$BASE/remote"
for i in 1 2 3; do head -c "$((LARGE_MB * 1024 * 1024))" /dev/urandom > "data/large$i.bin"; done
python3 - "$SMALL" <<'PY'
import os, sys
for i in range(int(sys.argv[1])):
    with open(f"data/small/s{i:04d}.bin", "wb") as f:
        f.write(os.urandom(200_000 + i))
PY
echo 'print("train")' > train.py
mkdir -p models/production results
head -c "$((MODEL_MB * 1024 * 1024))" /dev/urandom > models/production/model.bin
python3 -c "import sqlite3; c = sqlite3.connect('results/experiments.db'); c.execute('create table metrics (track_id text, version text, f1 real)'); c.execute(\"insert into metrics values ('t0', 'e0.1.0', 0.5)\"); c.commit()"
PRIVATE_BYTES=$(( $(stat -c %s models/production/model.bin) + $(stat -c %s results/experiments.db) ))
dvc add -q data/large1.bin data/large2.bin data/large3.bin data/small models/production/model.bin results/experiments.db
git add -A && git commit -q -m data
dvc push -q
CACHE="$REPO/.dvc/cache"
echo "   fixture ready in $(secs "$t0" "$(now)") s; data: $(du -sh "$CACHE" | cut -f1) in the cache"

# Probe the link type xv will choose, so the manual steps use the same one.
"${XV[@]}" worktree new probe >/dev/null
LINK=$(sed -n 's/^ *type = //p' "$BASE/exp-probe/.dvc/config.local")
git worktree remove --force --force "$BASE/exp-probe" && git branch -q -D exp/probe
echo "   link type: $LINK"

echo "== xv worktree new vs the same steps by hand ($RUNS runs each, alternating)"
xv_times=(); hand_times=(); xv_disk=0; hand_disk=0
run_xv() {
  sync
  t0=$(now); "${XV[@]}" worktree new "x$1" >/dev/null; t1=$(now)
  xv_times+=("$(secs "$t0" "$t1")"); xv_disk=$(added "$BASE/exp-x$1")
}
run_hand() {
  sync
  W="$BASE/hand-$1"
  t0=$(now)
  git worktree add -q -b "hand/$1" "$W"
  (cd "$W" && dvc cache dir --local "$CACHE" && dvc config --local cache.type "$LINK" && dvc checkout -q \
    && { [[ "$LINK" == reflink ]] || dvc unprotect models/production/model.bin results/experiments.db; })
  t1=$(now)
  hand_times+=("$(secs "$t0" "$t1")"); hand_disk=$(added "$W")
}
for r in $(seq 1 "$RUNS"); do
  # Alternating which side goes first, so neither always gets the warmer page cache.
  if (( r % 2 )); then run_xv "$r"; run_hand "$r"; else run_hand "$r"; run_xv "$r"; fi
done
xv_med=$(median "${xv_times[@]}"); hand_med=$(median "${hand_times[@]}")
echo "   xv worktree new : ${xv_med} s (runs: ${xv_times[*]}), disk added $(mb "$xv_disk")"
echo "   by hand ($LINK)  : ${hand_med} s (runs: ${hand_times[*]}), disk added $(mb "$hand_disk")"
echo "   ratio xv/hand    : $(ratio "$xv_med" "$hand_med")x  (target <= 1.2)"
echo "   disk added by xv : $(mb "$xv_disk"); private files $(mb "$PRIVATE_BYTES") + 5 MB = $(mb $((PRIVATE_BYTES + 5000000))) (target: at most that)"
[[ $xv_disk -le $((PRIVATE_BYTES + 5000000)) ]] || echo "   !! disk target missed"

echo "== for the README: DVC's defaults (one run each)"
W="$BASE/default-shared"
t0=$(now)
git worktree add -q -b default/shared "$W"
(cd "$W" && dvc cache dir --local "$CACHE" && dvc checkout -q)
t1=$(now)
echo "   shared cache, default link type: $(secs "$t0" "$t1") s, disk added $(mb "$(added "$W")")"
W="$BASE/default-plain"
t0=$(now)
git worktree add -q -b default/plain "$W"
(cd "$W" && { dvc checkout -q 2>/dev/null && echo "   (dvc checkout alone succeeded)" || echo "   plain git worktree add + dvc checkout: fails, the worktree's own cache is empty -> dvc pull"; })
(cd "$W" && dvc pull -q)
t1=$(now)
echo "   plain git worktree add + dvc pull (own cache): $(secs "$t0" "$t1") s, disk added $(mb "$(added "$W")")"
for W in "$BASE/default-shared" "$BASE/default-plain"; do git worktree remove --force --force "$W"; done

echo "== xv worktree list with 20 worktrees"
have=$(git worktree list --porcelain | grep -c '^worktree ')
n=$have
while [[ $n -lt 21 ]]; do
  "${XV[@]}" worktree new "l$n" >/dev/null
  # Each branch gets its own commit (and every other one an experiment tag), as in real use.
  (cd "$BASE/exp-l$n" && echo "print($n)" >> train.py && git commit -q -am "l$n" && { [[ $((n % 2)) -eq 0 ]] && git tag -a "e0.$n.0" -m "l$n" || true; })
  n=$((n + 1))
done
echo "   worktrees: $(git worktree list --porcelain | grep -c '^worktree ') (main + 20)"
list_times=()
for r in 1 2 3; do t0=$(now); "${XV[@]}" worktree list --json >/dev/null; t1=$(now); list_times+=("$(secs "$t0" "$t1")"); done
base_times=()
for r in 1 2 3; do t0=$(now); "${XV[@]}" --version >/dev/null; t1=$(now); base_times+=("$(secs "$t0" "$t1")"); done
echo "   xv worktree list: $(median "${list_times[@]}") s (runs: ${list_times[*]}; target <= 1 s); node+oclif start-up alone: $(median "${base_times[@]}") s"

echo "== xv worktree remove of a worktree whose branch has 20 experiment tags (local remote)"
"${XV[@]}" worktree new tags20 >/dev/null
(
  cd "$BASE/exp-tags20"
  for i in $(seq 1 20); do
    head -c 65536 /dev/urandom > models/production/model.bin
    dvc add -q models/production/model.bin
    git add models/production/model.bin.dvc && git commit -q -m "run $i" && git tag -a "e1.$i.0" -m "run $i"
  done
  dvc push -q --all-tags
  # Private again, as xv tag leaves it (dvc add linked the model back into the cache).
  [[ "$LINK" == reflink ]] || dvc unprotect models/production/model.bin
)
rm_times=()
for r in 1 2 3; do t0=$(now); "${XV[@]}" worktree remove tags20 --dry-run --json >/dev/null; t1=$(now); rm_times+=("$(secs "$t0" "$t1")"); done
checks=$("${XV[@]}" worktree remove tags20 --dry-run 2>&1 | grep -c '✓' || true)
t0=$(now); "${XV[@]}" worktree remove tags20 >/dev/null 2>&1; t1=$(now)
[[ ! -d "$BASE/exp-tags20" ]] || echo "   !! the worktree was not removed"
echo "   checklist (--dry-run, all $checks checks pass): $(median "${rm_times[@]}") s (runs: ${rm_times[*]}); the real removal: $(secs "$t0" "$t1") s (target <= 1.5 s)"
