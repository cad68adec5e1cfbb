#!/usr/bin/env bash
# Times `atelier validate` and `atelier fmt --check` on a generated project of
# 1,000 workflows x 20 steps, against `cat` of every file of the same project,
# in the same run. Prints a markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS=${WORKFLOWS:-1000}
STEPS=${STEPS:-20}
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release -q -p atelier-cli
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 scripts/gen-project.py "$dir/p" "$WORKFLOWS" "$STEPS"
bin=$PWD/target/release/atelier
"$bin" -C "$dir/p" validate >/dev/null
echo "project: $(find "$dir/p" -type f | wc -l) files, $(du -sh "$dir/p" | cut -f1)"
hyperfine -N --warmup 3 --runs 15 --export-markdown "$dir/table.md" \
  -n "cat every file (baseline)" "sh -c 'find $dir/p -type f -print0 | xargs -0 cat > /dev/null'" \
  -n "atelier validate" "$bin -C $dir/p validate" \
  -n "atelier fmt --check" "$bin -C $dir/p fmt --check"
cat "$dir/table.md"
