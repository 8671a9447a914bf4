#!/usr/bin/env bash
# Start-up cost of the conventions (oclif plugins, hooks, error/JSON layer): `xv --version` and
# `xv list --json` on 10,000 annotated tags, this build against the main branch's build, side by
# side (interleaved runs), plus `xv __complete show -- e1.` (completion budget: ≤ 0.3 s).
# Target: each median within +10 ms of main's. BASE=<git rev> to compare with another revision.
source "$(dirname "$0")/lib.sh"
N=${N:-10000}
RUNS=${RUNS:-20}
BASE=${BASE:-main}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The baseline: BASE exported into a temp dir, built there with this checkout's node_modules.
base="$work/base"
build_rev "$BASE" "$base"
BASE_BIN="$base/bin/run.js"

cd "$work"
make_tags_repo repo "$N" && cd repo
git pack-refs --all # as tags fetched from a remote are

compare() {
  local label=$1; shift
  local b=() x=()
  for _ in $(seq "$RUNS"); do
    b+=("$(times_of node "$BASE_BIN" "$@")")
    x+=("$(times_of "$XV_BIN" "$@")")
  done
  local mb mx
  mb=$(median_of 1 "${b[@]}"); mx=$(median_of 1 "${x[@]}")
  printf '%-28s %s: %s s   this: %s s   delta: %+.1f ms  (wall)\n' "$label" "$BASE" "$(fmt "$mb")" "$(fmt "$mx")" "$(echo "($mx - $mb) * 1000" | bc -l)"
  mb=$(median_of 2 "${b[@]}"); mx=$(median_of 2 "${x[@]}")
  printf '%-28s %s: %s s   this: %s s   delta: %+.1f ms  (cpu)\n' "" "$BASE" "$(fmt "$mb")" "$(fmt "$mx")" "$(echo "($mx - $mb) * 1000" | bc -l)"
}

echo "start-up, median of $RUNS interleaved runs, $N annotated tags"
compare "xv --version" --version
compare "xv list --json" list --json
c=() n0=() g=()
for _ in $(seq "$RUNS"); do
  c+=("$(time_of "$XV_BIN" __complete show -- e1.)")
  n0+=("$(time_of node -e 0)")
  g+=("$(time_of git for-each-ref '--format=%(refname:lstrip=2)' 'refs/tags/e1.*')")
done
printf '%-28s this: %s s   (budget 0.300 s)\n' "xv __complete show -- e1." "$(fmt "$(median "${c[@]}")")"
printf '%-28s %s s   (what any node program costs here)\n' "  node -e 0" "$(fmt "$(median "${n0[@]}")")"
printf '%-28s %s s\n' "  git for-each-ref e1.*" "$(fmt "$(median "${g[@]}")")"
n=$("$XV_BIN" __complete show -- e1. | wc -l)
echo "  (__complete returned $n versions)"
