#!/usr/bin/env bash
# No-regression check: runs benchmark scripts against BASE's build and this checkout's build, side by
# side, and prints every ratio a script reports (`1.23x`) for both, with the change and a verdict:
# a ratio more than 10 % above BASE's is a regression.
#
#   bash scripts/bench/compare.sh [BASE] [BENCH…]      BASE: a git revision (default main)
#   bash scripts/bench/compare.sh main list results    BENCH: names in scripts/bench (default: list results)
#   REPEAT=2 bash scripts/bench/compare.sh             each side REPEAT times, alternating which goes first
#
# Both sides run this checkout's bench scripts (same fixtures, same measurement); only the xv they
# measure differs (XV_BIN, read by lib.sh). BASE is exported into a temp dir and built there with this
# checkout's node_modules (build_rev in lib.sh, as startup.sh; startup.sh compares with BASE itself: not for this script).
# Run `npm run build` first: this checkout's dist/ is what is measured.
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh" # build_rev (the benches it runs source it themselves)
root="$(cd "$here/../.." && pwd)"
BASE=${1:-main}
shift || true
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(list results)
REPEAT=${REPEAT:-1}
for b in "${benches[@]}"; do
  [ -f "$here/$b.sh" ] || { echo "no benchmark scripts/bench/$b.sh" >&2; exit 2; }
  [ "$b" != startup ] && [ "$b" != compare ] && [ "$b" != all ] || { echo "$b.sh is not a ratio benchmark for this script" >&2; exit 2; }
done
[ -d "$root/dist" ] || { echo "dist/ is missing: run 'npm run build' first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base="$work/base"
build_rev "$BASE" "$base"
echo "BASE $BASE ($(git -C "$root" rev-parse --short "$BASE")) vs this checkout ($(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src bin || echo ', uncommitted changes')); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# The ratio lines of a benchmark's output: "LABEL<TAB>RATIO", the first `N.NNx` of each line that has one.
ratios() {
  awk '/^[^ \t]/ {heading = $0; sub(/ \(median.*$/, "", heading)}
    match($0, /[0-9]*\.[0-9]+x/) {
      label = substr($0, 1, RSTART - 1); sub(/:.*$/, "", label); sub(/[ \t]*ratio[ \t]*$/, "", label)
      gsub(/^[ \t]+|[ \t]+$/, "", label); gsub(/[ \t]+/, " ", label)
      if (label == "") label = heading
      print label "\t" substr($0, RSTART, RLENGTH - 1)
    }' "$1"
}

for b in "${benches[@]}"; do
  for r in $(seq "$REPEAT"); do
    order=(base this)
    [ $((r % 2)) -eq 0 ] && order=(this base)
    for side in "${order[@]}"; do
      bin="$root/bin/run.js"
      [ "$side" = base ] && bin="$base/bin/run.js"
      echo "== $b ($side, run $r)" >&2
      XV_BIN="$bin" bash "$here/$b.sh" > "$work/$b.$side.$r.out" 2> "$work/$b.$side.$r.err" || { echo "$b.sh failed against $side:" >&2; tail -5 "$work/$b.$side.$r.err" >&2; exit 1; }
      ratios "$work/$b.$side.$r.out" > "$work/$b.$side.$r.ratios"
    done
  done

  echo
  echo "$b.sh (ratios as the script prints them; lower is better)"
  printf '  %-56s %9s %9s %8s  %s\n' "" "$BASE" "this" "change" "verdict"
  for r in $(seq "$REPEAT"); do
    paste "$work/$b.base.$r.ratios" "$work/$b.this.$r.ratios" | while IFS=$'\t' read -r label rb _ rt; do
      [ -n "$rb" ] && [ -n "$rt" ] || continue
      change=$(echo "($rt - $rb) * 100 / $rb" | bc -l)
      verdict=ok
      if (($(echo "$change > 10" | bc -l))); then verdict="REGRESSION (> +10 %)"; elif (($(echo "$change < -10" | bc -l))); then verdict=faster; fi
      printf '  %-56s %8.2fx %8.2fx %+7.1f%%  %s\n' "${label:0:56}" "$rb" "$rt" "$change" "$verdict"
    done
  done
done
