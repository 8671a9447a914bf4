#!/usr/bin/env bash
# Test extra: the real GTO (pinned) in ./.venv, so the tests can check that the stage tags
# `xv model assign` writes are what `gto show` reads. Called by the test global setup after
# install-dvc.sh. Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
GTO_VERSION="1.10.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
if [ "${XV_SKIP_DVC_INSTALL:-}" = "1" ]; then exit 0; fi
if [ ! -x "$venv/bin/python" ]; then bash "$root/scripts/install-dvc.sh"; fi
exec 9>"$root/.venv.lock"
flock 9 2>/dev/null || true
if "$venv/bin/python" - "$GTO_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("gto") == sys.argv[1] else 1)
PY
then
  exit 0
fi
echo "xv: installing gto==$GTO_VERSION (test extra) into $venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "gto==$GTO_VERSION" \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
"$venv/bin/gto" --version >/dev/null
