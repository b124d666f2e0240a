import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { WorkflowStatus } from "@tandem/core";
import { isoAt, makeEvent, makeStep, makeWorkflow } from "@tandem/core/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { advanceChain, createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

describe("group commit", () => {
  it("commits writes issued in the same turn in one transaction, each acknowledged after it", async () => {
    const store = openStore(join(dir, "group.db"));
    await Promise.all(Array.from({ length: 50 }, (_, i) => createChain(store, `wf${i}`, 3)));
    const before = store.transactionCount;
    await Promise.all(Array.from({ length: 50 }, (_, i) => advanceChain(store, `wf${i}`, 0, 3)));
    expect(store.transactionCount - before).toBe(1);
    for (let i = 0; i < 50; i++) await advanceChain(store, `wf${i}`, 1, 3);
    expect(store.transactionCount - before).toBe(51);
    expect((await store.listWorkflows({ limit: 500 })).items.every((w) => w.step_counts.succeeded === 2)).toBe(true);
    await store.close();
  });
});

describe("size limits", () => {
  it("refuses a step result above maxResultBytes with output_too_large, without affecting other writes", async () => {
    const store = openStore(join(dir, "size.db"), { maxResultBytes: 1000 });
    await store.createWorkflow(makeWorkflow("wf1", { steps: [makeStep("a"), makeStep("b")] }), [makeEvent("wf1", 1)]);
    const [big, small] = await Promise.allSettled([
      store.commit({
        workflowId: "wf1",
        steps: [makeStep("a", { result: "é".repeat(1200) })],
        events: [makeEvent("wf1", 2)],
      }),
      store.commit({
        workflowId: "wf1",
        steps: [makeStep("b", { result: "\ud800".repeat(100) })],
        events: [makeEvent("wf1", 2)],
      }),
    ]);
    expect(big.status).toBe("rejected");
    expect((big as PromiseRejectedResult).reason).toMatchObject({ code: "output_too_large" });
    expect((big as PromiseRejectedResult).reason.message).toMatch(/step a of workflow wf1 is \d+ bytes/);
    expect(small.status).toBe("fulfilled");
    const got = await store.getWorkflow("wf1");
    expect(got?.steps.map((s) => s.result)).toEqual([null, "\ud800".repeat(100)]);
    await store.close();
  });
});

describe("retention", () => {
  async function seed(path: string, retention: { maxAgeMs?: number; maxCount?: number }) {
    const store = openStore(path, { retention });
    const statuses: WorkflowStatus[] = ["completed", "failed", "cancelled", "running", "paused", "pending"];
    for (let i = 0; i < 12; i++) {
      const status = statuses[i % statuses.length]!;
      await store.createWorkflow(makeWorkflow(`wf${i}`, { status, created_at: isoAt(i), updated_at: isoAt(i) }), [
        makeEvent(`wf${i}`, 1),
      ]);
    }
    return store;
  }

  it("keeps the newest maxCount finished workflows and every unfinished one", async () => {
    const store = await seed(join(dir, "count.db"), { maxCount: 2 });
    expect(await store.applyRetention()).toBe(4);
    const ids = (await store.listWorkflows()).items.map((w) => w.id);
    expect(ids).toEqual(["wf11", "wf10", "wf9", "wf8", "wf7", "wf5", "wf4", "wf3"]);
    expect(await store.listEvents("wf0")).toEqual([]);
    expect(store.connection.prepare("SELECT count(*) FROM steps WHERE workflow_id = 'wf0'").pluck().get()).toBe(0);
    expect(await store.applyRetention()).toBe(0);
    await store.close();
  });

  it("deletes finished workflows last updated before maxAgeMs", async () => {
    const store = await seed(join(dir, "age.db"), { maxAgeMs: 24 * 3600_000 });
    await store.commit({ workflowId: "wf0", workflow: { updated_at: new Date().toISOString() }, events: [] });
    expect(await store.applyRetention()).toBe(5);
    expect((await store.findWorkflowIds(["completed", "failed", "cancelled"])).sort()).toEqual(["wf0"]);
    expect((await store.findWorkflowIds(["running", "paused", "pending"])).length).toBe(6);
    await store.close();
  });
});

describe("backup and WAL upkeep", () => {
  it("exports a consistent copy with VACUUM INTO and refuses to overwrite a file", async () => {
    const store = openStore(join(dir, "source.db"));
    await createChain(store, "wf1", 4);
    await advanceChain(store, "wf1", 0, 4);
    const target = join(dir, "backup.db");
    await store.backup(target);
    await expect(store.backup(target)).rejects.toMatchObject({ code: "conflict" });
    await store.close();
    const copy = openStore(target);
    expect((await copy.getWorkflow("wf1"))?.steps[0]?.status).toBe("succeeded");
    expect(copy.connection.pragma("integrity_check", { simple: true })).toBe("ok");
    await copy.close();
  });

  it("cannot shrink the WAL under a long reader, and truncates it once the reader is gone", async () => {
    const path = join(dir, "wal.db");
    const store = openStore(path);
    await createChain(store, "wf1", 200);
    const reader = new Database(path, { readonly: true });
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM workflows").get(); // holds its snapshot
    for (let i = 0; i < 200; i++) await advanceChain(store, "wf1", i, 200);
    expect(store.checkpoint("TRUNCATE")).toBe(false);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    reader.exec("COMMIT");
    reader.close();
    expect(store.checkpoint("TRUNCATE")).toBe(true);
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect((await store.getWorkflow("wf1"))?.status).toBe("completed");
    await store.close();
    expect(existsSync(path)).toBe(true);
  });
});

describe("background upkeep", () => {
  async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("condition never met");
  }

  it("applies retention limits on its interval and truncates the WAL on its own", async () => {
    const path = join(dir, "upkeep.db");
    const store = openStore(path, { retention: { maxCount: 1, intervalMs: 20 }, checkpointIntervalMs: 20 });
    for (let i = 0; i < 3; i++) {
      await store.createWorkflow(makeWorkflow(`done${i}`, { status: "completed", created_at: isoAt(i) }), []);
    }
    await store.createWorkflow(makeWorkflow("live", { status: "running" }), []);
    await eventually(async () => (await store.findWorkflowIds(["completed"])).length === 1);
    expect(await store.findWorkflowIds(["completed", "running"])).toEqual(["live", "done2"]);
    await eventually(() => statSync(`${path}-wal`).size === 0);
    await store.close();
  });
});
