// End-to-end test of the source designer in the real app: a source opens from
// the explorer and from Ctrl+K, its form edits base URL, auth and headers, a
// save writes the file (and declares the secret), and the governance rule on
// allowed hosts shows met, then broken, beside the source.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, launch, byTest, shot, text, waitFor, openFolder } from "./harness.mjs";


const mark = async (browser, rule) => (await (await byTest(browser, `rule-${rule}`)).$(".governance-mark")).getAttribute("aria-label");

test("a source: open it, edit its address, auth and headers, save, and see the governance rule it breaks", async () => {
  const { browser, close } = await launch();
  try {
    const dir = exampleRepo();
    await openFolder(browser, dir);
    await (await byTest(browser, "explorer-fx-rates")).click();
    await (await byTest(browser, "source-designer")).waitForDisplayed();
    await waitFor(browser, "the title names the source", async () => /Source · Exchange rates/.test(await text(browser, "title")));
    assert.equal(await (await byTest(browser, "source-base-url")).getValue(), "https://fx.example.com/v1");
    assert.equal(await (await byTest(browser, "source-auth")).getValue(), "api_key");
    assert.equal(await mark(browser, "known-hosts"), "met");
    assert.equal(await (await browser.$('[aria-label="Value of header Accept"]')).getValue(), "application/json");
    await shot(browser, "55-source-designer");

    // Another host, a bearer token under the same secret's name, a header more.
    await (await byTest(browser, "source-base-url")).setValue("https://rates.elsewhere.example/v2");
    await (await byTest(browser, "source-auth")).selectByAttribute("value", "bearer");
    assert.equal(await (await byTest(browser, "source-secret")).getValue(), "FX_API_KEY");
    await (await byTest(browser, "header-new-name")).setValue("X-Trace");
    await (await byTest(browser, "header-new-value")).setValue("on");
    await (await byTest(browser, "header-add")).click();
    // An operation by hand (this service has no OpenAPI description): the one the example's step calls.
    await (await byTest(browser, "operation-new-path")).setValue("/latest");
    await (await byTest(browser, "operation-add")).click();
    await (await byTest(browser, "source-operations")).waitForDisplayed();
    await (await byTest(browser, "dirty")).waitForDisplayed();
    await browser.keys(["Control", "s"]);
    await waitFor(browser, "saved", async () => !(await (await byTest(browser, "dirty")).isExisting()));
    const saved = JSON.parse(readFileSync(join(dir, "sources/fx-rates.json"), "utf8"));
    assert.equal(saved.base_url, "https://rates.elsewhere.example/v2");
    assert.deepEqual(saved.auth, { kind: "bearer", secret: "FX_API_KEY" });
    assert.deepEqual(saved.headers, { Accept: "application/json", "X-Trace": "on" });
    assert.deepEqual(saved.operations, { "get-latest": { method: "GET", path: "/latest" } });
    // The allowed-hosts rule is now broken, here and in Problems.
    await waitFor(browser, "the rule shows broken", async () => (await mark(browser, "known-hosts")) === "broken");
    await (await byTest(browser, "source-problem")).waitForDisplayed();
    assert.match(await text(browser, "source-problem"), /rates\.elsewhere\.example/);
    await browser.execute(() => document.querySelector('[data-testid="source-designer"]').scrollTo(0, 0));
    await shot(browser, "56-source-breaks-a-rule");
    // The save is in the source's audit entries, with who made it.
    await waitFor(browser, "the save is audited", async () => /save/.test(await text(browser, "audit-entries")));
    await browser.execute(() => document.querySelector('[data-testid="governance"]').scrollIntoView());
    await shot(browser, "56b-source-governance");
    // Undo goes back to the saved file's state in the form, one edit at a time.
    await browser.keys(["Control", "z"]);
    await (await byTest(browser, "dirty")).waitForDisplayed();

    // Ctrl+K finds the source by its name and opens it (from a workflow).
    await (await byTest(browser, "explorer-expense-approval")).click();
    await browser.keys(["Control", "k"]);
    const input = await byTest(browser, "palette-input");
    await input.waitForDisplayed();
    await input.setValue("exchange rates");
    await (await byTest(browser, "palette-hit-sources/fx-rates")).click();
    await (await byTest(browser, "source-designer")).waitForDisplayed();
    await waitFor(browser, "the title names the source again", async () => /Source · Exchange rates/.test(await text(browser, "title")));
  } finally {
    await close();
  }
});
