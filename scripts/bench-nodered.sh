#!/usr/bin/env bash
# Issue 14's preview-speed targets, side by side with Node-RED in one run: a
# linear chain of 1,000 small JavaScript steps (`n += 1; total =
# items.reduce(...)`), one message or one test case.
#   - Node-RED 5: the warm time of one message through 1,000 function nodes
#     (its runtime embedded in a Node.js process, no editor, no HTTP);
#   - `atelier test` with one case (the whole process) and with four (each
#     case after the first is (four - one) / 3), each command alone
#     (ATELIER_DAEMON=off) and with `atelier daemon start` running.
# Targets: each further case <= half of Node-RED's warm message; the whole
# one-case process <= Node-RED's warm message.
#   scripts/bench-nodered.sh            (installs node-red 5.0.7 under ~/.cache/atelier)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-1000}
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
nr=$HOME/.cache/atelier/node-red
if [ ! -d "$nr/node_modules/node-red" ]; then
  mkdir -p "$nr"
  (cd "$nr" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund node-red@5.0.7 >/dev/null)
fi
cargo build --release -q -p atelier-cli
bin=$PWD/target/release/atelier
dir=$(mktemp -d)
# The daemon of this run lives in the run's own directory.
export XDG_RUNTIME_DIR=$dir/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
[ -n "${KEEP:-}" ] || trap '"$bin" daemon stop >/dev/null; rm -rf "$dir"' EXIT


"$bin" init "$dir/p" >/dev/null
python3 - "$dir/p" "$STEPS" <<'PY'
import json, os, sys
root, n = sys.argv[1], int(sys.argv[2])
def write(rel, value):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(value if isinstance(value, str) else json.dumps(value, indent=2) + "\n")
for name, cases in (("chain", 1), ("chain4", 4)):
    steps = {f"s{i:04}": {"kind": "data_transform", "name": f"Step {i}", "next": f"s{i+1:04}" if i + 1 < n else "done"} for i in range(n)}
    steps["done"] = {"kind": "end", "name": "Done"}
    write(f"workflows/{name}/workflow.json", {"name": name, "start": "s0000", "steps": steps})
    write(f"workflows/{name}/layout.json", {"nodes": {}})
    for i in range(n):
        write(f"workflows/{name}/steps/s{i:04}.js",
              "function run(input) {\n  const total = input.items.reduce((a, b) => a + b, 0);\n  return { ...input, n: input.n + 1, total };\n}\n")
    for c in range(cases):
        write(f"workflows/{name}/tests/case{c}.json", {"name": f"case {c}", "input": {"n": 0, "items": [1, 2, 3, 4, 5]},
              "expect": {"status": "completed", "output": {"n": n, "items": [1, 2, 3, 4, 5], "total": 15}}})
PY
"$bin" -C "$dir/p" fmt >/dev/null
"$bin" -C "$dir/p" test chain4 >/dev/null
"$bin" daemon start --idle 1800 >/dev/null
# This VM is shared and its speed drifts by a third within minutes, so the
# two tools take turns: ROUNDS rounds, each a Node-RED run (30 warm messages)
# then hyperfine on both `atelier test` commands; every figure is a median,
# and each round's ratio is shown beside the medians of all rounds.
mkdir -p "$dir/nr-user"
for r in $(seq "${ROUNDS:-3}"); do
  node scripts/nodered-chain.cjs "$nr" "$STEPS" "$dir/nr-user" | tail -1 >"$dir/nr$r.json"
  ATELIER_DAEMON=off hyperfine -N --warmup 3 --runs 20 --export-json "$dir/a$r.json" \
    -n "atelier test chain (1 case)" "$bin -C $dir/p test chain" \
    -n "atelier test chain4 (4 cases)" "$bin -C $dir/p test chain4" >/dev/null
  hyperfine -N --warmup 3 --runs 20 --export-json "$dir/d$r.json" \
    -n "atelier test chain (1 case)" "$bin -C $dir/p test chain" \
    -n "atelier test chain4 (4 cases)" "$bin -C $dir/p test chain4" >/dev/null
done
"$bin" daemon status | grep "commands served"
python3 - "$dir" "${ROUNDS:-3}" "$STEPS" <<'PY'
import json, statistics, sys
d, rounds, steps = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
def medians(file):
    a = {x["command"]: x for x in json.load(open(file))["results"]}
    one = a["atelier test chain (1 case)"]["median"] * 1000
    four = a["atelier test chain4 (4 cases)"]["median"] * 1000
    return one, (four - one) / 3
for r in range(1, rounds + 1):
    nr = json.load(open(f"{d}/nr{r}.json"))["median"]
    one, further = medians(f"{d}/a{r}.json")
    d_one, d_further = medians(f"{d}/d{r}.json")
    rows.append((nr, one, further, d_one, d_further))
    print(f"round {r}: Node-RED {nr:.1f} ms; alone: whole process {one:.1f} ({one / nr:.2f}x), further case {further:.1f} ({further / nr:.2f}x); "
          f"daemon: whole process {d_one:.1f} ({d_one / nr:.2f}x), further case {d_further:.1f} ({d_further / nr:.2f}x)")
nr, one, further, d_one, d_further = (statistics.median(c) for c in zip(*rows))
print()
print(f"| {steps} JavaScript steps, one message / case (medians of {rounds} rounds) | ms | target |")
print("|---|---:|---|")
print(f"| Node-RED 5.0.7, warm message (median of 30 a round) | {nr:.1f} | baseline |")
for how, o, f in (("alone", one, further), ("with `atelier daemon start`", d_one, d_further)):
    print(f"| `atelier test` {how}, whole process, one case | {o:.1f} ({o / nr:.2f}x) | <= {nr:.1f}: {'met' if o <= nr else 'not met'} |")
    print(f"| `atelier test` {how}, each case after the first | {f:.1f} ({f / nr:.2f}x) | <= {nr / 2:.1f}: {'met' if f <= nr / 2 else 'not met'} |")
PY
