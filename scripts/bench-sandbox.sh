#!/usr/bin/env bash
# What the locked-down sandbox (issue 10) costs on the path a user takes:
# `atelier test` and `atelier run` on a 1,000-step chain of small JavaScript
# steps (one case, and four), and on a one-step workflow, for two builds of the CLI measured in the
# same run (hyperfine, warm page cache).
#
#   scripts/bench-sandbox.sh OLD_ATELIER NEW_ATELIER
set -euo pipefail
old=${1:?usage: bench-sandbox.sh OLD_ATELIER NEW_ATELIER}
new=${2:?usage: bench-sandbox.sh OLD_ATELIER NEW_ATELIER}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$new" init "$dir/p" >/dev/null
python3 - "$dir/p" <<'PY'
import json, os, sys
root = sys.argv[1]
def write(rel, value):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(value if isinstance(value, str) else json.dumps(value, indent=2) + "\n")
for name, n, cases in (("chain", 1000, 1), ("chain4", 1000, 4), ("one", 1, 1)):
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
"$new" -C "$dir/p" fmt >/dev/null
"$new" -C "$dir/p" test >/dev/null
hyperfine -N --warmup 3 --runs 20 \
  -n "before: atelier test chain (1,000 JS steps)" "$old -C $dir/p test chain" \
  -n "after:  atelier test chain (1,000 JS steps)" "$new -C $dir/p test chain" \
  -n "before: atelier test chain4 (4 cases)" "$old -C $dir/p test chain4" \
  -n "after:  atelier test chain4 (4 cases)" "$new -C $dir/p test chain4" \
  -n "before: atelier test one (1 JS step)" "$old -C $dir/p test one" \
  -n "after:  atelier test one (1 JS step)" "$new -C $dir/p test one" \
  --export-markdown "$dir/result.md" >/dev/null
cat "$dir/result.md"
