#!/usr/bin/env bash
# Every benchmark in turn (about 20 minutes, ~15 GB of temporary disk at the peak).
set -euo pipefail
cd "$(dirname "$0")"
for b in list tag get diff merge worktree; do
  echo "== $b"
  bash "$b.sh"
done
