#!/usr/bin/env bash
# Times `atelier diff` between two commits of a 1,000-workflow project that
# differ in 10 steps, against `git diff --stat` on the same commits; and a
# three-way merge of a 1,000-step workflow against `git merge-file` on the
# same three files. Prints markdown tables for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release -q -p atelier-cli
bin=$PWD/target/release/atelier
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

python3 scripts/gen-project.py "$dir/p" 1000 20
git -C "$dir/p" init -q && git -C "$dir/p" add -A && git -C "$dir/p" commit -qm base
for w in 0003 0101 0222 0333 0444 0555 0666 0777 0888 0999; do
  sed -i 's/"name": "Transform 1"/"name": "Transform one"/' "$dir/p/workflows/wf-$w/workflow.json"
done
git -C "$dir/p" commit -qam "ten steps renamed"
"$bin" -C "$dir/p" diff HEAD~1 HEAD | head -3
hyperfine -N --warmup 3 --runs 20 --export-markdown "$dir/diff.md" \
  -n "git diff --stat (baseline)" "git -C $dir/p diff --stat HEAD~1 HEAD" \
  -n "atelier diff" "$bin -C $dir/p diff HEAD~1 HEAD"
cat "$dir/diff.md"

# A 1,000-step workflow edited on both sides in different steps.
python3 scripts/gen-project.py "$dir/m" 1 1000
wf="$dir/m/workflows/wf-0000/workflow.json"
cp "$wf" "$dir/base.json"
sed 's/"name": "Transform 1"/"name": "Ours"/' "$dir/base.json" > "$dir/ours.json"
sed 's/"name": "Transform 999"/"name": "Theirs"/' "$dir/base.json" > "$dir/theirs.json"
hyperfine -N --warmup 3 --runs 20 --export-markdown "$dir/merge.md" \
  --prepare "cp $dir/ours.json $dir/work.json" \
  -n "git merge-file (baseline)" "git merge-file -p $dir/work.json $dir/base.json $dir/theirs.json" \
  -n "atelier merge-driver" "$bin merge-driver $dir/base.json $dir/work.json $dir/theirs.json workflows/wf-0000/workflow.json"
cat "$dir/merge.md"
