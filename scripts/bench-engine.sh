#!/usr/bin/env bash
# Engine benchmarks for BENCHMARKS.md: criterion (overhead per non-JS step,
# warm JS call, cold worker, 1,000-step JS run, runaway kill and replace),
# then peak memory of the host process and of a worker.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
cargo bench -p atelier-engine --bench engine 2>&1 | grep -E "^engine/|time:"
cargo build --release -q -p atelier-cli
bin=$PWD/target/release/atelier
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" init "$dir/ex" --example >/dev/null
echo "host: atelier test on the example (4 cases), peak RSS:"
/usr/bin/time -f "  %M KiB" "$bin" -C "$dir/ex" test >/dev/null
python3 - "$dir/reqs.jsonl" <<'PY'
import json, sys
code = "function run(input) {\n  const sum = [1, 2, 3, 4, 5].reduce((a, b) => a + b, 0);\n  return { counter: input.counter + 1, sum, blob: 'x'.repeat(1000) };\n}\n"
req = {"session": 1, "now_ms": 0, "seed": 0,
       "limits": {"loop_iterations": 10000000, "recursion": 400, "max_output_bytes": 8388608},
       "call": {"kind": "script", "file": "s.js", "code": code, "input": {"counter": 1}}}
open(sys.argv[1], "w").write((json.dumps(req) + "\n") * 5000)
PY
echo "worker: 5,000 warm calls, peak RSS:"
/usr/bin/time -f "  %M KiB" "$bin" worker --memory-mb 256 < "$dir/reqs.jsonl" >/dev/null
