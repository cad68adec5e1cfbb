// App measurements for BENCHMARKS.md (issue 5): start to the start screen;
// idle memory there; opening a generated workflow of N steps to a usable
// canvas; p95 frame time while dragging a node and while panning, at 1,000
// and 2,000 steps. Run on the release build under Xvfb:
//   ATELIER_APP=target/release/atelier-app xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-app.mjs
import { execFileSync, execSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { APP, launch, byTest, p95, frames } from "./harness.mjs";

const root = resolve(import.meta.dirname, "../..");

/** Memory of the app and the WebKit processes it started, in MiB: RSS (shared
 *  libraries counted once per process) and PSS (shared pages split between
 *  the processes that share them: what the app really costs). */
function memoryMiB() {
  const pids = execSync("pgrep -x 'atelier-app|WebKitWebProces|WebKitNetworkPr' || true", { encoding: "utf8" }).split("\n").filter(Boolean);
  let rss = 0, pss = 0;
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      rss += Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rss: Math.round(rss / 1024), pss: Math.round(pss / 1024), processes: pids.length };
}

async function measure(steps) {
  const dir = mkdtempSync(join(tmpdir(), "atelier-bench-"));
  execFileSync("python3", [join(root, "scripts/gen-project.py"), join(dir, "p"), "1", String(steps)]);
  const t0 = Date.now();
  const { browser, close } = await launch({ appPaints: true });
  try {
    await (await byTest(browser, "start-screen")).waitForDisplayed({ timeout: 30000 });
    const start = Date.now() - t0;
    const firstPaint = await browser.execute(() => performance.getEntriesByName("start-screen")[0]?.startTime ?? NaN);
    await new Promise((r) => setTimeout(r, 3000));
    const idle = memoryMiB();
    await (await byTest(browser, "project-path")).setValue(join(dir, "p"));
    const t1 = Date.now();
    await (await byTest(browser, "open-project")).click();
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelectorAll(".react-flow__node").length)) >= steps, { timeout: 60000, interval: 20 });
    const open = Date.now() - t1;
    const pane = await browser.$(".react-flow__pane");
    const pan = await frames(browser, () =>
      browser.action("pointer").move({ origin: pane, x: 0, y: 0 }).down().move({ origin: pane, x: -200, y: -120, duration: 1500 }).move({ origin: pane, x: 150, y: 100, duration: 1500 }).up().perform(),
    );
    // Drag a node that is well inside the visible canvas.
    const at = await browser.execute(() => {
      const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
      for (const n of document.querySelectorAll(".react-flow__node")) {
        const r = n.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (x > pane.left + 150 && x < pane.right - 150 && y > pane.top + 100 && y < pane.bottom - 100) return { x: Math.round(x), y: Math.round(y) };
      }
      return null;
    });
    if (!at) throw new Error("no node inside the visible canvas to drag");
    const drag = await frames(browser, () =>
      browser.action("pointer").move({ origin: "viewport", x: at.x, y: at.y }).down().move({ origin: "viewport", x: at.x + 120, y: at.y + 70, duration: 1500 }).move({ origin: "viewport", x: at.x - 60, y: at.y + 20, duration: 1500 }).up().perform(),
    );
    const moved = await browser.execute(() => !!document.querySelector('[data-testid="dirty"]'));
    const loaded = memoryMiB();
    return { steps, start, firstPaint: Math.round(firstPaint), idle, open, pan: p95(pan), panFrames: pan.length, drag: p95(drag), dragFrames: drag.length, moved, loaded };
  } finally {
    await close();
  }
}

console.log(`app: ${APP}`);
for (const n of [1000, 2000]) {
  const r = await measure(n);
  console.log(
    `${n} steps: session → start screen ${r.start} ms (page drawn ${r.firstPaint} ms after navigation); idle at the start screen PSS ${r.idle.pss} MiB (RSS ${r.idle.rss} MiB, ${r.idle.processes} processes); ` +
      `open → ${n} nodes ${r.open} ms; p95 frame: pan ${r.pan} ms (${r.panFrames} frames), node drag ${r.drag} ms (${r.dragFrames} frames, moved: ${r.moved}); ` +
      `with the workflow open PSS ${r.loaded.pss} MiB (RSS ${r.loaded.rss} MiB)`,
  );
}
