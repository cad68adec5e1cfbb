// Drives the real, built Atelier app under Xvfb through tauri-driver and
// WebKitWebDriver. Each session gets its own HOME, so app data, recent
// projects and git config never leak between tests or from the developer.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import net from "node:net";
import { remote } from "webdriverio";

const root = resolve(import.meta.dirname, "../..");
export const APP = process.env.ATELIER_APP ?? join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug", "atelier-app");
export const SHOTS = join(root, "tests/e2e/screenshots");
mkdirSync(SHOTS, { recursive: true });

function waitForPort(port, ms) {
  const until = Date.now() + ms;
  return new Promise((ok, fail) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.on("connect", () => (s.end(), ok()));
      s.on("error", () => (Date.now() > until ? fail(new Error(`port ${port} never opened`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

/** A TCP port nobody listens on now (so parallel runs never collide). */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts tauri-driver with a fresh HOME and opens a session on the app.
 *
 * The app paints without OpenGL compositing on a machine without a GPU (see
 * src-tauri/src/paint.rs), as this one is. WebKitWebDriver's screenshot never
 * returns from such a window while it is idle, so the tests ask for
 * compositing (`WEBKIT_DISABLE_COMPOSITING_MODE=0`), which the app leaves as
 * set; `{ appPaints: true }` lets the app choose, as it does for a person:
 * the benchmarks, and a test without screenshots.
 */
export async function launch({ appPaints = false } = {}) {
  const home = mkdtempSync(join(tmpdir(), "atelier-e2e-home-"));
  const paint = { ...process.env };
  if (appPaints) delete paint.WEBKIT_DISABLE_COMPOSITING_MODE;
  else paint.WEBKIT_DISABLE_COMPOSITING_MODE ??= "0";
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...paint, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_DATA_HOME: join(home, ".local/share"), GIT_CONFIG_NOSYSTEM: "1" },
    // Its own process group, so closing kills the driver, WebKitWebDriver and
    // the app together; no inherited stdout, or an app left behind would keep
    // the test runner waiting for the pipe to close.
    // ATELIER_E2E_LOG=FILE keeps the app's stderr, for debugging.
    detached: true,
    stdio: process.env.ATELIER_E2E_LOG ? ["ignore", openSync(process.env.ATELIER_E2E_LOG, "a"), openSync(process.env.ATELIER_E2E_LOG, "a")] : "ignore",
  });
  await waitForPort(port, 20000);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    capabilities: { "tauri:options": { application: APP } },
  });
  const close = async () => {
    await browser.deleteSession().catch(() => {});
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return { browser, home, close };
}

export const byTest = (browser, id) => browser.$(`[data-testid="${id}"]`);

/**
 * Clicks a canvas node once it has stopped moving: the canvas may still be
 * fitting its view, and a click at the node's old place lands on the pane.
 */
export async function clickNode(browser, id) {
  const node = await byTest(browser, `node-${id}`);
  await node.waitForDisplayed({ timeout: 15000 });
  let last = "";
  await waitFor(browser, `node ${id} to stand still`, async () => {
    const now = JSON.stringify(await node.getLocation());
    const still = now === last;
    last = now;
    return still;
  });
  await node.click();
}

export async function shot(browser, name) {
  await browser.saveScreenshot(join(SHOTS, `${name}.png`));
}

export function git(dir, ...args) {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
}

/** The example project in a new temp dir, committed as a repository's first commit. */
export function exampleRepo() {
  const dir = join(mkdtempSync(join(tmpdir(), "atelier-e2e-")), "claims");
  execFileSync(join(dirname(APP), "atelier"), ["init", dir, "--example"]);
  git(dir, "add", "-A");
  git(dir, "-c", "user.name=E2E", "-c", "user.email=e2e@example.com", "commit", "-qm", "The example");
  return dir;
}

/** The id of a chain step: `s0042`. */
export const chainStep = (i) => `s${String(i).padStart(4, "0")}`;

/**
 * Adds workflow `chain` to the project at `dir`: `steps` code steps one after
 * the other, each running `code`, laid out `perRow` to a row, with test case
 * `one` giving `input`. Returns the last step's id.
 */
export function writeChain(dir, { steps, perRow, code, input }) {
  const wfSteps = {};
  const nodes = {};
  for (let i = 0; i < steps; i++) {
    wfSteps[chainStep(i)] = { kind: "data_transform", name: `Step ${i}`, next: i + 1 < steps ? chainStep(i + 1) : "done" };
    nodes[chainStep(i)] = { x: (i % perRow) * 260, y: Math.floor(i / perRow) * 140 };
  }
  wfSteps.done = { kind: "end", name: "Done" };
  nodes.done = { x: 0, y: Math.ceil(steps / perRow) * 140 };
  const w = join(dir, "workflows/chain");
  mkdirSync(join(w, "steps"), { recursive: true });
  mkdirSync(join(w, "tests"), { recursive: true });
  writeFileSync(join(w, "workflow.json"), JSON.stringify({ name: "Chain", start: chainStep(0), steps: wfSteps }));
  writeFileSync(join(w, "layout.json"), JSON.stringify({ nodes }));
  for (let i = 0; i < steps; i++) writeFileSync(join(w, "steps", `${chainStep(i)}.js`), code);
  writeFileSync(join(w, "tests/one.json"), JSON.stringify({ name: "one", input }));
  execFileSync(join(dirname(APP), "atelier"), ["-C", dir, "fmt"]);
  return chainStep(steps - 1);
}

/** What an element says: textContent, since WebKitWebDriver's getText leaves out clipped text. */
export const text = async (browser, id) => (await byTest(browser, id)).getProperty("textContent");

/** Waits for `f`; on a timeout, keeps a screenshot named after `what`. */
export async function waitFor(browser, what, f, timeout = 15000) {
  try {
    await browser.waitUntil(f, { timeout, interval: 100 });
  } catch {
    await shot(browser, `failed-${what.replace(/\W+/g, "-")}`);
    throw new Error(`timed out waiting for ${what}`);
  }
}

/**
 * Opens the project at `dir` from the start screen, and waits for `shown`
 * (the example's canvas unless told), at most `timeout` ms.
 */
export async function openFolder(browser, dir, shown = "node-convert", timeout = 15000) {
  await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 20000 });
  await (await byTest(browser, "project-path")).setValue(dir);
  await (await byTest(browser, "open-project")).click();
  await (await byTest(browser, shown)).waitForDisplayed({ timeout });
}

/** The 95th percentile of frame times, the first two (warm-up) left out. */
export const p95 = (xs) => {
  const s = xs.slice(2).sort((a, b) => a - b);
  return Math.round((s[Math.floor(s.length * 0.95)] ?? NaN) * 10) / 10;
};

/** Frame times (ms) recorded by requestAnimationFrame while `act` runs. */
export async function frames(browser, act) {
  await browser.execute(() => {
    window.__frames = [];
    window.__rec = true;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__rec) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await act();
  return browser.execute(() => ((window.__rec = false), window.__frames));
}
