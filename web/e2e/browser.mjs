// Headless Debian Chromium driven by playwright-core (no browser download), with the
// checks every page gets: axe-core (no serious or critical violations) and no CSP
// violation, and a screenshot for docs/.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "netsmith-chromium-"));
  // Without the background-networking flags Chromium keeps calling home.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // The fresh profile goes with the browser.
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/** Records CSP violations and page errors from the first script on. */
export async function watchPage(page) {
  const problems = [];
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

export async function audit(page, problems) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const csp = await page.evaluate(() => window.__csp ?? []);
  const severe = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  const found = [...problems.splice(0), ...csp.map((c) => `CSP violation: ${c}`), ...severe.map((v) => `axe ${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(", ")}`)];
  return { found, minor: result.filter((v) => !severe.includes(v)) };
}
