// Starts the real release server on a free port with its own temporary data folder.
// NETSMITH_FRONTEND_URL is the server itself, so mail links open the console.

import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function defaultBinary() {
  const target = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? "", ".cache/netsmith/target");
  return process.env.NETSMITH_BIN ?? join(target, "release/netsmith");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), "netsmith-console-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("NETSMITH_") && k !== "DATABASE_URL"));
  const child = spawn(defaultBinary(), ["serve"], {
    env: {
      ...env,
      NETSMITH_BIND: `127.0.0.1:${port}`,
      NETSMITH_DATA_DIR: join(dir, "data"),
      NETSMITH_FRONTEND_URL: base,
      NETSMITH_BCRYPT_COST: "4",
      RUST_LOG: "warn",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Never leave a server behind, even when the test itself dies.
  process.on("exit", () => child.kill("SIGKILL"));
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log}`);
    try {
      if ((await fetch(`${base}/healthz/`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dataDir: join(dir, "data"),
    log: () => log,
    /** The newest mail to `to`, as text (the outbox holds one .eml per message). */
    lastMail(to) {
      const outbox = join(dir, "data", "outbox");
      const mails = readdirSync(outbox)
        .filter((f) => f.endsWith(".eml"))
        .sort()
        .map((f) => readFileSync(join(outbox, f), "utf8"))
        .filter((m) => m.includes(`To: ${to}`));
      if (!mails.length) throw new Error(`no mail to ${to}`);
      return mails.at(-1);
    },
    stop() {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function linkIn(mail, prefix) {
  const start = mail.indexOf(prefix);
  if (start < 0) throw new Error(`no link ${prefix} in the mail:\n${mail}`);
  return mail.slice(start).split(/\s/)[0];
}
