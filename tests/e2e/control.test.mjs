// End-to-end: the control-flow steps in the real app. The example's claim
// with several lines checks each line in a called workflow (for_each), runs
// two checks side by side (parallel, join) and calls a shared workflow
// (sub_workflow); the preview lists the called workflows' steps under the
// step that called them, and the inspector opens the called workflow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, byTest, clickNode, shot, text, waitFor } from "./harness.mjs";

test("a claim with several lines: for_each, parallel and sub_workflow previewed, the called workflow opened", async () => {
  const { browser, close } = await launch();
  try {
    await (await byTest(browser, "open-example")).click();
    await (await byTest(browser, "node-fetch-rate")).waitForDisplayed({ timeout: 15000 });
    await (await byTest(browser, "explorer-expense-lines")).click();
    for (const step of ["check-lines", "checks", "budget-check", "policy-check", "both-checked", "notify"]) {
      await (await byTest(browser, `node-${step}`)).waitForDisplayed({ timeout: 15000 });
    }
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "a-line-rejected");
    await (await byTest(browser, "run-preview")).click();
    await waitFor(browser, "the run ends at done", async () => /completed at done/.test(await text(browser, "preview-result")));
    // The failed line is listed under the step that ran it, and the run went on.
    await (await byTest(browser, "trace-check-lines[1]/check")).waitForDisplayed();
    assert.match(await text(browser, "trace-check-lines[1]/check"), /line 2 \(Dinner\) has no positive amount/);
    await (await byTest(browser, "trace-notify/compose")).waitForDisplayed();
    assert.match(await (await byTest(browser, "node-checks")).getAttribute("class"), /run-ok/);
    assert.match(await (await byTest(browser, "node-check-lines")).getAttribute("class"), /run-ok/, "the caller, not its sub-run's failed line");
    await shot(browser, "40-control-flow-preview");

    // The failed line's run opens on the called workflow's canvas: its step
    // lit as failed, a banner naming the run, and the way back.
    await (await byTest(browser, "trace-check-lines[1]/check")).click();
    await waitFor(browser, "the sub-run's banner", async () => /check-lines\[1\], called from expense-lines/.test(await text(browser, "sub-run-banner")));
    await (await byTest(browser, "node-check")).waitForDisplayed({ timeout: 15000 });
    assert.match(await (await byTest(browser, "node-check")).getAttribute("class"), /run-error/, "the line's check failed in this run");
    assert.match(await text(browser, "trace"), /line 2 \(Dinner\)/);
    assert.doesNotMatch(await text(browser, "trace"), /check-lines\[0\]/, "only this item's run is listed");
    await shot(browser, "42-sub-run-on-its-canvas");
    await (await byTest(browser, "sub-run-back")).click();
    await (await byTest(browser, "node-checks")).waitForDisplayed({ timeout: 15000 });
    await waitFor(browser, "the caller's run is back on its canvas", async () => /run-ok/.test(await (await byTest(browser, "node-checks")).getAttribute("class")));
    assert.match(await text(browser, "preview-result"), /completed at done/);

    // The for_each step's inspector names its body and opens it.
    await clickNode(browser, "check-lines");
    await waitFor(browser, "the inspector shows the for_each", async () => /For each/.test(await text(browser, "inspector")));
    await shot(browser, "41-for-each-inspector");
    await (await byTest(browser, "open-called-workflow")).click();
    await (await byTest(browser, "node-check")).waitForDisplayed({ timeout: 15000 });
    await (await byTest(browser, "node-checked")).waitForDisplayed();
  } finally {
    await close();
  }
});
