// End-to-end: a long run's answer lights the steps and shows the result
// without its trace events (they are many); the events follow from the app
// at once, so the trace list and a step's details are there a moment later;
// the run history keeps all of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { byTest, clickNode, exampleRepo, launch, openFolder, shot, text, waitFor, writeChain } from "./harness.mjs";

const STEPS = 200;

test("a long run: its steps are lit with the result, and its trace and step details follow", async () => {
  // The example project with a chain of STEPS code steps, each adding 1 to `n`.
  const dir = exampleRepo();
  const last = writeChain(dir, { steps: STEPS, perRow: 20, code: "function run(input) {\n  return { ...input, n: input.n + 1 };\n}\n", input: { n: 0 } });
  const { browser, close } = await launch();
  try {
    await openFolder(browser, dir, "explorer-chain");
    await (await byTest(browser, "explorer-chain")).click();
    await (await byTest(browser, `node-${last}`)).waitForExist({ timeout: 15000 });
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "one");
    await (await byTest(browser, "run-preview")).click();
    await waitFor(browser, "the run ends at done", async () => /completed at done/.test(await text(browser, "preview-result")));
    assert.equal(await (await byTest(browser, `node-${last}`)).getAttribute("aria-description"), "preview ok");
    // The trace list lists the run's last step once the events are here.
    await (await byTest(browser, `trace-${last}`)).waitForExist({ timeout: 15000 });
    // A step's details: what it got and gave.
    await clickNode(browser, last);
    await waitFor(browser, "the last step's output", async () => /"n": 200/.test(await text(browser, "run-details")));
    await shot(browser, "15-long-run");
    // The history keeps the whole trace: the run, reopened on the canvas
    // opened afresh (unlit), lights the last step again.
    await (await byTest(browser, "explorer-expense-approval")).click();
    await (await byTest(browser, "node-convert")).waitForDisplayed();
    await (await byTest(browser, "explorer-chain")).click();
    await (await byTest(browser, `node-${last}`)).waitForExist({ timeout: 15000 });
    assert.equal(await (await byTest(browser, `node-${last}`)).getAttribute("aria-description"), null);
    await (await byTest(browser, "tab-history")).click();
    await (await byTest(browser, "reopen-run")).click();
    await waitFor(browser, "the kept run lights the last step", async () => (await (await byTest(browser, `node-${last}`)).getAttribute("aria-description")) === "preview ok");
  } finally {
    await close();
  }
});
