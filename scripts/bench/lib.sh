# Shared helpers for the benchmark scripts (sourced).
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
XV_BIN="$BENCH_ROOT/bin/run.js"
export PATH="$BENCH_ROOT/.venv/bin:$PATH"
export DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1 NO_COLOR=1
export GIT_AUTHOR_NAME="xv bench" GIT_AUTHOR_EMAIL="bench@xv.invalid" GIT_COMMITTER_NAME="xv bench" GIT_COMMITTER_EMAIL="bench@xv.invalid"

xv() { node "$XV_BIN" "$@"; }

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
