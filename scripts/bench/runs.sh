#!/usr/bin/env bash
# Run tracking (issue 10), each figure side by side with its baseline in the same run:
#   1. `xv run -- true` against bare `true`                       target: adds ≤ 0.3 s
#   2. `xv runs` over 100,000 recorded runs                        target: ≤ 0.5 s
#   3. `xv best f1` over 1,000,000 result rows against the same query in the sqlite3 CLI plus
#      `xv --version` (xv's own start-up)                          target: ≤ 1 s and ≤ 1.2×
#   4. `xv lineage` across 1,000 tags × 50 DVC pointers            target: ≤ 1.5 s
#   5. a training loop (real xetrack) writing 100,000 rows to the result database, bare against
#      under `xv run`, which records into the same database        target: no measurable slowdown
source "$(dirname "$0")/lib.sh"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores (medians: wall s / CPU s = user+sys of the command and its children)"
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 1; }
# "wall / cpu" of a list of "WALL CPU" pairs.
wc_() { echo "$(fmt "$(median_of 1 "$@")") s / $(fmt "$(median_of 2 "$@")") s cpu"; }
RUNS=${RUNS:-5}
NRUNS=${NRUNS:-100000}
NROWS=${NROWS:-1000000}
NTAGS=${NTAGS:-1000}
NPTR=${NPTR:-50}
NLOOP=${NLOOP:-100000}
LOOP_BATCH=${LOOP_BATCH:-1000} # rows per xetrack log_batch (one commit each), a progress line each
LOOP_RUNS=${LOOP_RUNS:-3}
SECTIONS=${SECTIONS:-12345} # which figures to measure (2 needs 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SQLITE=$(command -v sqlite3 || true)
[ -n "$SQLITE" ] || { echo "sqlite3 CLI not found (apt-get install sqlite3)" >&2; exit 1; }

# ---- 1. xv run -- true --------------------------------------------------------------------------
if [[ $SECTIONS == *1* ]]; then
cd "$work" && git init -q -b main run && cd run
echo "# bench" > README.md && dvc init -q && git add -A && git commit -qm init
xv run -- true >/dev/null 2>&1 # creates the tables and the claim (first-run costs left out)
bare=() wrapped=() startup=()
for _ in $(seq "$RUNS"); do
  bare+=("$(times_of true)")
  wrapped+=("$(times_of "$XV_BIN" run -- true)")
  startup+=("$(times_of "$XV_BIN" --version)")
done
b=$(median_of 1 "${bare[@]}"); w=$(median_of 1 "${wrapped[@]}"); s=$(median_of 1 "${startup[@]}")
bc_=$(median_of 2 "${bare[@]}"); wc1=$(median_of 2 "${wrapped[@]}")
echo "1. xv run -- true (median of $RUNS)"
echo "   true              : $(wc_ "${bare[@]}")"
echo "   xv --version      : $(wc_ "${startup[@]}")   (xv start-up alone)"
echo "   xv run -- true    : $(wc_ "${wrapped[@]}")   adds $(fmt "$(echo "$w - $b" | bc -l)") s wall, $(fmt "$(echo "$wc1 - $bc_" | bc -l)") s cpu (target ≤ 0.300)"

fi

# ---- 2. xv runs over 100,000 runs ------------------------------------------------------------------
if [[ $SECTIONS == *2* ]]; then
python3 - "$NRUNS" <<'PY'
import sqlite3, sys, json
n = int(sys.argv[1])
db = sqlite3.connect('results/experiments.db')
cols = [r[1] for r in db.execute('PRAGMA table_info(xv_runs)')]
base = dict(db.execute('SELECT * FROM xv_runs LIMIT 1').fetchone() and zip(cols, db.execute('SELECT * FROM xv_runs LIMIT 1').fetchone()))
rows = []
for i in range(n):
    r = dict(base)
    r['run_id'] = f'rbench-{i:07d}'
    r['version'] = f'e0.{i // 100}.0'
    r['status'] = ['completed', 'failed', 'cancelled', 'completed'][i % 4]
    r['created_at'] = f'2026-{1 + (i * 12) // n:02d}-01T00:00:{i % 60:02d}.000Z'
    rows.append(tuple(r[c] for c in cols))
db.executemany(f'INSERT INTO xv_runs VALUES ({",".join("?" * len(cols))})', rows)
db.commit()
PY
total=$(xv runs --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))')
[ "$total" -gt "$NRUNS" ] || { echo "xv runs saw $total runs" >&2; exit 1; }
list=() failed=()
for _ in $(seq "$RUNS"); do
  list+=("$(times_of "$XV_BIN" runs)")
  failed+=("$(times_of "$XV_BIN" runs --status failed --json)")
