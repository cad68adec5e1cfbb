// Drives the real, built Atelier app under Xvfb through tauri-driver and
// WebKitWebDriver. Each session gets its own HOME, so app data, recent
// projects and git config never leak between tests or from the developer.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
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

let nextPort = 4444;

/** Starts tauri-driver with a fresh HOME and opens a session on the app. */
export async function launch() {
  const home = mkdtempSync(join(tmpdir(), "atelier-e2e-home-"));
  const port = nextPort++;
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 100)], {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_DATA_HOME: join(home, ".local/share"), GIT_CONFIG_NOSYSTEM: "1" },
    stdio: ["ignore", "inherit", "inherit"],
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
    driver.kill();
  };
  return { browser, home, close };
}

export const byTest = (browser, id) => browser.$(`[data-testid="${id}"]`);

export async function shot(browser, name) {
  await browser.saveScreenshot(join(SHOTS, `${name}.png`));
}

export function git(dir, ...args) {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } });
}
