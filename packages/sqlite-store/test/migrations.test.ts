import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeEvent, makeStep } from "@tandem/core/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, SqliteStore } from "../src/index.js";
import { advanceChain, createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

describe("opening and migrations", () => {
  it("creates the schema in WAL mode with synchronous FULL, and keeps data across reopen", async () => {
    const path = join(dir, "nested", "fresh.db");
    const store = openStore(path);
    expect(store.connection.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.connection.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.connection.pragma("synchronous", { simple: true })).toBe(2);
    await createChain(store, "wf1", 3);
    await advanceChain(store, "wf1", 0, 3);
    await store.close();
    const again = openStore(path, { synchronous: "NORMAL" });
    expect(again.connection.pragma("synchronous", { simple: true })).toBe(1);
    expect((await again.getWorkflow("wf1"))?.steps.map((s) => s.status)).toEqual(["succeeded", "running", "pending"]);
    await again.close();
  });

  it("upgrades a version-1 database in place, keeping its workflows readable and writable", async () => {
    const path = join(dir, "v1.db");
    // A file as version 1 left it: its schema, and rows written the way version 1 wrote them.
    const raw = new Database(path);
    raw.pragma("journal_mode = WAL");
    raw.exec(readFileSync(new URL("../migrations/0001_init.sql", import.meta.url), "utf8"));
    raw.pragma("user_version = 1");
    const steps = [makeStep("s0"), makeStep("s1", { depends_on: ["s0"] })];
    const insertStep = raw.prepare("INSERT INTO steps (workflow_id, step_id, status, body) VALUES (?, ?, ?, ?)");
    for (const step of steps) insertStep.run("wf1", step.id, step.status, JSON.stringify(step));
    raw
      .prepare(
        `INSERT INTO workflows (id, name, status, variables, created_at, updated_at, n_pending)
         VALUES ('wf1', NULL, 'running', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 2)`,
      )
      .run();
    raw.close();
    const store = openStore(path);
    expect(store.connection.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const wf = await store.getWorkflow("wf1");
    expect(wf?.steps).toEqual(steps);
    const done = { ...steps[0], status: "succeeded" as const, result: { ok: true } };
    await store.commit({ workflowId: "wf1", steps: [done], specChanged: [], events: [] });
    expect((await store.getWorkflow("wf1"))?.steps[0]).toEqual(done);
    expect((await store.listWorkflows()).items[0].step_counts).toMatchObject({ pending: 1, succeeded: 1 });
    await store.close();
  });

  it("upgrades a version-3 database: run state to step_state, events to batches, every field kept", async () => {
    const path = join(dir, "v3.db");
    const raw = new Database(path);
    raw.pragma("journal_mode = WAL");
    for (const name of ["0001_init.sql", "0002_step_state.sql", "0003_counts_from_commits.sql"]) {
      raw.exec(readFileSync(new URL(`../migrations/${name}`, import.meta.url), "utf8"));
    }
    raw.pragma("user_version = 3");
    // Version 3 wrote a step whole into `body` (state NULL), then transitions into `state` alone.
    const pending = makeStep("s0", { description: "lone \ud800 surrogate", retry: { max_attempts: 3, backoff_ms: 5 } });
    // Nested deeper than SQLite's JSON functions accept (1,000 levels): JSON.parse must move it.
    let deep: unknown = "bottom";
    for (let i = 0; i < 1200; i++) deep = [deep];
    const wholeSucceeded = makeStep("s1", { status: "succeeded", result: { text: "\udfff", deep }, attempts: 2 });
    const running = makeStep("s2", { depends_on: ["s1"], timeout_ms: 900, args: { q: "$s1.text" } });
    // Every run-state field differs from the stale copy in `body`: the state column must win.
    const runningState = {
      status: "failed",
      resolved_args: { q: "\udfff" },
      result: { partial: deep },
      error: { name: "Error", message: "boom", code: "agent_error" },
      attempts: 1,
      started_at: "2026-01-01T00:00:01.000Z",
      finished_at: "2026-01-01T00:00:02.000Z",
      in_doubt: true,
    } as const;
    const insert = raw.prepare("INSERT INTO steps (workflow_id, step_id, status, body, state) VALUES (?, ?, ?, ?, ?)");
    insert.run("wf3", "s0", "pending", JSON.stringify(pending), null);
    insert.run("wf3", "s1", "succeeded", JSON.stringify(wholeSucceeded), null);
    insert.run("wf3", "s2", "failed", JSON.stringify(running), JSON.stringify(runningState));
    raw
      .prepare(
        `INSERT INTO workflows (id, name, status, variables, created_at, updated_at, n_pending, n_failed, n_succeeded)
         VALUES ('wf3', NULL, 'running', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 1, 1)`,
      )
      .run();
    const event = raw.prepare(
      "INSERT INTO events (workflow_id, seq, type, step_id, at, data) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const events = [
      makeEvent("wf3", 1, "workflow.created"),
      {
        ...makeEvent("wf3", 2, "step.succeeded", "s1"),
        data: { text: "\udfff", nested: [1, null, { a: true }], deep },
      },
      makeEvent("wf3", 3, "step.started", "s2"),
    ];
    for (const e of events) event.run("wf3", e.seq, e.type, e.step_id, e.at, JSON.stringify(e.data));
    raw.close();

    const store = openStore(path);
    expect(await store.listEvents("wf3")).toEqual(events);
    expect(await store.listEvents("wf3", { afterSeq: 1, limit: 1 })).toEqual([events[1]]);
    expect(store.connection.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const columns = store.connection.prepare("SELECT name FROM pragma_table_info('steps')").pluck().all();
    expect(columns).toEqual(["seq", "workflow_id", "step_id", "body"]);
    // Migrated specs hold the spec alone, run state went to step_state.
    for (const body of store.connection.prepare("SELECT body FROM steps").pluck().all() as string[]) {
      expect(Object.keys(JSON.parse(body)).some((key) => key === "status" || key === "result")).toBe(false);
    }
    const table = store.connection.prepare("SELECT count(*) FROM sqlite_schema WHERE name = ?").pluck();
    expect([table.get("events"), table.get("event_batches"), table.get("step_state")]).toEqual([0, 1, 1]);
    const wf = await store.getWorkflow("wf3");
    expect(wf?.steps).toEqual([pending, wholeSucceeded, { ...running, ...runningState }]);
    expect(wf?.steps[0]?.description).toBe("lone \ud800 surrogate");
    // Still writable: a state-only transition, then a whole rewrite of an edited spec.
    const done = { ...wf!.steps[2]!, status: "succeeded" as const, finished_at: "2026-01-01T00:00:02.000Z" };
    await store.commit({ workflowId: "wf3", steps: [done], specChanged: [], events: [makeEvent("wf3", 4)] });
    const edited = { ...pending, args: { q: "edited" } };
    await store.commit({ workflowId: "wf3", steps: [edited], specChanged: ["s0"], events: [] });
    expect((await store.getWorkflow("wf3"))?.steps).toEqual([edited, wholeSucceeded, done]);
    expect((await store.listWorkflows()).items[0]!.step_counts).toMatchObject({ pending: 1, succeeded: 2, failed: 0 });
    await store.close();
  });

  it("refuses a database written by a newer schema, and leaves it untouched", async () => {
    const path = join(dir, "newer.db");
    await openStore(path).close();
    const raw = new Database(path);
    raw.pragma("user_version = 99");
    raw.close();
    const before = readFileSync(path);
    let error: { code?: string; message?: string } | undefined;
    try {
      openStore(path);
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.code).toBe("invalid_state");
    expect(error?.message).toContain("schema version 99");
    expect(error?.message).toContain(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses to write into another application's database", () => {
    const path = join(dir, "foreign.db");
    const raw = new Database(path);
    raw.exec("CREATE TABLE workflows (x TEXT)");
    raw.close();
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(/another application/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("reports a path it cannot open as a file clearly", () => {
    expect(() => openStore(dir)).toThrow(expect.objectContaining({ message: expect.stringContaining(dir) }));
  });

  it("refuses bad options with a TypeError", () => {
    const path = join(dir, "options.db");
    expect(() => new SqliteStore({ path, synchronous: "OFF" as "FULL" })).toThrow(TypeError);
    expect(() => new SqliteStore({ path, busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs/);
    expect(() => new SqliteStore({ path: ":memory:" })).toThrow(/MemoryStore/);
  });

  it("refuses to be used after close", async () => {
    const store = openStore(join(dir, "closed.db"));
    await store.close();
    await expect(store.getWorkflow("x")).rejects.toMatchObject({ code: "invalid_state" });
    await expect(createChain(store, "x", 1)).rejects.toMatchObject({ code: "invalid_state" });
  });
});