done
echo "2. xv runs over $total runs (median of $RUNS)"
echo "   xv runs                    : $(wc_ "${list[@]}") (target ≤ 0.500)"
echo "   xv runs --status failed    : $(wc_ "${failed[@]}")"
echo "   xv --version (start-up)    : $(wc_ "${startup[@]}")"

fi

# ---- 3. xv best f1 over 1,000,000 rows ------------------------------------------------------------
if [[ $SECTIONS == *3* ]]; then
cd "$work" && git init -q -b main best && cd best
echo "# bench" > README.md && git add -A && git commit -qm init && mkdir -p results
"$SQLITE" results/experiments.db "CREATE TABLE metrics(track_id TEXT, timestamp TEXT, version TEXT, model TEXT, lr REAL, bs INTEGER, f1 REAL, loss REAL);
WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < $NROWS - 1)
INSERT INTO metrics SELECT 'run'||(i/10), '2026-01-01', 'e0.'||(i/10000)||'.0', 'bert', 0.001*(1+i%7), 16*(1+i%4), ((i*7919)%1000003)/1000003.0, 0.3 FROM s;"
query="SELECT * FROM metrics WHERE typeof(f1) IN ('integer','real') ORDER BY f1 DESC, rowid DESC LIMIT 1"
sq=() bx=() vx=()
for _ in $(seq "$RUNS"); do
  sq+=("$(times_of "$SQLITE" results/experiments.db "$query")")
  vx+=("$(times_of "$XV_BIN" --version)")
  bx+=("$(times_of "$XV_BIN" best f1 --json)")
done
q=$(median_of 1 "${sq[@]}"); v=$(median_of 1 "${vx[@]}"); x=$(median_of 1 "${bx[@]}")
qc=$(median_of 2 "${sq[@]}"); vc=$(median_of 2 "${vx[@]}"); xc=$(median_of 2 "${bx[@]}")
base=$(echo "$q + $v" | bc -l); basec=$(echo "$qc + $vc" | bc -l)
echo "3. xv best f1 over $NROWS rows (median of $RUNS)"
echo "   sqlite3 CLI, same query     : $(wc_ "${sq[@]}")"
echo "   + xv --version              : $(fmt "$base") s / $(fmt "$basec") s cpu   (baseline)"
echo "   xv best f1 --json           : $(wc_ "${bx[@]}")   ratio $(ratio "$x" "$base") wall, $(ratio "$xc" "$basec") cpu (targets ≤ 1.000 s, ≤ 1.2×)"

fi

# ---- 4. xv lineage across 1,000 tags × 50 pointers ---------------------------------------------------
if [[ $SECTIONS == *4* ]]; then
cd "$work" && git init -q -b main lineage && cd lineage
node -e '
const tags = +process.argv[1], ptr = +process.argv[2]; const out = []
const md5 = (i, v) => ((BigInt(i) * 1000003n + BigInt(v)) * 0x9e3779b97f4a7c15n % (1n << 127n)).toString(16).padStart(32, "0").slice(0, 32)
const pointer = (i, v) => `outs:\n- md5: ${md5(i, v)}\n  size: ${100 + i}\n  hash: md5\n  path: p${i}.csv\n`
const ver = new Array(ptr).fill(0)
let mark = 0
for (let t = 0; t < tags; t++) {
  const msg = `c${t}`
  out.push(`commit refs/heads/main\nmark :${++mark}\ncommitter bench <b@x> ${1700000000 + t} +0000\ndata ${msg.length}\n${msg}\n`)
  if (t > 0) out.push(`from :${mark - 1}\n`)
  const changed = t === 0 ? [...Array(ptr).keys()] : [t % ptr]
  for (const i of changed) { if (t > 0) ver[i]++; const p = pointer(i, ver[i]); out.push(`M 100644 inline data/p${i}.csv.dvc\ndata ${Buffer.byteLength(p)}\n${p}\n`) }
  const v = `e${Math.floor(t / 1000)}.${Math.floor(t / 10) % 100}.${t % 10}`
  out.push(`tag ${v}\nfrom :${mark}\ntagger bench <b@x> ${1700000000 + t} +0000\ndata 4\nrun\n\n`)
}
process.stdout.write(out.join(""))' "$NTAGS" "$NPTR" | git fast-import --quiet
git reset -q --hard main
hash=$(sed -n 's/^- md5: //p' data/p7.csv.dvc)
ntags=$(git tag | wc -l)
uses=$(xv lineage --hash "$hash" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).uses.length))')
[ "$uses" -ge 1 ] || { echo "lineage found nothing" >&2; exit 1; }
lx=() hx=() fx=()
for _ in $(seq "$RUNS"); do
  fx+=("$(times_of git for-each-ref '--format=%(refname) %(objectname)' refs/tags)")
  lx+=("$(times_of "$XV_BIN" lineage data/p7.csv --json)")
  hx+=("$(times_of "$XV_BIN" lineage --hash "$hash" --json)")
