// End-to-end tests of the real app: a person's path through it, checked on
// screen, on disk and in git.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { APP, launch, byTest, clickNode, shot, git } from "./harness.mjs";

async function waitText(el, re, timeout = 15000) {
  let last = "";
  try {
    await el.waitUntil(async () => re.test((last = await el.getText())), { timeout });
  } catch {
    throw new Error(`never matched ${re}; last text: ${JSON.stringify(last)}`);
  }
}

test("create a project, add and connect three steps, edit code, save, commit", async () => {
  const { browser, close } = await launch();
  try {
    const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 20000 });
    await shot(browser, "01-start-screen");
    await (await byTest(browser, "project-path")).setValue(dir);
    await (await byTest(browser, "project-name")).setValue("Claims");
    await (await byTest(browser, "create-project")).click();

    await (await byTest(browser, "new-workflow-id")).setValue("intake");
    await (await byTest(browser, "new-workflow")).click();
    await (await byTest(browser, "node-done")).waitForDisplayed({ timeout: 10000 });

    for (const kind of ["data_transform", "condition", "custom_code"]) {
      await (await byTest(browser, `add-${kind}`)).click();
    }
    for (const id of ["transform-1", "check-1", "code-1"]) {
      await (await byTest(browser, `node-${id}`)).waitForDisplayed();
    }
    await (await byTest(browser, "fit")).click(); // everything in view, nothing under the minimap
    // Connect through the inspector: transform-1 → check-1 → (otherwise) code-1 → done.
    const pick = async (node, label, value) => {
      await clickNode(browser, node);
      const field = await browser.$(`//label[span[text()="${label}"]]/select`);
      await field.selectByAttribute("value", value);
    };
    await pick("transform-1", "Next step", "check-1");
    await pick("check-1", "Otherwise", "code-1");
    await pick("code-1", "Next step", "done");

    // Edit transform-1's code in the editor.
    await clickNode(browser, "transform-1");
    const content = await browser.$(".cm-content");
    await content.click();
    await browser.keys(["Control", "End"]);
    // (WebKitWebDriver drops a repeated character, so no `//` here.)
    await browser.keys("\n/* checked by e2e */\n");
    await (await byTest(browser, "dirty")).waitForDisplayed();
    await shot(browser, "02a-edited");
    await (await byTest(browser, "save")).click();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true, timeout: 10000 });
    await shot(browser, "02-three-steps-saved");

    const wf = JSON.parse(readFileSync(join(dir, "workflows/intake/workflow.json"), "utf8"));
    assert.equal(wf.steps["transform-1"].next, "check-1");
    assert.equal(wf.steps["check-1"].otherwise, "code-1");
    assert.equal(wf.steps["code-1"].next, "done");
    assert.match(readFileSync(join(dir, "workflows/intake/steps/transform-1.js"), "utf8"), /checked by e2e/);

    // Commit, giving the author once.
    await (await byTest(browser, "tab-commit")).click();
    await (await byTest(browser, "author-name")).setValue("Ada Analyst");
    await (await byTest(browser, "author-email")).setValue("ada@example.com");
    await (await byTest(browser, "commit-message")).setValue("Intake workflow");
    await (await byTest(browser, "commit")).click();
    await waitText(await byTest(browser, "history"), /Intake workflow/);
    await shot(browser, "03-committed");
    assert.equal(git(dir, "log", "--format=%an|%s").trim(), "Ada Analyst|Intake workflow");
    assert.equal(git(dir, "status", "--porcelain").trim(), "");
  } finally {
    await close();
  }
});

