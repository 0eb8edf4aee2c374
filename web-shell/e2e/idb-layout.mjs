// Why the web shell keeps its device database as batches (docs/notes/offline.md, "Device
// storage"): how long headless Chromium's IndexedDB takes to read back the same bytes kept as
// one entry per record, or as a few hundred batches, and what a 101-entry write costs with
// each durability hint. Not a test; prints one JSON line.
//
//   cd web-shell/e2e && node idb-layout.mjs [records]        (default 278000, ~1 minute)
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const records = Number(process.argv[2] ?? 278_000);
const server = createServer((_, res) => res.end("<html><body></body></html>"));
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const profile = mkdtempSync(join(tmpdir(), "rounds-idb-layout-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const out = await page.evaluate(async (n) => {
    const db = await new Promise((ok, fail) => {
      const open = indexedDB.open("layout", 1);
      open.onupgradeneeded = () => { open.result.createObjectStore("entries"); open.result.createObjectStore("batches"); };
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const write = async (store, items, durability = "default") => {
      const tx = db.transaction([store], "readwrite", { durability });
      for (const [k, v] of items) tx.objectStore(store).put(v, k);
      tx.commit();
      await new Promise((ok) => { tx.oncomplete = ok; });
    };
    const record = (i) => { const v = new Uint8Array(700); v[0] = i & 255; return v; };
    for (let b = 0; b < n; b += 5000) {
      const items = [];
      for (let i = b; i < Math.min(n, b + 5000); i++) items.push([`Customer/${String(i).padStart(8, "0")}`, record(i)]);
      await write("entries", items);
    }
    for (let b = 0; b < n; b += 500) await write("batches", [[b, new Uint8Array(700 * Math.min(500, n - b))]]);
    const read = async (store) => {
      const t0 = performance.now();
      const s = db.transaction([store]).objectStore(store);
      await new Promise((ok) => { s.getAllKeys().onsuccess = ok; });
      const values = await new Promise((ok) => { const q = s.getAll(); q.onsuccess = () => ok(q.result); });
      return { entries: values.length, ms: Math.round(performance.now() - t0) };
    };
    const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const writes = {};
    for (const durability of ["default", "relaxed", "strict"]) {
      const ms = [];
      for (let run = 0; run < 15; run++) {
        const items = Array.from({ length: 101 }, (_, i) => [`w/${run}/${i}`, record(i)]);
        const t0 = performance.now();
        await write("entries", items, durability);
        ms.push(performance.now() - t0);
      }
      writes[durability] = Number(median(ms).toFixed(1));
    }
    return {
      records: n,
      entry_per_record: [await read("entries"), await read("entries")],
      batches_of_500: [await read("batches"), await read("batches")],
      write_101_ms: writes,
    };
  }, records);
  console.log(JSON.stringify(out));
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
