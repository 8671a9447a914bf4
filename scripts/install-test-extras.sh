#!/usr/bin/env bash
# Test extras: tmux, zsh and fish from Debian (terminal and completion tests) when missing; an
# S3-compatible server (moto in server mode), DVC's S3 plugin and GTO (the model
# registry tests check that `gto show` reads the stage tags xv writes), pinned, into the
# project's .venv beside DVC. Only the test suite runs this (test/helpers/global-setup.ts); users who
# do not need S3 never get them. Idempotent: does nothing when the pinned versions are there.
set -euo pipefail
DVC_S3_VERSION="3.3.0"
MOTO_VERSION="5.2.5"
GTO_VERSION="1.10.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

# The terminal tests drive tmux, and completion is tested in bash, zsh and fish: Debian packages.
missing=()
for tool in tmux zsh fish; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "xv: installing test extras ${missing[*]} (apt-get)" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null ||
    { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; } ||
    echo "xv: could not install ${missing[*]}; the terminal and completion tests will fail until they are installed" >&2
fi

if [ ! -x "$venv/bin/python" ]; then bash "$root/scripts/install-dvc.sh"; fi
exec 9>"$root/.venv.lock"
flock 9 2>/dev/null || true
if "$venv/bin/python" - "$DVC_S3_VERSION" "$MOTO_VERSION" "$GTO_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("dvc-s3") == sys.argv[1] and version("moto") == sys.argv[2] and version("gto") == sys.argv[3] else 1)
PY
then
  exit 0
fi
echo "xv: installing test extras dvc-s3==$DVC_S3_VERSION, moto[server]==$MOTO_VERSION and gto==$GTO_VERSION into $venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "dvc-s3==$DVC_S3_VERSION" "moto[server]==$MOTO_VERSION" "gto==$GTO_VERSION" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
test -x "$venv/bin/moto_server"
test -x "$venv/bin/gto"
