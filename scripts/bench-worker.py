#!/usr/bin/env python3
"""The sandbox alone: one `atelier worker` process fed RUNS runs of a chain
of STEPS JavaScript steps (the step of scripts/bench-nodered.sh), one
request at a time, each run's answers read before the next request. Prints
the min, first quartile and median time a run, the first run left out.
Give several binaries to compare builds: they take turns, ROUNDS times.

  scripts/bench-worker.py target/release/atelier [/tmp/other-build ...]
"""
import json, os, statistics, subprocess, sys, time

steps, runs, rounds = (int(os.environ.get(k, d)) for k, d in (("STEPS", 1000), ("RUNS", 61), ("ROUNDS", 2)))
code = "function run(input) {\n  const total = input.items.reduce((a, b) => a + b, 0);\n  return { ...input, n: input.n + 1, total };\n}\n"
chain = [{"file": f"workflows/chain/steps/s{i:04}.js", "code": code} for i in range(steps)]
limits = {"loop_iterations": 10_000_000, "recursion": 400, "max_output_bytes": 8 << 20}
requests = [
    (json.dumps({"session": s + 1, "now_ms": 0, "seed": 1, "limits": limits,
                 "call": {"chain": {"steps": chain, "input": {"n": 0, "items": [1, 2, 3, 4, 5]}}}}) + "\n").encode()
    for s in range(runs)
]
for _ in range(rounds):
    for binary in sys.argv[1:]:
        worker = subprocess.Popen([binary, "worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        times = []
        for req in requests:
            t = time.perf_counter()
            worker.stdin.write(req)
            worker.stdin.flush()
            for _ in range(steps):
                worker.stdout.readline()
            times.append((time.perf_counter() - t) * 1000)
        worker.stdin.close()
        worker.wait()
        t = sorted(times[1:])
        print(f"{binary}: min {t[0]:.2f}, q1 {t[len(t) // 4]:.2f}, median {statistics.median(t):.2f} ms a run of {steps} steps")