test("preview the example: steps light up and show their results", async () => {
  const { browser, home, close } = await launch();
  try {
    await (await byTest(browser, "open-example")).click();
    await (await byTest(browser, "node-fetch-rate")).waitForDisplayed({ timeout: 15000 });
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "small-claim");
    await (await byTest(browser, "run-preview")).click();
    await waitText(await byTest(browser, "preview-result"), /completed at approved/);
    // Beside the result, the real time the run took.
    assert.match(await (await byTest(browser, "preview-took")).getText(), /ran in \d+(\.\d)? (ms|s)/);
    const trace = await (await byTest(browser, "trace")).getText();
    assert.match(trace, /fetch-rate/);
    assert.match(trace, /convert/);
    await (await byTest(browser, "trace-convert")).click();
    await waitText(await byTest(browser, "run-details"), /110\.4/);
    assert.match(await (await byTest(browser, "node-convert")).getAttribute("class"), /run-ok/);
    await shot(browser, "04-preview-example");

    // Zoomed far out, the lights are drawn on one canvas over the steps; the
    // steps keep saying how they ran to screen readers.
    const lit = (await browser.$$(".step-node.run-ok")).length + (await browser.$$(".step-node.run-error")).length;
    assert.ok(lit >= 5, `${lit} steps lit`);
    for (let i = 0; i < 8; i++) await (await browser.$(".react-flow__controls-zoomout")).click();
    const convert = await byTest(browser, "node-convert");
    await browser.waitUntil(async () => /\bfar\b/.test(await convert.getAttribute("class")), { timeout: 5000, timeoutMsg: "not zoomed far out" });
    assert.equal(await (await byTest(browser, "run-lights")).getAttribute("data-lit"), String(lit));
    assert.doesNotMatch(await convert.getAttribute("class"), /run-/);
    assert.equal(await convert.getAttribute("aria-description"), "preview ok");
    await shot(browser, "04b-preview-far");

    // A typed input, run and kept as a new test case.
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "");
    const input = await byTest(browser, "preview-input");
    await input.clearValue();
    await input.setValue('{"amount": 50, "currency": "EUR"}');
    await (await byTest(browser, "run-preview")).click();
    await waitText(await byTest(browser, "preview-result"), /failed at rate-unavailable/);
    await (await byTest(browser, "new-case-id")).setValue("no-rate-service");
    await (await byTest(browser, "save-case")).click();
    const saved = join(home, ".local/share/dev.atelier.app/examples/expense-claims/workflows/expense-approval/tests/no-rate-service.json");
    await browser.waitUntil(async () => existsSync(saved), { timeout: 10000, timeoutMsg: "the test case was not written" });
    const kept = JSON.parse(readFileSync(saved, "utf8"));
    assert.deepEqual(kept.input, { amount: 50, currency: "EUR" });
    assert.equal(kept.expect.end_step, "rate-unavailable");
  } finally {
    await close();
  }
});

test("an approval without a decision is asked in a dialog", async () => {
  const { browser, home, close } = await launch();
  try {
    // The example, as the app would create it, with one case's decision removed.
    const dir = join(home, ".local/share/dev.atelier.app/examples/expense-claims");
    execFileSync(join(dirname(APP), "atelier"), ["init", dir, "--example"]);
    const casePath = join(dir, "workflows/expense-approval/tests/large-claim-approved.json");
    const c = JSON.parse(readFileSync(casePath, "utf8"));
    delete c.approvals;
    writeFileSync(casePath, JSON.stringify(c, null, 2) + "\n");

    await (await byTest(browser, "open-example")).click();
    await (await byTest(browser, "node-fetch-rate")).waitForDisplayed({ timeout: 15000 });
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "large-claim-approved");
    await (await byTest(browser, "run-preview")).click();
    const dialog = await byTest(browser, "approval-dialog");
    await dialog.waitForDisplayed({ timeout: 15000 });
    assert.match(await dialog.getText(), /Approve this expense claim\?/);
    await shot(browser, "05-approval-dialog");
    await (await byTest(browser, "approve")).click();
    await waitText(await byTest(browser, "preview-result"), /completed at approved/);
  } finally {
    await close();
  }
});

test("without a GPU the app paints without compositing, and a preview lights its steps", async () => {
  const { browser, home, close } = await launch({ appPaints: true });
  try {
    await (await byTest(browser, "open-example")).click();
    await (await byTest(browser, "node-convert")).waitForDisplayed({ timeout: 15000 });
    // The switch reaches WebKit's page process, a child of the app: its environment tells.
    const pages = execFileSync("pgrep", ["-f", "WebKitWebProcess"], { encoding: "utf8" }).trim().split("\n");
    const ours = pages.map((pid) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")).find((env) => env.includes(`HOME=${home}`));
    assert.ok(ours, "the app's page process");
    const gpu = existsSync("/dev/dri") && readdirSync("/dev/dri").some((n) => n.startsWith("renderD"));
    assert.equal(ours.includes("WEBKIT_DISABLE_COMPOSITING_MODE=1"), !gpu, gpu ? "a GPU: compositing stays" : "no GPU: compositing off");
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "small-claim");
    await (await byTest(browser, "run-preview")).click();
    await waitText(await byTest(browser, "preview-result"), /completed/, 30000);
    assert.match(await (await byTest(browser, "node-convert")).getAttribute("class"), /run-ok/);
  } finally {
    await close();
  }
});

