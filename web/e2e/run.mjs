// The console end to end in headless Chromium against the real release server: the
// whole workflow of issue 13, each page checked with axe-core and for CSP violations,
// and screenshotted (into var/screenshots/, or the folder NETSMITH_SCREENSHOTS names:
// `make screenshots` refreshes the committed ones in docs/console/). Prints "N passed,
// N failed".

import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { audit, launch, watchPage } from "./browser.mjs";
import { linkIn, startServer } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const shots = process.env.NETSMITH_SCREENSHOTS ?? join(root, "var/screenshots");
mkdirSync(shots, { recursive: true });
const digitsZip = join(root, "fixtures/datasets/digits.zip");
const irisCsv = join(root, "fixtures/datasets/iris.csv");

const PASSWORD = "plum-orchard-9";
const NEW_PASSWORD = "calm-meadow-77";
const CHANGED_PASSWORD = "quiet-harbour-42";
const USER = { username: "ada", email: "ada@example.com" };

/** A mono 8 kHz 16-bit WAV of a 440 Hz tone. */
function toneWav(seconds) {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

let passed = 0;
let page;
let failed = 0;
const results = [];

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    passed++;
    console.log(`ok ${passed + failed} - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    await page?.screenshot({ path: join(process.env.TMPDIR ?? "/tmp", "netsmith-e2e-failure.png") }).catch(() => undefined);
    console.log(`not ok ${passed + failed} - ${name}\n  ${String(error?.stack ?? error).split("\n").slice(0, 6).join("\n  ")}`);
    results.push(name);
    throw error;
  }
}

const server = await startServer({ NETSMITH_EVAL_EVERY: "25", NETSMITH_TRAIN_WORKERS: "1" });
const context = await launch();
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(20_000);
const problems = await watchPage(page);
const url = (path) => `${server.base}${path}`;
const text = (selector) => page.locator(selector).first().innerText();

/** axe-core and CSP on the page as it is now, then its screenshot. */
async function check(name, { fullPage = false } = {}) {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const { found } = await audit(page, problems);
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
  expect(found.length === 0, `${name}: ${found.join("\n")}`);
}

async function apiToken() {
  return page.evaluate(() => sessionStorage.getItem("netsmith.token") ?? localStorage.getItem("netsmith.token"));
}

async function api(path, init = {}) {
  const token = await apiToken();
  const response = await fetch(url(path), { ...init, headers: { Authorization: `Token ${token}`, ...(init.headers ?? {}) } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

let zipId;
let csvId;
let resultId;
let modelId;
let runId;

try {
  await step("GET / opens the console's login page", async () => {
    await page.goto(url("/"));
    await page.waitForURL(/\/app\/login\/$/);
    await page.getByRole("heading", { name: "Log in", exact: true }).waitFor();
    await check("login");
  });

  await step("sign up: the API's password errors next to the field, then the mail is sent", async () => {
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Username").fill(USER.username);
    await page.getByLabel("E-mail").fill(USER.email);
    await page.getByLabel("Password", { exact: true }).fill("12345678");
    await page.getByLabel("Password again").fill("12345678");
    await page.getByRole("button", { name: "Sign up" }).click();
    const field = page.locator(".field", { has: page.getByLabel("Password", { exact: true }) });
    await field.getByText("This password is entirely numeric.").waitFor();
    await check("signup-errors");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Password again").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Check your mail" }).waitFor();
    await check("signup-sent");
  });

  await step("the verification link from the outbox mail confirms the address", async () => {
    const link = linkIn(server.lastMail(USER.email), `${server.base}/verify-email/`);
    await page.goto(link);
    await page.getByText("Your e-mail address is confirmed.").waitFor();
    await check("verify-email");
  });

  await step("log in with the e-mail address", async () => {
    await page.getByRole("link", { name: "Log in" }).click();
    await page.getByLabel("Username or e-mail").fill(USER.email);
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Unable to log in with provided credentials.").waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/app\/models\/$/);
    await page.getByRole("heading", { name: "Models", exact: true }).waitFor();
  });

  await step("upload digits.zip with a progress bar, then browse and preview it", async () => {
    await page.getByRole("link", { name: "Data" }).click();
    await page.getByRole("heading", { name: "Your uploads" }).waitFor();
    await page.getByLabel("Zip archive").check();
    await page.getByLabel("Kind of data").selectOption("picture");
    await page.locator("#upload-file").setInputFiles(digitsZip);
    // Slow the upload down so its progress can be seen (about 3 s for 410 KB).
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
    await page.getByRole("button", { name: "Upload" }).click();
    const bar = page.getByRole("progressbar", { name: /Uploading digits.zip/ });
    await bar.waitFor();
    await page.waitForFunction(() => {
      const p = document.querySelector("progress");
      return p && p.value > 0 && p.value < p.max;
    });
    await check("data-upload");
    await page.waitForURL(/\/app\/data\/\d+\/$/, { timeout: 60_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    zipId = Number(page.url().match(/data\/(\d+)\//)[1]);
    await page.getByRole("heading", { name: "Files (1797)" }).waitFor();
    const preview = page.locator("img.preview-image");
    await preview.waitFor();
    await page.waitForFunction(() => document.querySelector("img.preview-image")?.naturalWidth === 8);
    await page.getByText("digits", { exact: false }).first().waitFor();
    await page.locator("summary").filter({ hasText: /(^|\s)7 \(\d+\)/ }).click();
    await page.getByRole("button", { name: /^\d+\.png$/ }).nth(3).click();
    await page.waitForFunction(() => document.querySelector("img.preview-image")?.naturalWidth === 8);
    await check("data-zip");
  });

  await step("a CSV upload as a paged grid", async () => {
    await page.goto(url("/app/data/"));
    await page.getByLabel("One file").check();
    await page.getByLabel("Kind of data").selectOption("doc");
    await page.locator("#upload-file").setInputFiles(irisCsv);
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/\/app\/data\/\d+\/$/);
    csvId = Number(page.url().match(/data\/(\d+)\//)[1]);
    await page.getByText("Rows 1–25").waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Rows 26–50").waitFor();
    await check("data-csv");
  });

  await step("an audio upload plays in its preview", async () => {
    await page.goto(url("/app/data/"));
    await page.getByLabel("One file").check();
    await page.getByLabel("Kind of data").selectOption("audio");
    await page.locator("#upload-file").setInputFiles({ name: "tone.wav", mimeType: "audio/wav", buffer: toneWav(0.5) });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/\/app\/data\/\d+\/$/);
    await page.locator("audio.preview-audio").waitFor();
    await page.waitForFunction(() => {
      const audio = document.querySelector("audio.preview-audio");
      return audio && audio.readyState >= 1 && Math.abs(audio.duration - 0.5) < 0.01;
    });
  });

  await step("preprocess: ordered steps, keyboard reorder, before/after preview, run and open", async () => {
    await page.goto(url(`/app/preprocess/?data=${zipId}`));
    await page.getByRole("heading", { name: "2. Operations, in order" }).waitFor();
    const operation = page.getByLabel("Operation", { exact: true });
    await operation.selectOption({ label: "上下翻转 · flip_vertical" });
    await page.getByRole("button", { name: "Add step" }).click();
    await operation.selectOption({ label: "亮度调整 · brightness" });
    await page.getByRole("button", { name: "Add step" }).click();
    const steps = page.locator("ol.steps > li");
    expect((await steps.count()) === 2, "two steps");
    // Keyboard: the second step's handle, arrow up, becomes the first.
    await steps.nth(1).locator(".handle").focus();
    await page.keyboard.press("ArrowUp");
    await page.waitForFunction(() => document.querySelector("ol.steps > li strong")?.textContent?.includes("brightness"));
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector("ol.steps > li strong")?.textContent?.includes("flip_vertical"));
    // Drag: the first step onto the second.
    await steps.nth(0).dragTo(steps.nth(1));
    await page.waitForFunction(() => document.querySelector("ol.steps > li strong")?.textContent?.includes("brightness"));
    await steps.nth(0).locator(".handle").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector("ol.steps > li strong")?.textContent?.includes("flip_vertical"));
    // The brightness step keeps its output as an extra copy.
    await steps.nth(1).getByLabel("Overlap: chain on from this result").uncheck();
    await steps.nth(1).getByLabel(/factor/).fill("1.8");
    await page.getByRole("button", { name: "Preview on this picture" }).click();
    await page.getByRole("img", { name: "Before" }).waitFor({ timeout: 30_000 });
    const after = page.locator(".before-after img");
    await page.waitForFunction(() => document.querySelectorAll(".before-after img").length >= 3);
    expect((await after.count()) >= 3, "before, the flipped picture and its brightness copy");
    await check("preprocess", { fullPage: true });
    await page.getByRole("button", { name: "Run on the whole upload" }).click();
    await page.getByText(/Done: \d+ pictures written/).waitFor({ timeout: 60_000 });
    await page.getByRole("link", { name: "Open the result" }).click();
    await page.waitForURL(/\/app\/data\/\d+\/$/);
    resultId = Number(page.url().match(/data\/(\d+)\//)[1]);
    await page.getByRole("heading", { name: /^Files \(\d+\)$/ }).waitFor();
  });

  await step("create a model on the digits", async () => {
    await page.goto(url("/app/models/"));
    await page.getByLabel("Name").fill("digits");
    await page.getByLabel("Data").selectOption(String(zipId));
    await page.getByRole("button", { name: "Create the model" }).click();
    await page.waitForURL(/\/app\/models\/\d+\/$/);
    modelId = Number(page.url().match(/models\/(\d+)\//)[1]);
    await page.getByText("8 × 8 × 1").first().waitFor();
    // A labels file: a picture's path in the data to its label.
    const labels = Buffer.from(JSON.stringify({ "digits/0/0.png": "0", "digits/1/1.png": "1" }));
    await page.locator("#labels-file").setInputFiles({ name: "labels.json", mimeType: "application/json", buffer: labels });
    await page.getByRole("button", { name: "Upload labels" }).click();
    await page.getByText("2 labels stored.").waitFor();
    await page.getByText("2 from a labels file").waitFor();
  });

  /** Adds a layer of `kind` with the given form values through "Add a layer". */
  async function addLayer(kind, values = {}) {
    const form = page.getByRole("form", { name: "Add a layer" });
    await form.getByLabel("Layer kind").selectOption(kind);
    for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(String(value));
    const before = await page.locator("table.layers tbody tr[data-layer]").count();
    await form.getByRole("button", { name: `Add ${kind}` }).click();
    await page.waitForFunction((n) => document.querySelectorAll("table.layers tbody tr[data-layer]").length === n + 1, before);
    await page.waitForFunction(() => !document.body.textContent.includes("Checking shapes…"));
  }

  await step("designer: layers from /generation/options/next/, a shape error on the bad layer, save", async () => {
    const training = page.getByRole("region", { name: "Training" });
    await page.getByLabel("iter").fill("1500");
    await addLayer("conv", { height: 2, width: 2, "out channels": 10 });
    await addLayer("conv", { height: 2, width: 2, "out channels": 20 });
    // A window larger than the 8x8 picture: the API says so on layer 3.
    await addLayer("pool", { size: 16 });
    const bad = page.locator("table.layers tr.error-row");
    await bad.waitFor();
    expect((await bad.getAttribute("data-layer")) === "2", "the error is on the third layer");
    expect((await bad.locator(".field-errors").innerText()).length > 10, "the API's message is shown");
    await check("designer-error");
    await page.getByRole("button", { name: "Remove layer 3 (pool)" }).click();
    await page.locator("table.layers tr.error-row").waitFor({ state: "detached" });
    for (const kind of ["pool", "norm", "active", "connect", "connect"]) await addLayer(kind);
    // Every layer has its shape; the conv layers their parameters (2*2*1*10+10 = 50).
    expect((await text("table.layers tr[data-layer='0']")).includes("8 × 8 × 10"), "conv output shape");
    expect((await text("table.layers tr[data-layer='0']")).includes("50"), "conv parameters");
    expect((await text("table.layers tfoot")).includes("Middle layers"), "totals");
    await page.getByRole("button", { name: "Save the network" }).click();
    await page.getByText("Saved: the network fits the data.").waitFor();
    await page.getByText("Whole network as saved").waitFor();
    expect(training, "training form");
    await check("designer", { fullPage: true });
  });

  await step("generate PyTorch code: view, copy, download", async () => {
    await page.getByLabel("PyTorch").check();
    await page.getByRole("button", { name: "Generate code" }).click();
    const code = page.getByLabel("Generated pytorch code");
    await code.waitFor();
    expect((await code.innerText()).includes("import torch"), "PyTorch code shown");
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect((await page.evaluate(() => navigator.clipboard.readText())).includes("import torch"), "code on the clipboard");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename() === "digits_pytorch.py", `download named ${download.suggestedFilename()}`);
    await page.getByLabel("Keras").check();
    await page.getByRole("button", { name: "Generate code" }).click();
    await page.getByLabel("Generated keras code").waitFor();
    await check("code", { fullPage: true });
  });

  const pointCount = async () => Number(await page.locator("[data-points]").getAttribute("data-points"));

  await step("start a run and watch the curve grow over Server-Sent Events", async () => {
    await page.getByRole("button", { name: "Start a training run" }).click();
    await page.waitForURL(/\/app\/runs\/\d+\/$/);
    runId = Number(page.url().match(/runs\/(\d+)\//)[1]);
    await page.waitForFunction(() => Number(document.querySelector("[data-points]")?.getAttribute("data-points")) >= 3, null, { timeout: 60_000 });
    const first = await pointCount();
    await page.waitForFunction((n) => Number(document.querySelector("[data-points]")?.getAttribute("data-points")) > n + 2, first, { timeout: 60_000 });
    expect((await text(".card-head .muted")).includes("live"), "the stream is live");
    expect((await text("p.meta")).includes("built-in engine"), "the page names the engine");
    await check("run-live");
  });

  await step("pause holds the run, resume continues it, and it completes", async () => {
    await page.getByRole("button", { name: "Pause" }).click();
    await page.locator(".badge", { hasText: "paused" }).first().waitFor();
    // A point stored just before the pause may still be on its way.
    await page.waitForTimeout(800);
    const held = await pointCount();
    await page.waitForTimeout(1500);
    expect((await pointCount()) === held, "no new points while paused");
    await page.getByRole("button", { name: "Resume" }).click();
    await page.waitForFunction((n) => Number(document.querySelector("[data-points]")?.getAttribute("data-points")) > n, held, { timeout: 60_000 });
    await page.locator(".page-header .badge", { hasText: "completed" }).waitFor({ timeout: 240_000 });
    await page.getByRole("table", { name: /Confusion matrix/ }).waitFor();
    const accuracy = Number((await text("[data-testid=accuracy]")).replace("%", ""));
    expect(accuracy > 80, `accuracy ${accuracy}% after 1500 steps`);
    await page.getByRole("button", { name: "Restore these weights" }).click();
    await page.getByText("The model now uses this run's parameters").waitFor();
    await check("run-completed", { fullPage: true });
  });

  await step("predict a digit picture from inside digits.zip: the right class", async () => {
    const picture = Buffer.from(await (await api(`/data/${zipId}/?relative_path=digits/3/3.png`)).arrayBuffer());
    await page.goto(url(`/app/predict/?model=${modelId}`));
    await page.getByText("Drop a picture here, or choose one").waitFor();
    await page.locator(".dropzone input[type=file]").setInputFiles({ name: "3.png", mimeType: "image/png", buffer: picture });
    await page.locator(".predicted").waitFor();
    expect((await text(".predicted")) === "3", `predicted ${await text(".predicted")}`);
    expect((await page.locator(".probabilities li").count()) === 10, "ten classes with bars");
    await check("predict");
  });

  await step("predict a CSV row: a model on iris.csv, one row typed in", async () => {
    const headers = { "Content-Type": "application/json" };
    const created = await (await api("/data/create/", { method: "POST", headers, body: JSON.stringify({ modelName: "iris", dataId: csvId }) })).json();
    const config = { modelName: "iris", iter: 400, learning_rate: 0.05, ratio: 0.8, loss_name: "entropy", optimizer_name: "adam", net_type: "DNN", net_config: { middle_layer: [{ layer: "connect", units: 16 }, { layer: "active" }], output_layer: {} } };
    await api("/construct/config/", { method: "POST", headers, body: JSON.stringify(config) });
    const { run_id } = await (await api("/generation/run/basic/", { method: "POST", headers, body: JSON.stringify({ modelName: "iris" }) })).json();
    await page.goto(url(`/app/runs/${run_id}/`));
    await page.locator(".page-header .badge", { hasText: "completed" }).waitFor({ timeout: 120_000 });
    await page.goto(url(`/app/predict/?model=${created.id}`));
    await page.getByLabel(/One row: 4 numbers/).fill("5.1, 3.5, 1.4, 0.2");
    await page.getByRole("button", { name: "Classify" }).click();
    await page.locator(".predicted").waitFor();
    expect((await text(".predicted")) === "setosa", `predicted ${await text(".predicted")}`);
    expect((await page.locator(".probabilities li").count()) === 3, "three species with bars");
  });

  await step("compare two models: overlaid curves, only the differences", async () => {
    // A second, smaller model made through the API, trained to the end.
    const headers = { "Content-Type": "application/json" };
    const created = await (await api("/data/create/", { method: "POST", headers, body: JSON.stringify({ modelName: "digits-dense", dataId: zipId }) })).json();
    const config = { modelName: "digits-dense", iter: 300, learning_rate: 0.01, ratio: 0.8, loss_name: "entropy", optimizer_name: "AdamOptimizer", net_type: "CNN", net_config: { middle_layer: [{ layer: "connect", units: 32 }, { layer: "active" }], output_layer: {} } };
    await api("/construct/config/", { method: "POST", headers, body: JSON.stringify(config) });
    const { run_id } = await (await api("/generation/run/basic/", { method: "POST", headers, body: JSON.stringify({ modelName: "digits-dense" }) })).json();
    for (let i = 0; i < 240; i++) {
      const details = await (await api(`/generation/run/details/?run_id=${run_id}`)).json();
      if (details.status === "completed") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.goto(url("/app/compare/"));
    await page.getByLabel("digits", { exact: true }).check();
    await page.getByLabel("digits-dense").check();
    await page.waitForURL(new RegExp(`ids=${modelId},${created.id}`));
    await page.getByRole("switch", { name: /Only differences/ }).waitFor();
    const only = await page.locator("table.compare tbody tr").count();
    await page.getByRole("switch", { name: /Only differences/ }).uncheck();
    await page.waitForFunction((n) => document.querySelectorAll("table.compare tbody tr").length > n, only);
    await page.getByRole("switch", { name: /Only differences/ }).check();
    expect((await text("table.compare")).includes("net_config.middle_layer"), "layer differences listed");
    expect((await page.locator("figure.chart canvas").count()) >= 2, "accuracy and loss charts");
    await check("compare", { fullPage: true });
  });

  await step("data list: the API's error under the URL field, delete with confirmation", async () => {
    await page.goto(url("/app/data/"));
    await page.getByLabel("From a URL").check();
    await page.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/table.csv");
    await page.getByRole("button", { name: "Upload" }).click();
    const urlField = page.locator(".field", { has: page.getByLabel("URL", { exact: true }) });
    await urlField.locator(".field-errors").waitFor();
    expect((await urlField.locator(".field-errors").innerText()).length > 10, "the API says why");
    const row = page.getByRole("row").filter({ hasText: `#${resultId}` });
    await row.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await check("data-delete");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByText(/^Deleted /).waitFor();
    await row.waitFor({ state: "detached" });
    await check("data");
  });

  await step("models, runs, cluster (a paused run as a pod, stopped from its page) and profile with a password change", async () => {
    await page.goto(url("/app/models/"));
    await page.getByRole("link", { name: "digits-dense" }).waitFor();
    await check("models");
    await page.goto(url("/app/runs/"));
    await page.getByRole("link", { name: `#${runId}` }).waitFor();
    await check("runs");
    // A paused run is a pod of the node until it ends.
    const headers = { "Content-Type": "application/json" };
    const { run_id } = await (await api("/generation/run/basic/", { method: "POST", headers, body: JSON.stringify({ modelName: "digits-dense" }) })).json();
    await api("/generation/run/pause/", { method: "POST", headers, body: JSON.stringify({ run_id }) });
    await page.goto(url("/app/cluster/"));
    await page.getByRole("heading", { name: "Conditions" }).waitFor();
    const pod = page.getByRole("row", { name: new RegExp(`run-${run_id} netsmith paused`) });
    await pod.waitFor();
    await check("cluster");
    // Stopped from its page, it leaves the node.
    await pod.getByRole("link", { name: `run-${run_id}` }).click();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.locator(".page-header .badge", { hasText: "stopped" }).waitFor();
    await page.goto(url("/app/cluster/"));
    await page.getByText("No unfinished runs on this node.").waitFor({ timeout: 15_000 });
    await page.goto(url("/app/profile/"));
    await page.getByLabel("First name").fill("Ada");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved.").waitFor();
    await check("profile");
    // Changing the password: a wrong current one is the API's message under that field.
    await page.getByLabel("Current password").fill("not-my-password-1");
    await page.getByLabel("New password", { exact: true }).fill(CHANGED_PASSWORD);
    await page.getByLabel("New password again").fill(CHANGED_PASSWORD);
    await page.getByRole("button", { name: "Change the password" }).click();
    await page.locator(".field", { has: page.getByLabel("Current password") }).getByText("Your old password was entered incorrectly.", { exact: false }).waitFor();
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByRole("button", { name: "Change the password" }).click();
    // It logs out every session, this one included.
    await page.getByText("Your password was changed. Log in again with the new one.").waitFor();
    await page.getByLabel("Username or e-mail").fill(USER.username);
    await page.getByLabel("Password").fill(CHANGED_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/app\/models\/$/);
  });

  await step("log out: the key is forgotten and pages ask for a login again", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByText("You are logged out.").waitFor();
    expect((await apiToken()) === null, "no key left in the browser");
    await page.goto(url("/app/data/"));
    await page.waitForURL(/\/app\/login\/\?next=/);
  });

  await step("password reset from its mail link, then log in with the new password", async () => {
    await page.getByRole("link", { name: "Forgotten your password?" }).click();
    await page.getByLabel("E-mail").fill(USER.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText("Password reset e-mail has been sent.").waitFor();
    await check("password-forgot");
    const link = linkIn(server.lastMail(USER.email), `${server.base}/password-reset/confirm/`);
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("New password again").fill("something-else-5");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.locator(".field", { has: page.getByLabel("New password again") }).getByText("The two password fields didn", { exact: false }).waitFor();
    await check("password-reset");
    await page.getByLabel("New password again").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText("Your password has been reset.").waitFor();
    await page.getByLabel("Username or e-mail").fill(USER.username);
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/app\/models\/$/);
    // The used link cannot be used twice.
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("other-orchard-3");
    await page.getByLabel("New password again").fill("other-orchard-3");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText("This reset link cannot be used").waitFor();
  });
} catch {
  // Reported by step(); the rest depends on it.
} finally {
  await context.close();
  server.stop();
}

console.log(`${passed} passed, ${failed} failed`);
if (failed) {
  console.log(`failed: ${results.join("; ")}`);
  process.exitCode = 1;
}
