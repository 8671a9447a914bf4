#!/usr/bin/env bash
# `xv get` of a 500 MB DVC-tracked model from an old tag (repo with ≥ 200 tracked files), against
# `cp` of the cache object itself and the worktree route a user would otherwise take
# (git worktree add + dvc checkout + cp + git worktree remove). Same run, median of RUNS.
# Targets: xv ≤ 1.5x cp, and ≥ 5x faster than the worktree route.
source "$(dirname "$0")/lib.sh"
ROOT="$BENCH_ROOT"
MB=${MB:-500}
FILES=${FILES:-250}
RUNS=${RUNS:-3}

work=$(mktemp -d)
trap 'cd /; git -C "$work/repo" worktree prune 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
git init -q -b main repo && cd repo
dvc init -q
mkdir -p src models
for i in $(seq "$FILES"); do printf 'def f%d():\n    return %d\n' "$i" "$i" > "src/mod_$i.py"; done
head -c "${MB}M" /dev/urandom > models/model.bin
dvc add -q models/model.bin
git add -A && git commit -qm "e0.1.0" && git tag -a e0.1.0 -m "model=big | old"
head -c 1M /dev/urandom > models/model.bin          # the working copy moves on
dvc add -q models/model.bin
echo "# v2" >> src/mod_1.py
git add -A && git commit -qm "e0.2.0" && git tag -a e0.2.0 -m "model=small | new"
md5=$(git show e0.1.0:models/model.bin.dvc | awk '/md5:/ {print $NF; exit}')
obj=".dvc/cache/files/md5/${md5:0:2}/${md5:2}"
[ -f "$obj" ] || { echo "cache object $obj missing" >&2; exit 1; }
echo "fixture: $(git ls-files | wc -l) tracked files, model ${MB} MB at e0.1.0 (cache object $obj)"

out="$work/out"; mkdir -p "$out"
worktree_route() {
  git worktree add -q --detach "$work/wt" e0.1.0
  printf '[cache]\n    dir = %s\n' "$work/repo/.dvc/cache" > "$work/wt/.dvc/config.local"
  (cd "$work/wt" && dvc checkout -q models/model.bin)
  cp "$work/wt/models/model.bin" "$out/wt.bin"
  git worktree remove --force "$work/wt"
}

cp_t=(); xv_t=(); wt_t=(); md_t=()
for _ in $(seq "$RUNS"); do
  rm -f "$out"/*
  cp_t+=("$(time_of cp "$obj" "$out/cp.bin")")
  md_t+=("$(time_of md5sum "$obj")")
  xv_t+=("$(time_of xv get e0.1.0 models/model.bin -o "$out/xv.bin")")
  wt_t+=("$(time_of worktree_route)")
done
cmp -s "$out/xv.bin" "$obj" || { echo "xv get wrote different bytes" >&2; exit 1; }
xv get e0.1.0 models/model.bin -o "$out/json.bin" --json | grep -Eq '"strategy": ?"cache"'
c=$(median "${cp_t[@]}"); x=$(median "${xv_t[@]}"); w=$(median "${wt_t[@]}"); m=$(median "${md_t[@]}")
s=$( { time_of "$XV_BIN" --version; } )
echo "xv get of a ${MB} MB model from an old tag (median of $RUNS)"
echo "  cp of the cache object        : $(fmt "$c") s"
echo "  md5sum of the cache object    : $(fmt "$m") s   (the floor of any verified copy)"
echo "  node + oclif start-up         : $(fmt "$s") s"
echo "  xv get (md5-verified)         : $(fmt "$x") s"
echo "  worktree route (add+checkout+cp+remove): $(fmt "$w") s"
echo "  xv / cp                       : $(echo "scale=2; $x / $c" | bc -l)x   (target ≤ 1.5x)"
echo "  worktree route / xv           : $(echo "scale=2; $w / $x" | bc -l)x   (target ≥ 5x)"
echo "  xv / (md5sum + start-up)      : $(echo "scale=2; $x / ($m + $s)" | bc -l)x"

# ---------------------------------------------------------------------------------------------
# Against `dvc get . PATH --rev TAG` (same run, median of RUNS): a 200 MB model with an EMPTY
# cache (xv fetches exactly the object from the remote into the cache, then a verified copy;
# dvc get clones the repository and fetches) and with a WARM cache (xv still md5-checks every
# byte; dvc get copies what the cache holds). Targets: empty ≤ 1.3x, warm ≤ 1.2x.
GET_MB=${GET_MB:-200}
cd "$work"
git init -q -b main repo2 && cd repo2
dvc init -q
mkdir -p "$work/store" models
dvc remote add -q -d store "$work/store"
head -c "${GET_MB}M" /dev/urandom > models/model.bin
dvc add -q models/model.bin
git add -A && git commit -qm "e0.1.0" && git tag -a e0.1.0 -m "model=big"
dvc push -q
head -c 1M /dev/urandom > models/model.bin && dvc add -q models/model.bin && git add -A && git commit -qm "e0.2.0" && git tag -a e0.2.0 -m "model=small"
ref="$out/ref.bin"
dvc get . models/model.bin --rev e0.1.0 -o "$ref" -q
empty_x=(); empty_d=(); warm_x=(); warm_d=()
for _ in $(seq "$RUNS"); do
  rm -rf .dvc/cache "$out/e-xv.bin" "$out/e-dvc.bin"
  empty_x+=("$(time_of xv get e0.1.0 models/model.bin -o "$out/e-xv.bin")")
  rm -rf .dvc/cache
  empty_d+=("$(time_of dvc get . models/model.bin --rev e0.1.0 -o "$out/e-dvc.bin")")
  rm -f "$out/w-xv.bin" "$out/w-dvc.bin"
  xv get e0.1.0 models/model.bin -o "$out/warm-fill.bin" --force >/dev/null   # the cache holds it now
  warm_x+=("$(time_of xv get e0.1.0 models/model.bin -o "$out/w-xv.bin")")
  warm_d+=("$(time_of dvc get . models/model.bin --rev e0.1.0 -o "$out/w-dvc.bin")")
done
for f in e-xv e-dvc w-xv w-dvc; do cmp -s "$out/$f.bin" "$ref" || { echo "$f.bin differs from the tagged model" >&2; exit 1; }; done
ex=$(median "${empty_x[@]}"); ed=$(median "${empty_d[@]}"); wx=$(median "${warm_x[@]}"); wd=$(median "${warm_d[@]}")
echo "xv get vs dvc get of a ${GET_MB} MB model (local remote, median of $RUNS)"
echo "  empty cache: xv get $(fmt "$ex") s, dvc get $(fmt "$ed") s, xv / dvc get: $(ratio "$ex" "$ed")x   (target ≤ 1.3x)"
echo "  warm cache : xv get $(fmt "$wx") s, dvc get $(fmt "$wd") s, xv / dvc get: $(ratio "$wx" "$wd")x   (target ≤ 1.2x)"
