#!/usr/bin/env bash
# Times the index (issue 13) on a generated project of 1,000 workflows x 20
# steps, beside `grep -r` over the same files in the same run:
#   - a query: the whole `atelier search` process, index fresh;
#   - the full index: `atelier search` with no index yet (reads and indexes everything);
#   - an update: `atelier search` after one workflow file changed;
#   - the query and the update again with `atelier daemon start` running.
# Prints a markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS=${WORKFLOWS:-1000}
STEPS=${STEPS:-20}
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release -q -p atelier-cli
dir=$(mktemp -d)
bin=$PWD/target/release/atelier
# The daemon of this run lives in the run's own directory.
export XDG_RUNTIME_DIR=$dir/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
trap '"$bin" daemon stop >/dev/null; rm -rf "$dir"' EXIT
python3 scripts/gen-project.py "$dir/p" "$WORKFLOWS" "$STEPS"
p=$dir/p
echo "project: $(find "$p" -type f | wc -l) files, $(du -sh "$p" | cut -f1)"
"$bin" -C "$p" search rate >/dev/null
one=$p/workflows/wf-0500/workflow.json
# One --prepare per command (hyperfine's rule): nothing, nothing, touch one file, remove the index.
ATELIER_DAEMON=off hyperfine -N --warmup 3 --runs 20 --export-markdown "$dir/table.md" \
  --prepare "true" -n "grep -r (baseline)" "grep -r -l -i rate $p" \
  --prepare "true" -n "atelier search (index fresh)" "$bin -C $p search rate" \
  --prepare "touch $one" -n "atelier search after one file changed" "$bin -C $p search rate" \
  --prepare "rm -rf $p/.atelier" -n "atelier search with no index (full index)" "$bin -C $p search rate"
cat "$dir/table.md"
# With the daemon: grep reads every file, and each open is an event the
# daemon's watch reads too, so grep goes last here.
"$bin" daemon start >/dev/null
"$bin" -C "$p" search rate >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-markdown "$dir/daemon.md" \
  --prepare "true" -n "atelier search, daemon (index fresh)" "$bin -C $p search rate" \
  --prepare "touch $one" -n "atelier search, daemon, after one file changed" "$bin -C $p search rate" \
  --prepare "true" -n "grep -r (baseline)" "grep -r -l -i rate $p"
tail -n +3 "$dir/daemon.md"
"$bin" daemon status | grep "commands served"