test("a hostile step ends as an error on its node and the app still answers", async () => {
  const { browser, close } = await launch();
  try {
    await (await byTest(browser, "open-example")).click();
    await (await byTest(browser, "node-convert")).waitForDisplayed({ timeout: 15000 });
    await clickNode(browser, "convert");
    const content = await browser.$(".cm-content");
    await content.click();
    await browser.keys(["Control", "a"]);
    // The editor closes brackets as a person types; step over them as a person would.
    for (const part of ["function run(input", "ArrowRight", " { while (1", "ArrowRight", " {", "ArrowRight"]) {
      await browser.keys(part === "ArrowRight" ? ["ArrowRight"] : part);
    }
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "small-claim");
    await (await byTest(browser, "run-preview")).click();
    await waitText(await byTest(browser, "preview-result"), /failed/, 30000);
    assert.match(await (await byTest(browser, "node-convert")).getAttribute("class"), /run-error/);
    await (await byTest(browser, "trace-convert")).click();
    const stepError = await byTest(browser, "step-error");
    await stepError.waitForDisplayed();
    await shot(browser, "06-hostile-step");
    assert.match(await stepError.getText(), /limit exceeded/);
    // Still answering: another step can be selected and edited.
    await clickNode(browser, "fetch-rate");
    await (await byTest(browser, "step-name")).waitForDisplayed();
    assert.equal(await (await byTest(browser, "step-name")).getValue(), "Fetch exchange rate");
  } finally {
    await close();
  }
});

test("connect two steps by dragging from a handle, and save with Ctrl+S", async () => {
  const { browser, close } = await launch();
  try {
    const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "drag");
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 20000 });
    await (await byTest(browser, "project-path")).setValue(dir);
    await (await byTest(browser, "create-project")).click();
    await (await byTest(browser, "new-workflow-id")).setValue("intake");
    await (await byTest(browser, "new-workflow")).click();
    await (await byTest(browser, "node-done")).waitForDisplayed({ timeout: 10000 });
    await (await byTest(browser, "add-data_transform")).click();
    await (await byTest(browser, "node-transform-1")).waitForDisplayed();
    await (await byTest(browser, "fit")).click();
    await browser.pause(300);

    const from = await browser.$('.react-flow__handle[data-nodeid="transform-1"][data-handleid="next"]');
    const to = await browser.$('.react-flow__handle[data-nodeid="done"][data-handleid="in"]');
    await browser.action("pointer").move({ origin: from }).down().move({ origin: from, x: 10, y: 30, duration: 200 }).move({ origin: to, duration: 400 }).up().perform();
    await browser.waitUntil(async () => (await browser.$$(".react-flow__edge")).length >= 1, { timeout: 5000 });
    await (await byTest(browser, "dirty")).waitForDisplayed();

    // Ctrl+S, pressed on the canvas, saves.
    await clickNode(browser, "done");
    await browser.action("key").down("\uE009").down("s").up("s").up("\uE009").perform();
    await (await byTest(browser, "dirty")).waitForDisplayed({ reverse: true, timeout: 10000 });
    const wf = JSON.parse(readFileSync(join(dir, "workflows/intake/workflow.json"), "utf8"));
    assert.equal(wf.steps["transform-1"].next, "done");
    await shot(browser, "07-drag-connected-and-saved");
  } finally {
    await close();
  }
});

test("the page may call only Atelier's own commands: plugins it was not granted refuse", async () => {
  const { browser, close } = await launch();
  try {
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 20000 });
    const tryInvoke = (cmd, args) =>
      browser.executeAsync((cmd, args, done) => {
        window.__TAURI_INTERNALS__.invoke(cmd, args).then(
          () => done("allowed"),
          (e) => done(`refused: ${typeof e === "string" ? e : JSON.stringify(e)}`),
        );
      }, cmd, args);
    // The folder dialog is registered for Rust's own use, not the page's.
    assert.match(await tryInvoke("plugin:dialog|open", { options: { directory: true } }), /^refused: .*not allowed/);
    assert.match(await tryInvoke("plugin:fs|read_text_file", { path: "/etc/passwd" }), /^refused/);
    assert.match(await tryInvoke("plugin:shell|execute", { program: "sh", args: ["-c", "id"] }), /^refused/);
    // Its own commands answer.
    assert.equal(await tryInvoke("recent_projects", {}), "allowed");
  } finally {
    await close();
  }
});
