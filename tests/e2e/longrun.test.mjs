// End-to-end: a long run's answer lights the steps and shows the result
// without its trace events (they are many); the events follow from the app
// at once, so the trace list and a step's details are there a moment later.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { APP, byTest, clickNode, exampleRepo, launch, shot, text, waitFor } from "./harness.mjs";

const STEPS = 200;
const id = (i) => `s${String(i).padStart(4, "0")}`;

/** The example project with a chain of STEPS code steps, each adding 1 to `n`. */
function project() {
  const dir = exampleRepo();
  const steps = {};
  const nodes = {};
  for (let i = 0; i < STEPS; i++) {
    steps[id(i)] = { kind: "data_transform", name: `Step ${i}`, next: i + 1 < STEPS ? id(i + 1) : "done" };
    nodes[id(i)] = { x: (i % 20) * 260, y: Math.floor(i / 20) * 140 };
  }
  steps.done = { kind: "end", name: "Done" };
  nodes.done = { x: 0, y: Math.ceil(STEPS / 20) * 140 };
  const w = join(dir, "workflows/chain");
  mkdirSync(join(w, "steps"), { recursive: true });
  mkdirSync(join(w, "tests"), { recursive: true });
  writeFileSync(join(w, "workflow.json"), JSON.stringify({ name: "Chain", start: id(0), steps }));
  writeFileSync(join(w, "layout.json"), JSON.stringify({ nodes }));
  for (let i = 0; i < STEPS; i++) writeFileSync(join(w, "steps", `${id(i)}.js`), "function run(input) {\n  return { ...input, n: input.n + 1 };\n}\n");
  writeFileSync(join(w, "tests/one.json"), JSON.stringify({ name: "one", input: { n: 0 } }));
  execFileSync(join(dirname(APP), "atelier"), ["-C", dir, "fmt"]);
  return dir;
}

test("a long run: its steps are lit with the result, and its trace and step details follow", async () => {
  const dir = project();
  const { browser, close } = await launch();
  try {
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 20000 });
    await (await byTest(browser, "project-path")).setValue(dir);
    await (await byTest(browser, "open-project")).click();
    await (await byTest(browser, "explorer-chain")).waitForDisplayed({ timeout: 15000 });
    await (await byTest(browser, "explorer-chain")).click();
    await (await byTest(browser, `node-${id(STEPS - 1)}`)).waitForExist({ timeout: 15000 });
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "one");
    await (await byTest(browser, "run-preview")).click();
    await waitFor(browser, "the run ends at done", async () => /completed at done/.test(await text(browser, "preview-result")));
    assert.equal(await (await byTest(browser, `node-${id(STEPS - 1)}`)).getAttribute("aria-description"), "preview ok");
    // The trace list lists the run's last step once the events are here.
    await (await byTest(browser, `trace-${id(STEPS - 1)}`)).waitForExist({ timeout: 15000 });
    // A step's details: what it got and gave.
    await clickNode(browser, id(STEPS - 1));
    await waitFor(browser, "the last step's output", async () => /"n": 200/.test(await text(browser, "run-details")));
    await shot(browser, "15-long-run");
  } finally {
    await close();
  }
});
