import { join } from "node:path";
import { makeEvent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

describe("event log stored as one batch per commit", () => {
  it("appends a commit's events as one row and reads any window across batches", async () => {
    const store = openStore(join(dir, "batches.db"));
    await createChain(store, "wf", 1); // event 1
    const commitEvents = (...seqs: number[]) =>
      store.commit({ workflowId: "wf", events: seqs.map((seq) => makeEvent("wf", seq, "step.started", "s0")) });
    await commitEvents(2, 3, 4);
    await commitEvents(5);
    await commitEvents(6, 7);
    const rows = store.connection.prepare("SELECT last_seq FROM event_batches WHERE workflow_id = 'wf'").pluck();
    expect(rows.all()).toEqual([1, 4, 5, 7]);
    const seqs = async (afterSeq?: number, limit?: number) =>
      (await store.listEvents("wf", { afterSeq, limit })).map((e) => e.seq);
    expect(await seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await seqs(3, 3)).toEqual([4, 5, 6]);
    expect(await seqs(2, 1)).toEqual([3]);
    expect(await seqs(6)).toEqual([7]);
    expect(await seqs(7)).toEqual([]);
    expect(await seqs(0, 0)).toEqual([]);
    const [event] = await store.listEvents("wf", { afterSeq: 5, limit: 1 });
    expect(event).toEqual(makeEvent("wf", 6, "step.started", "s0"));
    await store.close();
  });

  it("refuses a batch that does not follow the stored seq, or goes backwards inside, writing nothing", async () => {
    const store = openStore(join(dir, "order.db"));
    await createChain(store, "wf", 1);
    await expect(store.commit({ workflowId: "wf", events: [makeEvent("wf", 1)] })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(
      store.commit({ workflowId: "wf", events: [makeEvent("wf", 2), makeEvent("wf", 4), makeEvent("wf", 3)] }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("seq 3") });
    expect((await store.listEvents("wf")).map((e) => e.seq)).toEqual([1]);
    await store.close();
  });

  it("names the one oversized event of a batch, and takes long batches of small events", async () => {
    const store = openStore(join(dir, "size.db"), { maxResultBytes: 1000 });
    await createChain(store, "wf", 1);
    const small = Array.from({ length: 200 }, (_, i) => makeEvent("wf", 2 + i)); // far above the cap together
    await store.commit({ workflowId: "wf", events: small });
    const huge = { ...makeEvent("wf", 203), data: { text: "x".repeat(5000) } };
    await expect(
      store.commit({ workflowId: "wf", events: [makeEvent("wf", 202), huge, makeEvent("wf", 204)] }),
    ).rejects.toMatchObject({ code: "output_too_large", message: expect.stringContaining("Event 203 of wf") });
    expect((await store.listEvents("wf")).length).toBe(201);
    await store.close();
  });
});
