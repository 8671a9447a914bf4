#!/usr/bin/env bash
# `xv tag` on a repository with a 200 MB model and a 50 MB result database, against the same
# manual sequence (dvc add, git add, git commit, git tag -a, dvc push, git push of the branch and
# the tag) on an identical copy. xv does more: it claims the version (fetches the remote's claims,
# pushes its claim create-only), checkpoints the database, checks every staged file, the free
# disk space and the artifact paths. Target: ratio ≤ 1.15.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
MODEL_MB=${MODEL_MB:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The artifacts, made once.
head -c "$((MODEL_MB * 1024 * 1024))" /dev/urandom > model.bin
sqlite3 experiments.db "
CREATE TABLE metrics(track_id TEXT, timestamp TEXT, version TEXT, model TEXT, learning_rate REAL, f1 REAL, loss REAL);
INSERT INTO metrics VALUES ('run-1', '2026-01-01', 'e0.1.0', 'bert-base', 0.0001, 0.89, 0.21);
CREATE TABLE predictions(track_id TEXT, timestamp TEXT, version TEXT, input_id INTEGER, prediction TEXT, raw_response TEXT, latency REAL);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < 449999)
INSERT INTO predictions SELECT 'run-1', '2026-01-01', 'e0.1.0', i, 'label-'||(i%7), hex(randomblob(40)), (i%100)/1000.0 FROM s;"

# A template repository: DVC with a local remote, xv.yaml naming the artifacts, one commit.
mkdir template && cd template
git init -q -b main && dvc init -q
printf 'artifacts: [results/experiments.db, models/production/model.bin]\n' > xv.yaml
echo "print('train')" > train.py
git add -A && git commit -qm init
cd ..

prepare() { # $1 = name
  rm -rf "$1" "$1-remote" "$1-origin.git"; cp -a template "$1"; mkdir -p "$1/results" "$1/models/production" "$1-remote"
  cp experiments.db "$1/results/"; cp model.bin "$1/models/production/"
  git init -q --bare "$1-origin.git"
  (cd "$1" && dvc remote add -q -d storage "$work/$1-remote" && git remote add origin "$work/$1-origin.git")
  sync
}

manual() {
  cd "$work/manual"
  dvc add -q results/experiments.db models/production/model.bin
  git add -A && git commit -qm "experiment: e0.1.0 - baseline"
  git tag -a e0.1.0 -m "model=bert-base | lr=1e-4 | f1=0.8900 | data=3a2f1b | baseline"
  dvc push -q
  git push -q -u origin main e0.1.0
}
with_xv() { cd "$work/xv" && xv tag e0.1.0 -m baseline; }

m_times=(); x_times=()
for i in $(seq "$RUNS"); do
  prepare manual; prepare xv
  if [ $((i % 2)) -eq 1 ]; then
    m_times+=("$(time_of manual)"); x_times+=("$(time_of with_xv)")
  else
    x_times+=("$(time_of with_xv)"); m_times+=("$(time_of manual)")
  fi
  # Both really did the work: a tag, two objects in each remote.
  [ "$(git -C "$work/xv" cat-file -t e0.1.0)" = tag ] || { echo "xv did not tag" >&2; exit 1; }
  [ "$(find "$work/xv-remote" -type f | wc -l)" = 2 ] || { echo "xv did not push" >&2; exit 1; }
  [ "$(find "$work/manual-remote" -type f | wc -l)" = 2 ] || { echo "manual sequence did not push" >&2; exit 1; }
  for side in manual xv; do
    git -C "$work/$side-origin.git" rev-parse -q --verify refs/tags/e0.1.0 >/dev/null || { echo "$side did not push the tag" >&2; exit 1; }
    git -C "$work/$side-origin.git" rev-parse -q --verify refs/heads/main >/dev/null || { echo "$side did not push the branch" >&2; exit 1; }
  done
done
m=$(median "${m_times[@]}"); x=$(median "${x_times[@]}")
echo "xv tag vs manual sequence, ${MODEL_MB} MB model + $(du -m experiments.db | cut -f1) MB result db (median of $RUNS)"
echo "  manual (dvc add, git add, commit, tag -a, dvc push, git push) : $(fmt "$m") s"
echo "  xv tag (claim, checks, the same steps)                         : $(fmt "$x") s"
echo "  ratio                                                          : $(ratio "$x" "$m")x   (target ≤ 1.15x)"
