#!/usr/bin/env bash
# Installs the pinned DVC (and xetrack, for tests that write result databases with the real
# tracker) into ./.venv. Used by users (`npm ci` runs it), by the tests and by CI.
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail
DVC_VERSION="3.67.1"
XETRACK_VERSION="0.7.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
py="${PYTHON:-python3}"

if [ "${XV_SKIP_DVC_INSTALL:-}" = "1" ]; then exit 0; fi
# One install at a time (npm's postinstall and a test run may start together).
mkdir -p "$root/node_modules/.cache" 2>/dev/null || true
exec 9>"$root/.venv.lock"
flock 9 2>/dev/null || true
if ! command -v "$py" >/dev/null 2>&1; then
  echo "xv: python3 not found; install Python 3.9+ to get DVC (or set XV_DVC to an existing dvc)" >&2
  exit 1
fi
if [ -x "$venv/bin/dvc" ] && [ -x "$venv/bin/python" ] \
   && "$venv/bin/python" - "$DVC_VERSION" "$XETRACK_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("dvc") == sys.argv[1] and version("xetrack") == sys.argv[2] else 1)
PY
then
  exit 0
fi
echo "xv: installing dvc==$DVC_VERSION and xetrack==$XETRACK_VERSION into $venv" >&2
"$py" -m venv "$venv"
# (pip's notes about absent local mirrors in this machine's pip.conf are dropped; errors stay.)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "dvc==$DVC_VERSION" "xetrack==$XETRACK_VERSION" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
"$venv/bin/dvc" --version >/dev/null
echo "xv: dvc $("$venv/bin/dvc" --version) ready at $venv/bin/dvc" >&2
