#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the report's browser test (tests drive it with
# playwright-core; no browser is ever downloaded by npm). Installs the `chromium` package with
# apt-get when missing; fails with one line saying why when it cannot. Idempotent.
set -uo pipefail
bin="${XV_CHROMIUM:-/usr/bin/chromium}"
[ -x "$bin" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "xv: chromium missing at $bin and apt-get is not available: install Debian's chromium package (or set XV_CHROMIUM)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "xv: chromium missing at $bin and this user cannot run apt-get: run 'apt-get install chromium' as root" >&2
    exit 1
  fi
fi
exec 9>/tmp/xv-install-chromium.lock
flock 9 2>/dev/null || true
[ -x "$bin" ] && exit 0
log="$(mktemp)"
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >"$log" 2>&1; then
  echo "xv: apt-get install chromium failed: $(grep -E '^(E|W):' "$log" | head -1 || tail -1 "$log")" >&2
  exit 1
fi
[ -x "$bin" ] || { echo "xv: chromium installed but $bin is not there (set XV_CHROMIUM)" >&2; exit 1; }
