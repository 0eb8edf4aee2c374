// The Chromium side of the device benchmark (`cargo run --release -p device-bench`, which
// starts the server and runs this with the environment below). Not a test: it prints one line
// `device-bench-web: {json}` with its measurements.
//
//   ROUNDS_BASE      the server (it serves the built web shell at /)
//   ROUNDS_LOGIN     the dispatcher to sign in as; ROUNDS_PASSWORD their password
//   ROUNDS_CHANGES   a JSON file: a list of `/v1/sync` request bodies, each changing 100 of the
//                    dispatcher's records (pushed here, one per persist measurement)
//   ROUNDS_RUNS      how many restarts to time (3)
//
// The page records its own timings (web-shell/src/core/bench.rs) once `window.roundsBench`
// exists: every device-database write with its start, end and entry count, every sync answer.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.ROUNDS_BASE;
const login = process.env.ROUNDS_LOGIN;
const password = process.env.ROUNDS_PASSWORD;
const changes = process.env.ROUNDS_CHANGES ? JSON.parse(readFileSync(process.env.ROUNDS_CHANGES, "utf8")) : [];
const runs = Number(process.env.ROUNDS_RUNS ?? 3);
const LONG = { timeout: 900_000, polling: 100 };

const profile = mkdtempSync(join(tmpdir(), "rounds-device-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
  viewport: { width: 1440, height: 900 },
});
const out = {};
try {
  await context.addInitScript(() => { window.roundsBench = { writes: [], syncs: [], marks: [] }; });
  const page = context.pages()[0] ?? await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e));
  await page.goto(base + "/");
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);

  // First sync: from the click on Sign in to the last write of the sync being durable.
  const started = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForFunction(() => {
    const b = window.roundsBench;
    const label = document.querySelector('[data-testid="sync"]')?.textContent ?? "";
    return b.syncs.length > 0 && b.writes.length > 1 && b.writes.every((w) => w.end !== undefined)
      && /Online/.test(label) && !/Syncing|Saving/.test(label)
      && document.querySelectorAll('[data-testid="queue"] li').length > 0;
  }, null, LONG);
  const first = await page.evaluate(() => {
    const b = window.roundsBench;
    return {
      end: Math.max(...b.writes.map((w) => w.end)),
      pages: b.syncs.length,
      records: b.writes.reduce((n, w) => n + w.puts, 0),
      failed: b.writes.filter((w) => !w.ok).length,
    };
  });
  out.first_sync_ms = first.end - started;
  out.first_sync_answers = first.pages;
  out.first_sync_puts = first.records;
  out.failed_writes = first.failed;

  // Restart: a reload, from navigation start to the first paint of a board with the queue
  // and the technicians in it.
  out.restart_ms = [];
  for (let i = 0; i < runs; i++) {
    await page.reload();
    const at = await page.waitForFunction(() => {
      const usable = document.querySelectorAll('[data-testid="queue"] li').length > 0
        && document.querySelectorAll('[data-testid="tech"]').length > 0;
      return usable ? performance.now() : false;
    }, null, { timeout: 300_000, polling: "raf" });
    out.restart_ms.push(await at.jsonValue());
    // Where the time went (the page's own marks up to the usable board), on stderr.
    const marks = await page.evaluate((end) => window.roundsBench.marks.filter((m) => m.at <= end)
      .map((m) => `${m.name} ${m.at.toFixed(0)}`).join(", "), out.restart_ms.at(-1));
    // The whole replica is read when the start-up sync is asked for (it waits for it).
    const whole = await page.waitForFunction((end) => window.roundsBench.marks.find((m) => m.name === "sync asked" && m.at > end)?.at,
      out.restart_ms.at(-1), LONG);
    console.error(`   restart ${i + 1}: ${marks}, usable board ${out.restart_ms.at(-1).toFixed(0)}, whole replica ${(await whole.jsonValue()).toFixed(0)} (ms from navigation)`);
    // Let the start-up sync settle before the next measurement.
    await page.waitForFunction(() => window.roundsBench.writes.every((w) => w.end !== undefined)
      && !/Syncing/.test(document.querySelector('[data-testid="sync"]')?.textContent ?? ""), null, LONG);
  }
  out.wasm_memory_bytes = await page.evaluate(() => window.roundsBench.memory?.buffer.byteLength ?? 0);

  // Persisting a sync that touched 100 records: another session changes them, this page
  // syncs; from the sync answer reaching the core to the page's write being durable.
  const token = changes.length ? await signIn() : null;
  out.persist100_ms = [];
  out.persist100_write_ms = [];
  for (const body of changes) {
    await push(token, body);
    const before = await page.evaluate(() => window.roundsBench.writes.length);
    await page.getByRole("button", { name: "Sync now" }).click();
    const done = await page.waitForFunction((n) => {
      const b = window.roundsBench;
      const w = b.writes.slice(n).find((w) => w.puts >= 100);
      if (!w || w.end === undefined) return false;
      const answered = b.syncs.filter((t) => t <= w.start).pop();
      return { total: w.end - answered, write: w.end - w.start, puts: w.puts };
    }, before, LONG);
    const r = await done.jsonValue();
    out.persist100_ms.push(r.total);
    out.persist100_write_ms.push(r.write);
    out.persist100_puts = r.puts;
  }
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
  out.storage_bytes = usage;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log("device-bench-web: " + JSON.stringify(out));

async function signIn() {
  const res = await fetch(base + "/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

async function push(token, body) {
  const res = await fetch(base + "/v1/sync", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`push: ${res.status} ${text}`);
  const applied = JSON.parse(text).results.filter((r) => r.status === "applied").length;
  if (applied !== body.ops.length) throw new Error(`push: ${applied} of ${body.ops.length} changes applied`);
}
