#!/usr/bin/env bash
# Pictures of what `xv report` and `xv plot` show a person, so anyone can look:
#   OUT/report.png        – the HTML report in headless Debian Chromium (offline)
#   OUT/report.html       – the report itself
#   OUT/plot-terminal.txt – a tmux capture of `xv plot f1 loss` in a 100x30 terminal (…-ansi.txt: with colours)
# Usage: bash scripts/screenshots.sh [OUT]   (default OUT: ./screenshots). Needs a built xv (npm run build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-screenshots}" && cd "${1:-screenshots}" && pwd)"
bash "$root/scripts/install-chromium.sh"
command -v tmux >/dev/null || { echo "screenshots: tmux is needed for the terminal capture (apt-get install tmux)" >&2; exit 1; }
xv="node $root/bin/run.js"
work="$(mktemp -d)"
trap 'tmux kill-session -t xv-shot 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
git init -q -b main && git config user.email demo@example.com && git config user.name demo
printf 'metrics: [f1, {name: loss, direction: lower}]\nartifacts: []\n' > xv.yaml
git add xv.yaml && git commit -q -m init
mkdir -p results
for i in $(seq 1 24); do
  python3 - "$i" > results/metrics.json <<'PY'
import json, math, sys
i = int(sys.argv[1])
f1 = round(0.55 + 0.35 * (1 - math.exp(-i / 6)) + 0.03 * math.sin(i), 4)
loss = round(1.2 * math.exp(-i / 8) + 0.15 + 0.02 * math.cos(i), 4)
model = 'cnn' if i < 10 else 'bert'
print(json.dumps({'schema': 1, 'version': f'e0.{i}.0', 'runs': 1 + i % 3, 'rows': 3, 'metrics': {'f1': f1, 'loss': loss},
                  'means': {'f1': f1, 'loss': loss}, 'params': {'model': model, 'lr': 0.001 if i % 2 else 0.0003},
                  'best': {'metric': 'f1', 'direction': 'higher', 'value': f1}}))
PY
  printf 'model: x\n' > results/params.yaml
  git add results && git commit -q -m "train $i"
  git tag -a "e0.$i.0" -m "$(python3 -c "import json;d=json.load(open('results/metrics.json'));print(' | '.join(f'{k}={v}' for k,v in {**d['params'],**d['metrics']}.items()) + ' | run $i')")"
done
$xv report -o "$out/report.html" --force --title "demo: experiment report"
node "$root/scripts/shoot-report.mjs" "$out/report.html" "$out/report.png" > "$out/report-browser.json"
echo "report: $out/report.png ($(cat "$out/report-browser.json"))"
tmux new-session -d -s xv-shot -x 100 -y 30 -c "$work"
tmux send-keys -t xv-shot "clear; FORCE_COLOR=1 $xv plot f1 loss" Enter
for _ in $(seq 1 50); do sleep 0.2; tmux capture-pane -p -t xv-shot | grep -q 'best e0' && break; done
sleep 0.3
tmux capture-pane -p -t xv-shot > "$out/plot-terminal.txt"
tmux capture-pane -p -e -t xv-shot > "$out/plot-terminal-ansi.txt"
echo "terminal chart: $out/plot-terminal.txt"
