import { join } from "node:path";
import { makeEvent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

describe("write queue: acknowledged means committed", () => {
  it("rejects every write of a batch whose COMMIT fails, and none of them is visible", async () => {
    const store = openStore(join(dir, "commit-fails.db"));
    await createChain(store, "a", 1);
    await createChain(store, "b", 1);
    // A deferred foreign key is checked at COMMIT only: every statement succeeds, the COMMIT fails.
    const db = store.connection;
    db.pragma("foreign_keys = ON");
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER orphan AFTER INSERT ON event_batches WHEN NEW.workflow_id = 'b'
      BEGIN INSERT INTO child (p) VALUES (42); END;`);
    const results = await Promise.allSettled([
      store.commit({ workflowId: "a", events: [makeEvent("a", 2)] }),
      store.commit({ workflowId: "b", events: [makeEvent("b", 2)] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((await store.listEvents("a")).map((e) => e.seq)).toEqual([1]);
    expect((await store.listEvents("b")).map((e) => e.seq)).toEqual([1]);
    // Once the cause is gone the same writes go through.
    db.exec("DROP TRIGGER orphan");
    await store.commit({ workflowId: "a", events: [makeEvent("a", 2)] });
    expect((await store.listEvents("a")).map((e) => e.seq)).toEqual([1, 2]);
    await store.close();
  });

  it("splits a burst of writes into transactions of at most 64", async () => {
    const store = openStore(join(dir, "burst.db"));
    const before = store.transactionCount;
    await Promise.all(Array.from({ length: 200 }, (_, i) => createChain(store, `wf${i}`, 1)));
    expect(store.transactionCount - before).toBe(4); // 64 + 64 + 64 + 8
    expect((await store.listWorkflows({ limit: 500 })).items).toHaveLength(200);
    await store.close();
  });
});
