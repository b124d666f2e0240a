import { join } from "node:path";
import type { WorkflowCommit } from "@tandem/core";
import { makeEvent, makeStep } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

/** Step `k` of a 10-step chain succeeds: one step row, one event, and the workflow's updated_at. */
const finish = (k: number): WorkflowCommit => ({
  workflowId: "wf",
  steps: [makeStep(`s${k}`, { status: "succeeded", result: { k }, attempts: 1 })],
  workflow: { updated_at: `2026-01-01T00:00:${String(k).padStart(2, "0")}.000Z` },
  events: [makeEvent("wf", 2 + k, "step.succeeded", `s${k}`)],
});

describe("commit folding", () => {
  it("writes commits of one workflow queued in one turn as one change, with the same result", async () => {
    const store = openStore(join(dir, "fold.db"));
    await createChain(store, "wf", 10);
    const changes = () => (store.connection.prepare("SELECT total_changes()").pluck().get() as number) - before;
    const before = store.connection.prepare("SELECT total_changes()").pluck().get() as number;
    const transactions = store.transactionCount;
    await Promise.all(Array.from({ length: 10 }, (_, k) => store.commit(finish(k))));
    expect(store.transactionCount - transactions).toBe(1);
    // Without a specChanged hint each step is written whole: its spec row and its state row; each
    // commit's events are one batch row.
    // Unfolded: 10 workflow-row updates + 10 count updates + 20 step rows + 10 event batches = 50.
    // Folded: 1 workflow-row update + 1 count update + 20 step rows + 1 event batch.
    expect(changes()).toBe(23);
    const wf = await store.getWorkflow("wf");
    expect(wf?.steps.map((s) => s.status)).toEqual(Array(10).fill("succeeded"));
    expect(wf?.updated_at).toBe("2026-01-01T00:00:09.000Z");
    expect((await store.listEvents("wf")).map((e) => e.seq)).toEqual([
      1,
      ...Array.from({ length: 10 }, (_, k) => 2 + k),
    ]);
    expect((await store.listWorkflows()).items[0].step_counts.succeeded).toBe(10);
    await store.close();
  });

  it("a refused commit among folded ones fails alone", async () => {
    const store = openStore(join(dir, "refused.db"));
    await createChain(store, "wf", 10);
    const bad: WorkflowCommit = { ...finish(3), events: [makeEvent("wf", 1, "step.succeeded", "s3")] }; // seq reused
    const results = await Promise.allSettled([store.commit(finish(0)), store.commit(bad), store.commit(finish(1))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    const wf = await store.getWorkflow("wf");
    expect(wf?.steps.slice(0, 4).map((s) => s.status)).toEqual(["succeeded", "succeeded", "pending", "pending"]);
    await store.close();
  });

  it("does not fold across another write queued in between", async () => {
    const store = openStore(join(dir, "between.db"));
    await createChain(store, "wf", 10);
    const results = await Promise.allSettled([
      store.commit(finish(0)),
      store.deleteWorkflow("wf"),
      store.commit(finish(1)),
    ]);
    // Folded into the first commit, the last one would have been written before the delete.
    expect(results[0].status).toBe("fulfilled");
    expect(results[1]).toEqual({ status: "fulfilled", value: true });
    expect(results[2]).toMatchObject({ status: "rejected", reason: { code: "not_found" } });
    await store.close();
  });
});
