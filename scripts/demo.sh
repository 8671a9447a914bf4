#!/usr/bin/env bash
# End-to-end demo of xv on a generated sample project (in a temporary directory): a tiny training
# script writes a result database (real xetrack) and a model file; xv versions each run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.venv/bin:$PATH" DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1
xv() { node "$ROOT/bin/run.js" "$@"; }
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "$(printf '%q ' "$@")"; "$@"; }

[ -x "$ROOT/.venv/bin/dvc" ] || bash "$ROOT/scripts/install-dvc.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xv-demo-XXXXXX")
[ "${KEEP:-}" = "1" ] || trap 'rm -rf "$WORK"' EXIT
echo "demo project: $WORK/project (KEEP=1 keeps it)"

mkdir -p "$WORK/project" && cd "$WORK/project"
git init -q -b main
git config user.name "Demo Scientist" && git config user.email "demo@example.com"
git init -q --bare "$WORK/origin.git" && git remote add origin "$WORK/origin.git"
cp "$ROOT/scripts/demo/train.py" train.py

run xv init --remote "$WORK/dvc-remote"
cat >> params.yaml <<'YAML'
train:
  model: bert-base
  lr: 0.001
YAML

step "python train.py e0.1.0"; python train.py e0.1.0
run xv tag e0.1.0 -m baseline

step "sed -i 's/lr: 0.001/lr: 0.0003/' params.yaml   # a meaningful variation"
sed -i 's/lr: 0.001/lr: 0.0003/' params.yaml
NEXT=$(xv tag --dry-run --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).version))')
echo "next version chosen by xv: $NEXT"
step "python train.py $NEXT"; python train.py "$NEXT"
run xv tag -m "lower lr"

run xv list
run xv diff e0.1.0 "$NEXT"
run xv get e0.1.0 models/production/model.bin -o "$WORK/model-e0.1.0.bin"

# A parallel experiment in its own worktree, sharing the DVC cache.
run xv worktree new transformer
cd "$WORK/exp-transformer"
step "sed -i 's/model: bert-base/model: transformer/' params.yaml && python train.py e0.3.0   # in ../exp-transformer"
sed -i 's/model: bert-base/model: transformer/' params.yaml
python train.py e0.3.0
run xv tag e0.3.0 -m "transformer"
cd "$WORK/project"
run xv worktree list
run xv merge exp-transformer
run xv worktree remove transformer
run xv list --sort f1
run xv doctor
echo
echo "demo finished: every step above ran on real git and DVC."
