import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine, type Engine } from "@tandem/core";
import { build } from "tsup";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../src/index.js";
import { CRASH_DAG, crashAgents, readLedger } from "./fixtures/crash-agents.js";
import { tempDir } from "./helpers.js";

const dir = tempDir("tandem-crash-");
const packageDir = fileURLToPath(new URL("..", import.meta.url));
/** The child, bundled once: a process start then costs ~0.1 s instead of ~0.5 s through tsx. */
const child = join(packageDir, "test-artifacts", "crash-child.js");

beforeAll(async () => {
  await build({
    entry: { "crash-child": fileURLToPath(new URL("./fixtures/crash-child.ts", import.meta.url)) },
    // One level below the package, so the store finds `../migrations` as it does from dist/.
    outDir: join(packageDir, "test-artifacts"),
    format: ["esm"],
    platform: "node",
    target: "node20",
    splitting: false,
    shims: true,
    sourcemap: false,
    dts: false,
    clean: false,
    silent: true,
    config: false,
    noExternal: [/^(?!better-sqlite3)/],
    external: ["better-sqlite3"],
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    esbuildOptions(options) {
      options.conditions = ["@tandem/source"];
    },
  });
}, 60_000);
const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 50);

/** Starts the child, waits until its engine is up, lets it work for a random moment, kills it with SIGKILL. */
async function runAndKill(db: string, ledger: string, prefix: string, workMs: number): Promise<void> {
  const proc: ChildProcess = spawn(process.execPath, [child, db, ledger, prefix], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const ready = await new Promise<boolean>((resolve) => {
    proc.stdout!.once("data", () => resolve(true));
    proc.once("exit", () => resolve(false));
  });
  if (!ready) throw new Error(`crash child exited before it was ready:\n${stderr}`);
  await new Promise((resolve) => setTimeout(resolve, workMs));
  proc.kill("SIGKILL");
  await exited;
}

/** A workflow waiting at a human gate and one interrupted by a person: restarts must leave both as they are. */
const UNTOUCHED = ["gate", "held"];

async function createUntouched(db: string, ledger: string): Promise<void> {
  const store = new SqliteStore({ path: db });
  const engine = createEngine({ store, agents: [crashAgents(ledger)] });
  const gated = new Promise<void>((resolve) =>
    engine.events.on("step.awaiting_human", (e) => e.workflow_id === "gate" && resolve()),
  );
  await engine.createWorkflow(
    [
      { id: "g1", agent: "work", action: "IDEM" },
      { id: "g2", agent: "work", action: "IDEM", depends_on: ["g1"], needs_human: true },
    ],
    { id: "gate" },
  );
  await gated;
  await engine.createWorkflow(CRASH_DAG, { id: "held", start: false });
  await engine.start("held");
  await engine.interrupt("held");
  await engine.onIdle();
  await engine.close();
}

/** Steps committed as succeeded right after a kill, with the ledger length at that moment. */
async function succeededAfterKill(db: string, ledger: string): Promise<{ keys: string[]; ledgerAt: number }> {
  const store = new SqliteStore({ path: db, checkpointIntervalMs: 0 });
  const keys = store.connection
    .prepare(
      `SELECT s.workflow_id || ':' || s.step_id FROM steps s JOIN step_state t ON t.seq = s.seq
       WHERE t.status = 'succeeded'`,
    )
    .pluck()
    .all() as string[];
  const ledgerAt = readLedger(ledger).length;
  await store.close();
  return { keys, ledgerAt };
}

/** As a person would: an in-doubt send that the ledger shows happened gets its output, others are approved. */
async function settleInDoubt(engine: Engine, store: SqliteStore, ledger: string): Promise<number> {
  const sent = new Set(
    readLedger(ledger)
      .filter((l) => l.kind === "send")
      .map((l) => l.key),
  );
  let decided = 0;
  for (const id of await store.findWorkflowIds(["paused", "running"])) {
    if (UNTOUCHED.includes(id)) continue;
    const record = await engine.getWorkflow(id);
    for (const step of record.steps) {
      if (step.status !== "awaiting_human" || !step.in_doubt) continue;
      const key = `${id}:${step.id}`;
      if (sent.has(key))
        await engine.intervene(id, { step_id: step.id, output: { sent: key }, comment: "it was sent" });
      else await engine.intervene(id, { step_id: step.id, approve: true, comment: "never sent" });
      decided++;
    }
    if ((await engine.getWorkflow(id)).status === "paused") await engine.resume(id);
  }
  return decided;
}

async function readUntouched(db: string, open?: SqliteStore) {
  const store = open ?? new SqliteStore({ path: db, checkpointIntervalMs: 0 });
  const records = await Promise.all(UNTOUCHED.map((id) => store.getWorkflow(id)));
  if (!open) await store.close();
  return records.map((r) => ({
    id: r?.id,
    status: r?.status,
    steps: r?.steps.map((s) => ({ id: s.id, status: s.status, in_doubt: s.in_doubt, attempts: s.attempts })),
  }));
}

describe("kill -9 sweep", () => {
  it(
    `loses no acknowledged workflow and repeats no side effect silently over ${ITERATIONS} SIGKILLs`,
    async () => {
      const db = join(dir, "crash.db");
      const ledger = join(dir, "ledger.txt");
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      await createUntouched(db, ledger);
      const held = await readUntouched(db);
      const snapshots: { keys: string[]; ledgerAt: number }[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        await runAndKill(db, ledger, `r${i}`, 20 + Math.floor(random() * 200));
        snapshots.push(await succeededAfterKill(db, ledger));
      }

      const store = new SqliteStore({ path: db });
      expect(store.connection.pragma("integrity_check", { simple: true })).toBe("ok");
      const engine = createEngine({ store, agents: [crashAgents(ledger)], concurrency: 8 });
      await engine.ready();
      await engine.onIdle();
      const inDoubt = await settleInDoubt(engine, store, ledger);
      await engine.onIdle();

      const lines = readLedger(ledger);
      const acked = lines.filter((l) => l.kind === "ack").map((l) => l.key);
      expect(acked.length).toBeGreaterThan(ITERATIONS);
      const count = (kind: string) => {
        const counts = new Map<string, number>();
        for (const l of lines) if (l.kind === kind) counts.set(l.key, (counts.get(l.key) ?? 0) + 1);
        return counts;
      };
      const effects = count("effect");
      const sends = count("send");
      const attempts = count("attempt");
      for (const id of acked) {
        const record = await store.getWorkflow(id);
        expect(record, `acknowledged workflow ${id}`).not.toBeNull();
        expect(record!.status, `workflow ${id}`).toBe("completed");
        for (const step of record!.steps) {
          const key = `${id}:${step.id}`;
          expect(step.status).toBe("succeeded");
          if (step.action === "SEND") expect(sends.get(key) ?? 0, `sends of ${key}`).toBe(1);
          else {
            expect(effects.get(key), `effects of ${key}`).toBe(1);
            expect(attempts.get(key) ?? 0).toBeGreaterThanOrEqual(1);
          }
        }
      }
      // Across every workflow in the file, acknowledged or not: no effect twice, no send twice.
      expect([...effects.values()].filter((n) => n > 1)).toEqual([]);
      expect([...sends.values()].filter((n) => n > 1)).toEqual([]);
      // Nothing is left running or undecided; a workflow whose creation was never acknowledged may
      // stay pending (it was stored but its start was not), and is then not started by recovery.
      for (const id of await store.findWorkflowIds(["pending"])) {
        const record = await store.getWorkflow(id);
        expect(record?.steps.every((s) => s.status === "pending")).toBe(true);
        expect(acked).not.toContain(id);
      }
      expect(await store.findWorkflowIds(["running", "paused", "failed", "cancelled"])).toEqual(["gate", "held"]);
      // The gate and the interrupted workflow went through every restart untouched.
      expect(await readUntouched(db, store)).toEqual(held);
      // A step found succeeded after a kill never ran again afterwards.
      for (const { keys, ledgerAt } of snapshots) {
        const later = new Set(
          lines
            .slice(ledgerAt)
            .filter((l) => l.kind === "attempt" || l.kind === "send")
            .map((l) => l.key),
        );
        expect(keys.filter((key) => later.has(key))).toEqual([]);
      }
      const retried = [...attempts.values()].filter((n) => n > 1).length;
      console.info(
        `kill -9 sweep: ${ITERATIONS} kills, ${acked.length} acknowledged workflows, ${retried} idempotent steps ` +
          `re-run after a kill, ${inDoubt} non-idempotent steps left in doubt and decided`,
      );
      expect(CRASH_DAG.length).toBe(7);
      await engine.close();
    },
    60_000 + ITERATIONS * 2_000,
  ); // about 0.5 s per kill; room for a slow machine
});
