import { join } from "node:path";
import { createEngine, defineAgent, type Logger, type StepInput } from "@tandem/core";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir("tandem-engine-faults-");

/** A chain whose middle step waits for `gate` and returns a result large enough to need new pages. */
function gatedAgent(gate: Promise<void>, calls: Map<string, number>) {
  return defineAgent({
    name: "t",
    actions: {
      RUN: {
        description: "counts calls; `wait` steps wait for the gate",
        async run(args: Record<string, unknown>, ctx) {
          calls.set(ctx.stepId, (calls.get(ctx.stepId) ?? 0) + 1);
          if (args.wait) await gate;
          return { text: args.wait ? "x".repeat(200_000) : ctx.stepId };
        },
      },
    },
  });
}

const STEPS: StepInput[] = [
  { id: "a", agent: "t", action: "RUN" },
  { id: "b", agent: "t", action: "RUN", args: { wait: true }, depends_on: ["a"] },
  { id: "c", agent: "t", action: "RUN", depends_on: ["b"] },
];

function recordingLogger(onWarn: (fields: Record<string, unknown> | undefined) => void): Logger {
  const noop = () => {};
  return { debug: noop, info: noop, error: noop, warn: (_message, fields) => onWarn(fields) };
}

describe("the engine on a SqliteStore under faults", () => {
  it("retries a step's commit while the disk is full and completes once space is back", async () => {
    const store = openStore(join(dir, "full.db"));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls = new Map<string, number>();
    const warned: unknown[] = [];
    let sawFull!: () => void;
    const full = new Promise<void>((resolve) => {
      sawFull = resolve;
    });
    const logger = recordingLogger((fields) => {
      warned.push(fields?.error);
      if (String(fields?.error).includes("cannot grow")) sawFull();
    });
    const engine = createEngine({ store, agents: [gatedAgent(gate, calls)], logger });
    const wf = await engine.createWorkflow(STEPS);
    while ((await store.getWorkflow(wf.id))?.steps[1]?.status !== "running") await new Promise((r) => setTimeout(r, 5));
    store.connection.pragma(`max_page_count = ${store.connection.pragma("page_count", { simple: true })}`);
    release();
    await full;
    // Nothing of the refused commit is stored: b is still running, c pending.
    expect((await store.getWorkflow(wf.id))?.steps.map((s) => s.status)).toEqual(["succeeded", "running", "pending"]);
    store.connection.pragma("max_page_count = 1073741823");
    await engine.onIdle();
    const done = await store.getWorkflow(wf.id);
    expect(done?.status).toBe("completed");
    expect(done?.steps.map((s) => s.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(calls.get("b")).toBe(1);
    expect(warned.length).toBeGreaterThan(0);
    expect(store.connection.pragma("integrity_check", { simple: true })).toBe("ok");
    await engine.close();
  });

  it("waits out another connection's write lock: no SQLITE_BUSY reaches anyone, and the run completes", async () => {
    const store = openStore(join(dir, "busy.db"), { busyTimeoutMs: 100 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls = new Map<string, number>();
    const errors: string[] = [];
    const engine = createEngine({
      store,
      agents: [gatedAgent(gate, calls)],
      logger: recordingLogger((fields) => errors.push(String(fields?.error))),
    });
    const wf = await engine.createWorkflow(STEPS);
    while ((await store.getWorkflow(wf.id))?.steps[1]?.status !== "running") await new Promise((r) => setTimeout(r, 5));
    const other = new Database(store.path);
    other.exec("BEGIN IMMEDIATE");
    release();
    // A user's request during the lock fails cleanly with store_busy.
    await expect(engine.createWorkflow(STEPS)).rejects.toMatchObject({ code: "store_busy" });
    await new Promise((r) => setTimeout(r, 400));
    other.exec("COMMIT");
    other.close();
    await engine.onIdle();
    const done = await store.getWorkflow(wf.id);
    expect(done?.status).toBe("completed");
    expect(calls.get("b")).toBe(1);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => !e.startsWith("SqliteError") && e.includes("locked by another"))).toBe(true);
    await engine.close();
  });

  it("refuses a second engine on the same file, naming the file", async () => {
    const path = join(dir, "two.db");
    const first = createEngine({ store: openStore(path), agents: [gatedAgent(Promise.resolve(), new Map())] });
    await first.ready();
    const second = createEngine({ store: openStore(path), agents: [gatedAgent(Promise.resolve(), new Map())] });
    await expect(second.ready()).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining(path) });
    await expect(second.createWorkflow(STEPS)).rejects.toMatchObject({ code: "conflict" });
    await first.close();
    await second.close();
  });
});