done
echo "4. xv lineage across $ntags tags x $NPTR pointers (median of $RUNS; --hash found $uses tags)"
echo "   git for-each-ref (tags)      : $(wc_ "${fx[@]}")"
echo "   xv lineage data/p7.csv       : $(wc_ "${lx[@]}") (target ≤ 1.500)"
echo "   xv lineage --hash            : $(wc_ "${hx[@]}")"
fi

# ---- 5. a training loop writing 100,000 rows, bare against under xv run --------------------------
if [[ $SECTIONS == *5* ]]; then
cd "$work" && git init -q -b main loop && cd loop
cat > train.py <<'PY'
import math, os, sys, time
from xetrack import Tracker
n, batch = int(sys.argv[1]), int(sys.argv[2])
t = Tracker(db='results/experiments.db', table='metrics', params={'version': os.environ.get('XV_VERSION', 'e0.1.0')},
            track_id=os.environ.get('XV_RUN_ID'))
start, cpu, rows = time.time(), time.process_time(), []
for step in range(n):
    loss = sum(math.sin(step * k) ** 2 for k in range(20)) / 20  # a little compute per step
    rows.append({'step': step, 'loss': loss, 'lr': 0.001})
    if len(rows) == batch:
        t.log_batch(rows)
        rows = []
        print(f'step {step + 1} loss {loss:.4f}', flush=True)
if rows:
    t.log_batch(rows)
with open(os.environ['LOOP_TIME'], 'a') as f:
    f.write(f'{time.time() - start:.3f} {time.process_time() - cpu:.3f}\n')
PY
printf 'metrics: [loss]\n' > xv.yaml
echo "# bench" > README.md && dvc init -q && git add -A && git commit -qm init && mkdir -p results
PY_BIN=$(command -v python)
xv run -- true >/dev/null 2>&1 # tables and claim exist (first-run costs left out)
bare=() wrapped=()
: > "$work/loop-bare" && : > "$work/loop-xv"
for _ in $(seq "$LOOP_RUNS"); do
  bare+=("$(LOOP_TIME="$work/loop-bare" times_of "$PY_BIN" train.py "$NLOOP" "$LOOP_BATCH")")
  wrapped+=("$(LOOP_TIME="$work/loop-xv" times_of "$XV_BIN" run -- "$PY_BIN" train.py "$NLOOP" "$LOOP_BATCH")")
done
rows=$("$SQLITE" results/experiments.db 'SELECT count(*) FROM metrics')
[ "$rows" -eq $((2 * LOOP_RUNS * NLOOP)) ] || { echo "expected $((2 * LOOP_RUNS * NLOOP)) rows, found $rows" >&2; exit 1; }
pairs() { tr '\n' ',' < "$1" | sed 's/,$//; s/,/, /g'; }
lb=$(median_of 1 "$(cat "$work/loop-bare")"); lx=$(median_of 1 "$(cat "$work/loop-xv")")
lbc=$(median_of 2 "$(cat "$work/loop-bare")"); lxc=$(median_of 2 "$(cat "$work/loop-xv")")
wb=$(median_of 1 "${bare[@]}"); wx=$(median_of 1 "${wrapped[@]}")
echo "5. training loop, $NLOOP rows via xetrack log_batch($LOOP_BATCH) into the run's database (median of $LOOP_RUNS, alternating)"
echo "   loop alone, bare           : $(fmt "$lb") s / $(fmt "$lbc") s cpu   (the script's own timers; each run wall cpu: $(pairs "$work/loop-bare"))"
echo "   loop alone, under xv run   : $(fmt "$lx") s / $(fmt "$lxc") s cpu   ratio $(ratio "$lx" "$lb") wall, $(ratio "$lxc" "$lbc") cpu   (each: $(pairs "$work/loop-xv"))"
echo "   whole command, bare        : $(wc_ "${bare[@]}")"
echo "   whole command, xv run      : $(wc_ "${wrapped[@]}")   adds $(fmt "$(echo "$wx - $wb" | bc -l)") s wall"
echo "   xv_runs recorded           : $("$SQLITE" results/experiments.db "SELECT count(*) || ' runs, ' || sum(status = 'completed') || ' completed' FROM xv_runs")"
fi
