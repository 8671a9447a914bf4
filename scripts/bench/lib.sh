# Shared helpers for the benchmark scripts (sourced).
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# XV_BIN from the environment measures another build (scripts/bench/compare.sh); default this checkout.
XV_BIN="${XV_BIN:-$BENCH_ROOT/bin/run.js}"
export PATH="$BENCH_ROOT/.venv/bin:$PATH"
export DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1 NO_COLOR=1
export GIT_AUTHOR_NAME="xv bench" GIT_AUTHOR_EMAIL="bench@xv.invalid" GIT_COMMITTER_NAME="xv bench" GIT_COMMITTER_EMAIL="bench@xv.invalid"

xv() { "$XV_BIN" "$@"; }

# Seconds (float) taken by a command; its output is discarded.
time_of() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# Median of numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

ratio() { echo "scale=2; $1 / $2" | bc -l; }

fmt() { printf '%.3f' "$1"; }

# "WALL CPU" seconds of a command (CPU = user + sys of it and its children, from /usr/bin/time);
# CPU time is what the command costs, whatever else the machine is doing.
times_of() {
  local out
  out=$(mktemp)
  /usr/bin/time -f '%e %U %S' -o "$out" "$@" >/dev/null 2>&1 || true
  awk 'END {printf "%s %.2f\n", $1, $2 + $3}' "$out"
  rm -f "$out"
}

# Median of the wall (field 1) or CPU (field 2) column of "WALL CPU" pairs given as arguments.
median_of() { local f=$1; shift; median $(printf '%s\n' "$@" | awk -v f="$f" '{print $f}'); }

# make_tags_repo DIR N: a git repository with one commit and N annotated experiment tags
# (e0.0.0 …, messages as xv tag writes them), in one fast-import stream.
make_tags_repo() {
  local dir=$1 n=$2 commit
  git init -q -b main "$dir"
  (
    cd "$dir"
    echo "# bench" > README.md && git add README.md && git commit -qm init
    commit=$(git rev-parse HEAD)
    node -e '
const n = +process.argv[1], c = process.argv[2]; const out = []
for (let i = 0; i < n; i++) {
  const v = `e${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`
  const msg = `model=bert | lr=1e-4 | f1=${(0.5 + (i % 500) / 1000).toFixed(4)} | data=3a2f1b | run ${i}\n`
  out.push(`tag ${v}\nfrom ${c}\ntagger bench <b@x> ${1700000000 + i} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`)
}
process.stdout.write(out.join("\n"))' "$n" "$commit" | git fast-import --quiet
  )
}

# build_rev REV DIR: REV of this repository exported into DIR and built there (tsc + oclif manifest)
# with this checkout's node_modules; its xv is then DIR/bin/run.js.
build_rev() {
  local rev=$1 dir=$2
  mkdir -p "$dir"
  git -C "$BENCH_ROOT" archive "$rev" | tar -x -C "$dir"
  ln -s "$BENCH_ROOT/node_modules" "$dir/node_modules"
  (cd "$dir" && npx tsc -p tsconfig.json >/dev/null && npx oclif manifest >/dev/null 2>&1)
}
