// App measurements for BENCHMARKS.md (issue 5): start to the start screen,
// opening a generated 1,000-step workflow to a usable canvas, p95 frame time
// while panning with 1,000 and 2,000 nodes, and idle memory. Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-app.mjs
import { execFileSync, execSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launch, byTest } from "./harness.mjs";

const root = resolve(import.meta.dirname, "../..");

function rssMiB() {
  // The app and its WebKit helper processes.
  const out = execSync("ps -eo rss,comm | grep -E 'atelier-app|WebKitWebProces|WebKitNetworkPr' || true", { encoding: "utf8" });
  return out.split("\n").filter(Boolean).reduce((a, l) => a + Number(l.trim().split(/\s+/)[0]), 0) / 1024;
}

async function measure(steps) {
  const dir = mkdtempSync(join(tmpdir(), "atelier-bench-"));
  execFileSync("python3", [join(root, "scripts/gen-project.py"), join(dir, "p"), "1", String(steps)]);
  const t0 = Date.now();
  const { browser, close } = await launch();
  try {
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 30000 });
    const start = Date.now() - t0;
    await (await byTest(browser, "project-path")).setValue(join(dir, "p"));
    const t1 = Date.now();
    await (await byTest(browser, "open-project")).click();
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelectorAll(".react-flow__node").length)) >= steps, { timeout: 60000, interval: 20 });
    const open = Date.now() - t1;
    // Pan the canvas with the pointer while recording frame times.
    await browser.execute(() => {
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frames.length < 2000) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const pane = await browser.$(".react-flow__pane");
    await browser.action("pointer").move({ origin: pane, x: 0, y: 0 }).down().move({ origin: pane, x: -200, y: -120, duration: 1500 }).move({ origin: pane, x: 150, y: 100, duration: 1500 }).up().perform();
    const frames = (await browser.execute(() => window.__frames)).slice(2).sort((a, b) => a - b);
    const p95 = frames[Math.floor(frames.length * 0.95)] ?? NaN;
    await new Promise((r) => setTimeout(r, 3000));
    const idle = rssMiB();
    return { steps, start, open, frames: frames.length, p95: Math.round(p95 * 10) / 10, idle: Math.round(idle) };
  } finally {
    await close();
  }
}

for (const n of [1000, 2000]) {
  const r = await measure(n);
  console.log(`${n} steps: start to start screen ${r.start} ms; open to ${n} nodes on the canvas ${r.open} ms; pan p95 frame ${r.p95} ms over ${r.frames} frames; memory after idle ${r.idle} MiB (app + WebKit processes)`);
}
