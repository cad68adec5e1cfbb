// App measurements for BENCHMARKS.md (issue 5): start to the start screen;
// idle memory there; opening a generated workflow of N steps to a usable
// canvas; p95 frame time while dragging a node and while panning, at 1,000
// and 2,000 steps. Run on the release build under Xvfb:
//   ATELIER_APP=target/release/atelier-app xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-app.mjs
import { execFileSync, execSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { APP, launch, byTest } from "./harness.mjs";

const root = resolve(import.meta.dirname, "../..");

/** RSS of the app and the WebKit processes it started, in MiB. */
function rssMiB() {
  const out = execSync("ps -eo rss,comm | grep -E 'atelier-app|WebKitWebProces|WebKitNetworkPr' || true", { encoding: "utf8" });
  return out.split("\n").filter(Boolean).reduce((a, l) => a + Number(l.trim().split(/\s+/)[0]), 0) / 1024;
}

const p95 = (xs) => {
  const s = xs.slice(2).sort((a, b) => a - b);
  return Math.round((s[Math.floor(s.length * 0.95)] ?? NaN) * 10) / 10;
};

/** Frame times (ms) recorded by requestAnimationFrame while `act` runs. */
async function frames(browser, act) {
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

async function measure(steps) {
  const dir = mkdtempSync(join(tmpdir(), "atelier-bench-"));
  execFileSync("python3", [join(root, "scripts/gen-project.py"), join(dir, "p"), "1", String(steps)]);
  const t0 = Date.now();
  const { browser, close } = await launch();
  try {
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 30000 });
    const start = Date.now() - t0;
    const firstPaint = await browser.execute(() => performance.getEntriesByName("start-screen")[0]?.startTime ?? NaN);
    await new Promise((r) => setTimeout(r, 3000));
    const idle = rssMiB();
    await (await byTest(browser, "project-path")).setValue(join(dir, "p"));
    const t1 = Date.now();
    await (await byTest(browser, "open-project")).click();
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelectorAll(".react-flow__node").length)) >= steps, { timeout: 60000, interval: 20 });
    const open = Date.now() - t1;
    const pane = await browser.$(".react-flow__pane");
    const pan = await frames(browser, () =>
      browser.action("pointer").move({ origin: pane, x: 0, y: 0 }).down().move({ origin: pane, x: -200, y: -120, duration: 1500 }).move({ origin: pane, x: 150, y: 100, duration: 1500 }).up().perform(),
    );
    // Drag a node that is on screen.
    const node = await browser.$(".react-flow__node");
    const drag = await frames(browser, () =>
      browser.action("pointer").move({ origin: node, x: 0, y: 0 }).down().move({ origin: node, x: 160, y: 90, duration: 1500 }).move({ origin: node, x: -40, y: 20, duration: 1500 }).up().perform(),
    );
    const moved = await browser.execute(() => !!document.querySelector('[data-testid="dirty"]'));
    const loaded = rssMiB();
    return { steps, start, firstPaint: Math.round(firstPaint), idle: Math.round(idle), open, pan: p95(pan), panFrames: pan.length, drag: p95(drag), dragFrames: drag.length, moved, loaded: Math.round(loaded) };
  } finally {
    await close();
  }
}

console.log(`app: ${APP}`);
for (const n of [1000, 2000]) {
  const r = await measure(n);
  console.log(
    `${n} steps: session → start screen ${r.start} ms (page drawn ${r.firstPaint} ms after navigation); idle at the start screen ${r.idle} MiB; ` +
      `open → ${n} nodes ${r.open} ms; p95 frame: pan ${r.pan} ms (${r.panFrames} frames), node drag ${r.drag} ms (${r.dragFrames} frames, moved: ${r.moved}); ` +
      `memory with the workflow open ${r.loaded} MiB`,
  );
}
