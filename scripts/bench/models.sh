#!/usr/bin/env bash
# The model registry, side by side with the manual sequence, in the same run (median of RUNS):
#   1. `xv model prune --keep 5` of N candidates (1 MB each) vs rm + `dvc add models/candidates` + commit
#      (target ≤ 1.2x)
#   2. `xv model list` with N candidates (target ≤ 1 s)
#   3. `xv model promote` of a 500 MB model vs cp from the cache + `dvc add` + commit (target ≤ 1.2x)
source "$(dirname "$0")/lib.sh"
N=${N:-1000}
MB=${MB:-500}
RUNS=${RUNS:-3}

work=$(mktemp -d)
trap 'cd /; rm -rf "$work"' EXIT
cd "$work"

# ---- 1 + 2: N per-run candidates of a sweep, tagged ------------------------------------------
git init -q -b main sweep && cd sweep
dvc init -q
printf 'metrics: [f1]\n' > xv.yaml
mkdir -p models/candidates results
python - "$N" <<'PY'
import os, random, sqlite3, sys
n = int(sys.argv[1])
db = sqlite3.connect('results/experiments.db')
db.execute('CREATE TABLE metrics (track_id TEXT, timestamp TEXT, version TEXT, lr REAL, f1 REAL)')
random.seed(7)
for i in range(n):
    run = f'run{i:05d}'
    db.execute('INSERT INTO metrics VALUES (?, ?, ?, ?, ?)', (run, '2026-01-01', 'e0.1.0', 10 ** -(1 + i % 5), random.random()))
    with open(f'models/candidates/{run}_model.bin', 'wb') as f:
        f.write(os.urandom(1024 * 1024))
db.commit()
PY
dvc add -q results/experiments.db models/candidates
git add -A && git commit -qm "experiment: e0.1.0 - sweep" && git tag -a e0.1.0 -m "f1=0.9 | runs=$N | sweep"
base=$(git rev-parse HEAD)
cp -a models/candidates "$work/pristine"       # the same files (and mtimes) for every run
echo "fixture 1: $N candidates of 1 MB, tagged e0.1.0"

reset_sweep() {
  git reset -q --hard "$base"
  rm -rf models/candidates && cp -a "$work/pristine" models/candidates
}
manual_prune() {
  # The five best by f1, as a user would pick them (query not timed: xv's ranking is).
  ls models/candidates | grep -v -F -f "$work/keep" | sed 's|^|models/candidates/|' | xargs rm -f
  dvc add -q models/candidates
  git add models/candidates.dvc && git commit -qm "prune candidates"
}
python - <<'PY' > "$work/keep"
import sqlite3
db = sqlite3.connect('results/experiments.db')
for (run,) in db.execute('SELECT track_id FROM metrics ORDER BY f1 DESC LIMIT 5'):
    print(f'{run}_model.bin')
PY

m_t=(); x_t=(); l_t=()
for _ in $(seq "$RUNS"); do
  reset_sweep; m_t+=("$(time_of manual_prune)")
  reset_sweep; l_t+=("$(time_of xv model list)")
  x_t+=("$(time_of xv model prune --keep 5 --metric f1)")
  [ "$(ls models/candidates | sort)" = "$(sort "$work/keep")" ] || { echo "xv kept other candidates than the 5 best" >&2; exit 1; }
done
m=$(median "${m_t[@]}"); x=$(median "${x_t[@]}"); l=$(median "${l_t[@]}")
echo "xv model prune --keep 5 of $N candidates (median of $RUNS)"
echo "  manual (rm + dvc add + commit) : $(fmt "$m") s"
echo "  xv model prune                 : $(fmt "$x") s"
echo "  xv / manual                    : $(ratio "$x" "$m")x   (target ≤ 1.2x)"
echo "xv model list with $N candidates : $(fmt "$l") s   (target ≤ 1 s)"
cd "$work" && rm -rf sweep pristine

# ---- 3: promote a ${MB} MB model ---------------------------------------------------------------
git init -q -b main big && cd big
dvc init -q
mkdir -p models/production
head -c "${MB}M" /dev/urandom > models/production/model.bin
dvc add -q models/production/model.bin
git add -A && git commit -qm "experiment: e0.1.0" && git tag -a e0.1.0 -m "f1=0.9 | big"
rm models/production/model.bin && head -c 1M /dev/urandom > models/production/model.bin
dvc add -q models/production/model.bin
git add -A && git commit -qm "experiment: e0.2.0" && git tag -a e0.2.0 -m "f1=0.5 | small"
base=$(git rev-parse HEAD)
md5=$(git show e0.1.0:models/production/model.bin.dvc | awk '/md5:/ {print $NF; exit}')
obj=".dvc/cache/files/md5/${md5:0:2}/${md5:2}"
echo "fixture 2: a ${MB} MB model at e0.1.0, 1 MB in production"
reset_big() {
  git reset -q --hard "$base"
  dvc checkout -q --force models/production/model.bin.dvc
}
manual_promote() {
  rm -f models/production/model.bin
  cp "$obj" models/production/model.bin
  dvc add -q models/production/model.bin
  git add models/production/model.bin.dvc && git commit -qm "promote e0.1.0"
}

m_t=(); x_t=()
for _ in $(seq "$RUNS"); do
  reset_big; m_t+=("$(time_of manual_promote)")
  reset_big; x_t+=("$(time_of xv model promote e0.1.0)")
  cmp -s models/production/model.bin "$obj" || { echo "xv promote wrote different bytes" >&2; exit 1; }
done
m=$(median "${m_t[@]}"); x=$(median "${x_t[@]}")
s=$(time_of xv --version)
echo "xv model promote of a ${MB} MB model (median of $RUNS)"
echo "  manual (cp from cache + dvc add + commit) : $(fmt "$m") s"
echo "  xv model promote (md5-verified copy)      : $(fmt "$x") s   (xv start-up $(fmt "$s") s)"
echo "  xv / manual                               : $(ratio "$x" "$m")x   (target ≤ 1.2x)"
