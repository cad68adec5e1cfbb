// End-to-end tests of a project that came from someone else: it asks for
// live calls, the person sees what it asks and grants it on this computer
// only; a preview waiting on a person can be stopped, and the app stays free.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { APP, launch, byTest, shot, git, text, waitFor, openFolder } from "./harness.mjs";

const CLI = join(dirname(APP), "atelier");
/** The example, cloned as a teammate would share it, asking for live calls. */
function askingExample() {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
  execFileSync(CLI, ["init", dir, "--example"]);
  const manifest = join(dir, "atelier.json");
  const m = JSON.parse(readFileSync(manifest, "utf8"));
  m.settings = { preview: { live_hosts: ["fx.example.com"], script_timeout_ms: 1e15 } };
  writeFileSync(manifest, JSON.stringify(m, null, 2) + "\n");
  return dir;
}

test("a project asks for live calls; the person grants them on this computer, not in the project", async () => {
  const { browser, home, close } = await launch();
  try {
    const dir = askingExample();
    const before = git(dir, "status", "--porcelain", "--untracked-files=all");
    await openFolder(browser, dir);
    const button = await byTest(browser, "permissions-button");
    await waitFor(browser, "the toolbar says a host is asked for", async () => /Permissions \(1\)/.test(await button.getProperty("textContent")));
    await button.click();
    const dialog = await byTest(browser, "permissions-dialog");
    await dialog.waitForDisplayed();
    await (await byTest(browser, "grant-host-fx.example.com")).waitForDisplayed();
    const limits = await text(browser, "grant-limits");
    assert.match(limits, /Time per script call.*1,000,000,000,000,000 ms.*5,000 ms.*5,000 ms/s);
    await shot(browser, "10-permissions");
    await (await byTest(browser, "grant-host-fx.example.com")).click();
    await (await byTest(browser, "grant-secret-FX_API_KEY")).setValue("MY_FX_KEY");
    await (await byTest(browser, "grant-save")).click();
    await dialog.waitForDisplayed({ reverse: true });
    await waitFor(browser, "the toolbar no longer asks", async () => (await button.getProperty("textContent")).trim() === "Permissions");

    // The grant is kept on this computer, and the project did not change.
    const kept = readdirSync(join(home, ".config/atelier/projects"));
    assert.equal(kept.length, 1);
    const grants = JSON.parse(readFileSync(join(home, ".config/atelier/projects", kept[0]), "utf8"));
    assert.deepEqual(grants.live_hosts, ["fx.example.com"]);
    assert.deepEqual(grants.secrets, { FX_API_KEY: "MY_FX_KEY" });
    assert.equal(git(dir, "status", "--porcelain", "--untracked-files=all"), before);

    // The CLI on the same computer sees the same grant.
    const shown = execFileSync(CLI, ["-C", dir, "permissions"], { encoding: "utf8", env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") } });
    assert.match(shown, /fx\.example\.com\s+granted/);
  } finally {
    await close();
  }
});

test("a preview waiting for an approval can be stopped, and the app stays usable meanwhile", async () => {
  const { browser, close } = await launch();
  try {
    const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
    execFileSync(CLI, ["init", dir, "--example"]);
    // A case without its approval's decision: the preview asks the person.
    const p = join(dir, "workflows/expense-approval/tests/large-claim-approved.json");
    const c = JSON.parse(readFileSync(p, "utf8"));
    delete c.approvals;
    writeFileSync(p, JSON.stringify(c, null, 2) + "\n");
    await openFolder(browser, dir);
    await (await byTest(browser, "preview-case")).selectByAttribute("value", "large-claim-approved");
    await (await byTest(browser, "run-preview")).click();
    await (await byTest(browser, "approval-dialog")).waitForDisplayed({ timeout: 15000 });
    // While it waits, the project is not held: a command that needs it answers at once.
    const started = Date.now();
    const history = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke("git_log", {}).then(
        (log) => done(`${log.length} commit(s)`),
        (e) => done(`refused: ${JSON.stringify(e)}`),
      );
    });
    assert.match(history, /^\d+ commit\(s\)$/);
    assert.ok(Date.now() - started < 3000, `git_log took ${Date.now() - started} ms while a preview waited`);
    await (await byTest(browser, "approval-cancel")).click();
    const result = await byTest(browser, "preview-result");
    await result.waitForDisplayed({ timeout: 10000 });
    assert.match(await result.getProperty("textContent"), /failed.*the preview was cancelled/);
    await shot(browser, "11-preview-cancelled");
  } finally {
    await close();
  }
});
