#!/usr/bin/env bash
# Seeing results at 1,000 versions, each tag with its frozen summary (results/metrics.json):
#   xv report (HTML)  ≤ 2 s and ≤ 2 MB;   xv plot f1 ≤ 0.5 s;
# side by side with xv's own start-up (xv --version) and the one batched git read they rest on
# (git cat-file --batch of every tag's summary).
source "$(dirname "$0")/lib.sh"
N=${N:-1000}
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b main repo && cd repo
printf 'metrics: [f1, {name: loss, direction: lower}]\nartifacts: []\n' > xv.yaml
git add xv.yaml && git commit -qm init
parent=$(git rev-parse HEAD)
# N commits, each changing results/metrics.json + results/params.yaml, each tagged — one fast-import stream.
node -e '
const n = +process.argv[1], parent = process.argv[2]; const out = []
for (let i = 0; i < n; i++) {
  const v = `e${Math.floor(i / 100)}.${i % 100}.0`
  const f1 = +(0.6 + 0.3 * (1 - Math.exp(-i / 300)) + 0.02 * Math.sin(i)).toFixed(4)
  const loss = +(1.2 * Math.exp(-i / 250) + 0.1).toFixed(4)
  const params = {model: i % 2 ? "bert" : "cnn", lr: 0.001, batch_size: 32}
  const summary = JSON.stringify({schema: 1, version: v, runs: 1 + (i % 4), rows: 4, best: {metric: "f1", direction: "higher", value: f1}, metrics: {f1, loss, accuracy: f1 + 0.05}, means: {f1, loss}, params}, null, 2) + "\n"
  const yaml = Object.entries(params).map(([k, x]) => `${k}: ${x}\n`).join("")
  const msg = `model=${params.model} | f1=${f1} | loss=${loss} | runs=${1 + (i % 4)} | run ${i}\n`
  const t = 1700000000 + i * 60
  out.push(`commit refs/heads/main\nmark :${i + 1}\ncommitter bench <b@x> ${t} +0000\ndata 6\ntrain\n${i === 0 ? `from ${parent}\n` : ""}M 644 inline results/metrics.json\ndata ${Buffer.byteLength(summary)}\n${summary}M 644 inline results/params.yaml\ndata ${Buffer.byteLength(yaml)}\n${yaml}`)
  out.push(`tag ${v}\nfrom :${i + 1}\ntagger bench <b@x> ${t} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`)
}
process.stdout.write(out.join("\n"))' "$N" "$parent" | git fast-import --quiet
git reset -q --hard main
count=$(xv plot f1 --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).versions.length))')
[ "$count" = "$N" ] || { echo "xv plot saw $count versions, expected $N" >&2; exit 1; }

catfile() { git for-each-ref --format='%(refname:strip=2):results/metrics.json' refs/tags | git cat-file --batch > /dev/null; }
s=(); c=(); p=(); r=()
for _ in $(seq "$RUNS"); do
  s+=("$(time_of xv --version)")
  c+=("$(time_of catfile)")
  p+=("$(time_of xv plot f1 --width 100)")
  r+=("$(time_of xv report -o report.html --force)")
done
S=$(median "${s[@]}"); C=$(median "${c[@]}"); P=$(median "${p[@]}"); R=$(median "${r[@]}")
size=$(stat -c %s report.html)
echo "seeing results, $N versions with frozen summaries (median of $RUNS)"
echo "  xv --version (start-up)          : $(fmt "$S") s"
echo "  git cat-file --batch (summaries) : $(fmt "$C") s"
echo "  xv plot f1                       : $(fmt "$P") s   (target ≤ 0.5 s; $(ratio "$P" "$S")x start-up)"
echo "  xv report -o report.html         : $(fmt "$R") s   (target ≤ 2 s; $(ratio "$R" "$S")x start-up)"
echo "  report.html size                 : $((size / 1024)) KB   (target ≤ 2048 KB)"
