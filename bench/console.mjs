// Console benchmarks (BENCHMARKS.md, "Console"): the gzipped size of its JavaScript and
// CSS, the time to first render of a run's page (median of several loads), and how
// the chart redraws with a run of 10,000 metric points. Needs `make build` first.
//
//   node bench/console.mjs [--loads 9]

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { launch } from "../web/e2e/browser.mjs";
import { startServer } from "../web/e2e/server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const loads = Number(process.argv[process.argv.indexOf("--loads") + 1]) || 9;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

function bundleSize() {
  const dir = join(root, "web/dist/assets");
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(dir).filter((n) => /\.(js|css)$/.test(n))) {
    const bytes = readFileSync(join(dir, name));
    raw += statSync(join(dir, name)).size;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

/** A signed-in user with the digits uploaded and a model trained for `iter` steps. */
async function trainedRun(server, iter) {
  const json = { "Content-Type": "application/json" };
  const post = (path, body, token) =>
    fetch(`${server.base}${path}`, { method: "POST", headers: { ...json, ...(token ? { Authorization: `Token ${token}` } : {}) }, body: JSON.stringify(body) }).then((r) => r.json());
  const name = `bench${iter}`;
  await post("/rest-auth/registration/", { username: name, email: `${name}@example.com`, password1: "plum-orchard-9", password2: "plum-orchard-9" });
  const key = server.lastMail(`${name}@example.com`).match(/verify-email\/([^/\s]+)\//)[1];
  await post("/rest-auth/registration/verify-email/", { key });
  const { key: token } = await post("/rest-auth/login/", { username: name, password: "plum-orchard-9" });
  const form = new FormData();
  form.set("file_type", "zip");
  form.set("file_class", "picture");
  form.set("file", new Blob([readFileSync(join(root, "fixtures/datasets/digits.zip"))]), "digits.zip");
  const { data_id } = await (await fetch(`${server.base}/data/`, { method: "POST", headers: { Authorization: `Token ${token}` }, body: form })).json();
  await post("/data/create/", { modelName: "digits", dataId: data_id }, token);
  await post("/construct/config/", { modelName: "digits", iter, learning_rate: 0.01, ratio: 0.8, loss_name: "entropy", optimizer_name: "adam", net_type: "CNN", net_config: { middle_layer: [{ layer: "connect", units: 32 }, { layer: "active" }], output_layer: {} } }, token);
  const { run_id } = await post("/generation/run/basic/", { modelName: "digits" }, token);
  for (;;) {
    const details = await (await fetch(`${server.base}/generation/run/details/?run_id=${run_id}`, { headers: { Authorization: `Token ${token}` } })).json();
    if (details.status === "completed") return { token, runId: run_id, points: details.points.length };
    if (details.status === "failed") throw new Error(details.error);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Milliseconds from navigation start until the chart has drawn the run's points. */
async function firstRender(context, server, run) {
  const page = await context.newPage();
  await page.addInitScript((token) => sessionStorage.setItem("netsmith.token", token), run.token);
  const times = [];
  for (let i = 0; i < loads; i++) {
    await page.goto(`${server.base}/app/runs/${run.runId}/`);
    const drawn = await page.waitForFunction(
      (n) => Number(document.querySelector("[data-points]")?.getAttribute("data-points")) === n && document.querySelector(".uplot canvas") && performance.now(),
      run.points,
      { timeout: 60_000, polling: "raf" },
    );
    times.push(await drawn.jsonValue());
  }
  return { page, times };
}

/** Frame times while the chart redraws: resizes (a full redraw) and cursor moves. */
async function redraws(page) {
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__frames.length < 100000) window.__raf = requestAnimationFrame(tick);
    };
    window.__raf = requestAnimationFrame(tick);
  });
  const box = await page.locator(".uplot .u-over").boundingBox();
  for (let i = 0; i < 40; i++) {
    await page.setViewportSize({ width: i % 2 ? 1280 : 1180, height: 800 });
    await page.mouse.move(box.x + ((i * 37) % box.width), box.y + box.height / 2);
    await page.waitForTimeout(50);
  }
  return page.evaluate(() => {
    cancelAnimationFrame(window.__raf);
    return { frames: window.__frames.slice(2), long: window.__long };
  });
}

console.log(`load average at start: ${(await import("node:os")).loadavg().map((x) => x.toFixed(2)).join(" ")} (2 cores, shared)`);
const size = bundleSize();
console.log(`console JS+CSS: ${(size.raw / 1024).toFixed(1)} KiB, gzipped ${(size.gz / 1024).toFixed(1)} KiB (goal: under 150 KiB)`);

const server = await startServer({ NETSMITH_EVAL_EVERY: "1", NETSMITH_CHECKPOINT_EVERY: "100000" });
const context = await launch();
try {
  for (const iter of [1000, 10000]) {
    const run = await trainedRun(server, iter);
    const { page, times } = await firstRender(context, server, run);
    console.log(`run page with ${run.points} points: first render median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${loads} loads)`);
    if (iter === 10000) {
      const { frames, long } = await redraws(page);
      console.log(
        `redraw with ${run.points} points: ${frames.length} frames, median ${median(frames).toFixed(1)} ms, p95 ${quantile(frames, 0.95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms; ${long.length} long tasks (over 50 ms)${long.length ? `, longest ${Math.max(...long).toFixed(0)} ms` : ""} (40 resizes, each a full redraw, and cursor moves)`,
      );
    }
    await page.close();
  }
} finally {
  await context.close();
  server.stop();
}
