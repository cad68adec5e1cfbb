#!/usr/bin/env bash
# Issue 14's for_each target: a for_each over 10,000 items of a one-step
# body, warm (each `atelier test` case after the first), under 100 ms. The
# whole process with one case is timed beside it, and a plain chain of the
# same body's step run once, so the per-item cost shows.
#   scripts/bench-foreach.sh            (ITEMS=10000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-10000}
KEEP=${KEEP:-}
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release -q -p atelier-cli
bin=$PWD/target/release/atelier
dir=$(mktemp -d)
[ -n "$KEEP" ] || trap 'rm -rf "$dir"' EXIT
"$bin" init "$dir/p" >/dev/null
python3 - "$dir/p" "$ITEMS" <<'PY'
import json, os, sys
root, n = sys.argv[1], int(sys.argv[2])
def write(rel, value):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(value if isinstance(value, str) else json.dumps(value, indent=2) + "\n")
write("workflows/double/workflow.json", {"name": "Double", "start": "double", "steps": {
    "double": {"kind": "custom_code", "name": "Double", "next": "done"},
    "done": {"kind": "end", "name": "Done", "output": "{{input.doubled}}"}}})
write("workflows/double/layout.json", {"nodes": {}})
write("workflows/double/steps/double.js", "function run(input) {\n  return { doubled: input.item * 2 };\n}\n")
items = list(range(n))
for name, cases in (("each", 1), ("each3", 3)):
    write(f"workflows/{name}/workflow.json", {"name": name, "start": "each", "steps": {
        "each": {"kind": "for_each", "name": "Each", "items": "input.items", "workflow": "double", "save_as": "out", "next": "done"},
        "done": {"kind": "end", "name": "Done", "output": {"last": "{{input.out.%d}}" % (n - 1)}}}})
    write(f"workflows/{name}/layout.json", {"nodes": {}})
    for c in range(cases):
        write(f"workflows/{name}/tests/case{c}.json", {"name": f"case {c}", "input": {"items": items},
              "expect": {"status": "completed", "output": {"last": 2 * (n - 1)}}})
PY
"$bin" -C "$dir/p" fmt >/dev/null
"$bin" -C "$dir/p" test each3 >/dev/null || { "$bin" -C "$dir/p" test each3 | tail -20; exit 1; }
hyperfine -N --warmup 1 --runs 5 --export-json "$dir/a.json" \
  -n "one case" "$bin -C $dir/p test each" \
  -n "three cases" "$bin -C $dir/p test each3" >/dev/null
python3 - "$dir/a.json" "$ITEMS" <<'PY'
import json, sys
a = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
one = a["one case"]["mean"] * 1000
further = (a["three cases"]["mean"] * 1000 - one) / 2
print(f"| for_each over {n} items, one-step body | ms | target |")
print("|---|---:|---|")
print(f"| `atelier test`, whole process, one case | {one:.0f} | |")
print(f"| `atelier test`, each case after the first (warm) | {further:.0f} | < 100: {'met' if further < 100 else 'not met'} |")
print(f"| the same, per item | {further * 1000 / n:.1f} µs | |")
PY
