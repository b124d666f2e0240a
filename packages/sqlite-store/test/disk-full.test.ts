import { join } from "node:path";
import { makeEvent, makeStep, makeWorkflow } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { advanceChain, createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

describe("a full disk (PRAGMA max_page_count)", () => {
  it("refuses writes with store_full, leaves no partial rows, and works again once space is back", async () => {
    const store = openStore(join(dir, "full.db"));
    await createChain(store, "wf1", 5);
    await advanceChain(store, "wf1", 0, 5);
    const db = store.connection;
    const pages = db.pragma("page_count", { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);

    // A large workflow and a step commit issued together: the batch fails as a whole.
    const big = makeWorkflow("big", {
      steps: Array.from({ length: 200 }, (_, i) => makeStep(`b${i}`, { args: { text: "x".repeat(2000) } })),
    });
    const results = await Promise.allSettled([
      store.createWorkflow(big, [makeEvent("big", 1)]),
      advanceChain(store, "wf1", 1, 5),
    ]);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      const reason = (result as PromiseRejectedResult).reason as { code?: string; message?: string };
      expect(reason.code).toBe("store_full");
      expect(reason.message).toMatch(/nothing was written/);
    }
    expect(await store.getWorkflow("big")).toBeNull();
    expect(db.prepare("SELECT count(*) FROM steps WHERE workflow_id = 'big'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM event_batches WHERE workflow_id = 'big'").pluck().get()).toBe(0);
    const wf1 = await store.getWorkflow("wf1");
    expect(wf1?.steps.map((s) => s.status)).toEqual(["succeeded", "running", "pending", "pending", "pending"]);
    expect((await store.listEvents("wf1")).length).toBe(3);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");

    // Space is back: the same writes go through and the workflow runs to its end.
    db.pragma("max_page_count = 1073741823");
    await store.createWorkflow(big, [makeEvent("big", 1)]);
    for (let i = 1; i < 5; i++) await advanceChain(store, "wf1", i, 5);
    expect((await store.getWorkflow("big"))?.steps.length).toBe(200);
    const done = await store.getWorkflow("wf1");
    expect(done?.status).toBe("completed");
    expect(done?.steps.every((s) => s.status === "succeeded")).toBe(true);
    expect((await store.listWorkflows()).items.find((w) => w.id === "wf1")?.step_counts.succeeded).toBe(5);
    await store.close();
  });
});
