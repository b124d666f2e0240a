/**
 * `pnpm bench [suite…] [--quick]`: runs the benchmark suites, prints one table, and writes
 * bench/results/latest.json. Suites: core, sqlite, http, llm (all by default).
 */
import { setMaxListeners } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Row } from "./row.js";

type Suite = (options: { quick?: boolean }) => Promise<Row[]>;

const suites: Record<string, () => Promise<Suite>> = {
  core: async () => (await import("./core.js")).benchCore,
  sqlite: async () => (await import("./sqlite-store.js")).benchSqliteStore,
  http: async () => (await import("./http.js")).benchHttp,
  llm: async () => (await import("./llm-parallel.js")).benchPlanParallelism,
};

// LangGraph adds an abort listener per node to one signal; its warnings would bury the table.
setMaxListeners(100_000);

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const wanted = args.filter((a) => !a.startsWith("--"));
const names = wanted.length ? wanted : Object.keys(suites);

const rows: Row[] = [];
for (const name of names) {
  const load = suites[name];
  if (!load) throw new Error(`Unknown suite "${name}" (known: ${Object.keys(suites).join(", ")})`);
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await (await load())({ quick })));
}

const width = Math.max(...rows.map((r) => r.case.length));
let suite = "";
for (const r of rows) {
  if (r.suite !== suite) {
    suite = r.suite;
    console.log(`\n## ${suite}`);
  }
  const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
  console.log(`${r.case.padEnd(width)}  ${value.padStart(10)} ${r.unit.padEnd(8)} ${r.note ?? ""}`);
}
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "results", "latest.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
