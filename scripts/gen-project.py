#!/usr/bin/env python3
"""Generates a large, valid Atelier project for benchmarks.

usage: gen-project.py OUT_DIR [WORKFLOWS=1000] [STEPS=20]

Each workflow is a chain of STEPS steps (api_call, data_transform with its
steps/<id>.js, condition, custom_code, ..., end) with a layout.json, so the
project exercises every kind of file `atelier validate` reads.
"""
import json
import os
import sys

SCHEMA = "https://atelier.dev/schema/v1/"


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        if isinstance(obj, str):
            f.write(obj)
        else:
            # Canonical form of these files: keys are already in declared order.
            f.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def workflow(n_steps):
    ids = [f"step-{i:03d}" for i in range(n_steps)]
    steps, scripts = {}, {}
    for i, sid in enumerate(ids):
        nxt = ids[i + 1] if i + 1 < n_steps else None
        if nxt is None:
            steps[sid] = {"kind": "end", "name": f"Finish {i}"}
        elif i % 5 == 0:
            steps[sid] = {"kind": "api_call", "name": f"Fetch {i}", "source": "backend", "method": "GET",
                          "path": f"/items/{{{{input.id}}}}/{i}", "next": nxt}
        elif i % 5 == 2:
            steps[sid] = {"kind": "condition", "name": f"Check {i}",
                          "branches": [{"when": f"input.total > {i}", "next": nxt}], "otherwise": nxt}
        else:
            kind = "data_transform" if i % 2 else "custom_code"
            steps[sid] = {"kind": kind, "name": f"Transform {i}", "next": nxt}
            scripts[sid] = ("function run(input) {\n"
                            f"  const total = [1, 2, 3, 4, 5].reduce((a, b) => a + b, input.total || 0) + {i};\n"
                            "  return { ...input, total };\n}\n")
    wf = {"$schema": SCHEMA + "workflow.schema.json", "name": "Generated", "triggers": [{"kind": "manual"}],
          "start": ids[0], "steps": dict(sorted(steps.items())), "on_error": {"policy": "fail"}}
    layout = {"$schema": SCHEMA + "layout.schema.json",
              "nodes": {sid: {"x": 240 * i, "y": 0} for i, sid in enumerate(ids)}}
    return wf, layout, scripts


def main():
    out = sys.argv[1]
    n_wf = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    n_steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    write(f"{out}/atelier.json", {"$schema": SCHEMA + "manifest.schema.json", "name": "Benchmark", "format": 1})
    write(f"{out}/sources/backend.json", {"$schema": SCHEMA + "source.schema.json", "name": "Backend",
                                          "base_url": "https://backend.example.com"})
    wf, layout, scripts = workflow(n_steps)
    for w in range(n_wf):
        d = f"{out}/workflows/wf-{w:04d}"
        wf["name"] = f"Generated workflow {w}"
        write(f"{d}/workflow.json", wf)
        write(f"{d}/layout.json", layout)
        for sid, code in scripts.items():
            write(f"{d}/steps/{sid}.js", code)


if __name__ == "__main__":
    main()
