/**
 * The behaviour every `Store` must have, as a vitest suite. Run it from a test file:
 *
 * @example
 * import { runStoreContract } from "@tandem/core/store-contract";
 * runStoreContract("MyStore", () => new MyStore());
 * @module
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../store/store.js";
import type { WorkflowRecord } from "../workflow/schema.js";
import { storeListingContract } from "./store-contract-listing.js";
import { storeSchedulesContract } from "./store-contract-schedules.js";
import { isoAt, makeEvent, makeStep, makeWorkflow } from "./store-fixtures.js";

/** Creates a fresh, empty store for one test. */
export type StoreFactory = () => Promise<Store> | Store;

/** Awaits `promise` and returns what it rejected with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; name?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; name?: string };
  }
  throw new Error("expected the promise to reject");
}

/**
 * Registers the Store contract suite under `describe(name)`. Each test gets a fresh store from
 * `makeStore` and closes it afterwards.
 */
export function runStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`${name} (Store contract)`, () => {
    const ctx = { store: undefined as unknown as Store };
    beforeEach(async () => {
      ctx.store = await makeStore();
    });
    afterEach(async () => {
      await ctx.store.close();
    });
    storeWorkflowsContract(ctx);
    storeListingContract(ctx);
    storeSchedulesContract(ctx);
  });
}

function richWorkflow(): WorkflowRecord {
  const nested = { list: [1, 2.5, -3, true, false, null, "x"], deep: { a: { b: { c: [{ d: "e" }] } } } };
  return makeWorkflow("wf-rich", {
    name: "Résumé 世界 🎉 \ud800",
    status: "running",
    variables: { user_email: "a@example.com", nested, lone: "\ud800", low: "x\udfffy", emoji: "🎉", empty: "" },
    generation: { prompt: "search news", attempts: 2, usage: { prompt_tokens: 10, completion_tokens: 20 } },
    interventions: [{ at: isoAt(5), intervention: { step_id: "s2", approve: true, comment: "ok ✓" } }],
    steps: [
      makeStep("s1", {
        status: "succeeded",
        args: { query: "AI news", nested },
        resolved_args: { query: "AI news", nested },
        result: { results: [{ title: "Ünïcode \ud800", url: "https://x.test/?q=1&r=2" }], n: 0, s: "" },
        attempts: 1,
        started_at: isoAt(1),
        finished_at: isoAt(2),
        outputs: ["results"],
        description: "first",
        retry: { max_attempts: 3, backoff_ms: 10 },
        timeout_ms: 5000,
      }),
      makeStep("s2", {
        depends_on: ["s1"],
        needs_human: true,
        status: "failed",
        error: { name: "Error", message: "boom \ud800", code: "E_X" },
        in_doubt: true,
        result: "plain string",
      }),
      makeStep("s3", { depends_on: ["s1"], result: 42 }),
    ],
  });
}

function storeWorkflowsContract(ctx: { store: Store }): void {
  describe("workflows", () => {
    it("round-trips a workflow with JSON values, unicode and lone surrogates", async () => {
      const record = richWorkflow();
      await ctx.store.createWorkflow(record, [makeEvent(record.id, 1, "workflow.created")]);
      expect(await ctx.store.getWorkflow(record.id)).toEqual(richWorkflow());
      expect(await ctx.store.listEvents(record.id)).toEqual([makeEvent(record.id, 1, "workflow.created")]);
    });

    it("refuses creation events whose seq does not increase, storing nothing", async () => {
      const error = await rejectionOf(
        ctx.store.createWorkflow(makeWorkflow("wf1"), [makeEvent("wf1", 2), makeEvent("wf1", 2)]),
      );
      expect(error.code).toBe("conflict");
      expect(await ctx.store.getWorkflow("wf1")).toBeNull();
      expect((await ctx.store.listWorkflows()).items).toEqual([]);
    });

    it("returns null for an unknown workflow", async () => {
      expect(await ctx.store.getWorkflow("nope")).toBeNull();
      expect(await ctx.store.listEvents("nope")).toEqual([]);
    });

    it("refuses a duplicate id with a conflict and keeps the first", async () => {
      await ctx.store.createWorkflow(makeWorkflow("wf1", { name: "first" }), []);
      const error = await rejectionOf(ctx.store.createWorkflow(makeWorkflow("wf1", { name: "second" }), []));
      expect(error.code).toBe("conflict");
      expect((await ctx.store.getWorkflow("wf1"))?.name).toBe("first");
    });

    it("applies steps, removed steps, workflow fields, interventions and events in one commit", async () => {
      await ctx.store.createWorkflow(makeWorkflow("wf1", { steps: [makeStep("a"), makeStep("b"), makeStep("c")] }), [
        makeEvent("wf1", 1),
      ]);
      const done = makeStep("a", { status: "succeeded", result: { v: [1, { w: "ü" }] }, attempts: 1 });
      await ctx.store.commit({
        workflowId: "wf1",
        workflow: { status: "running", updated_at: isoAt(9), variables: { x: 1 }, name: "renamed" },
        steps: [done, makeStep("d", { depends_on: ["a"] })],
        removedSteps: ["b"],
        interventions: [{ at: isoAt(9), intervention: { remove_steps: ["b"], comment: "drop b" } }],
        events: [makeEvent("wf1", 2), makeEvent("wf1", 3, "step.succeeded", "a")],
      });
      const got = await ctx.store.getWorkflow("wf1");
      expect(got?.steps.map((s) => s.id)).toEqual(["a", "c", "d"]);
      expect(got?.steps[0]).toEqual(done);
      expect(got).toMatchObject({ status: "running", updated_at: isoAt(9), variables: { x: 1 }, name: "renamed" });
      expect(got?.interventions).toEqual([{ at: isoAt(9), intervention: { remove_steps: ["b"], comment: "drop b" } }]);
      expect((await ctx.store.listEvents("wf1")).map((e) => e.seq)).toEqual([1, 2, 3]);
      // A replaced step keeps its position; an empty commit changes nothing.
      await ctx.store.commit({ workflowId: "wf1", steps: [makeStep("c", { status: "running" })], events: [] });
      await ctx.store.commit({ workflowId: "wf1", events: [] });
      const again = await ctx.store.getWorkflow("wf1");
      expect(again?.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["a:succeeded", "c:running", "d:pending"]);
      expect(again?.name).toBe("renamed");
    });

    it("can set the name back to null", async () => {
      await ctx.store.createWorkflow(makeWorkflow("wf1", { name: "n" }), []);
      await ctx.store.commit({ workflowId: "wf1", workflow: { name: null }, events: [] });
      expect((await ctx.store.getWorkflow("wf1"))?.name).toBeNull();
    });

    it("reads whole steps whether a commit rewrote their spec (specChanged) or only their run state", async () => {
      const wf = makeWorkflow("wf1", { steps: [makeStep("s1", { args: { q: "a" }, depends_on: [] }), makeStep("s2")] });
      await ctx.store.createWorkflow(wf, []);
      const s1 = wf.steps[0];
      const running = { ...s1, status: "running" as const, attempts: 1, started_at: isoAt(1) };
      await ctx.store.commit({ workflowId: "wf1", steps: [running], specChanged: [], events: [] });
      expect((await ctx.store.getWorkflow("wf1"))?.steps[0]).toEqual(running);
      const edited = { ...running, args: { q: "b", extra: [1, 2] }, description: "edited" };
      await ctx.store.commit({ workflowId: "wf1", steps: [edited], specChanged: ["s1"], events: [] });
      const done = { ...edited, status: "succeeded" as const, result: { n: 1 }, finished_at: isoAt(2) };
      await ctx.store.commit({ workflowId: "wf1", steps: [done], specChanged: [], events: [] });
      const read = await ctx.store.getWorkflow("wf1");
      expect(read?.steps[0]).toEqual(done);
      expect(read?.steps[1]).toEqual(wf.steps[1]);
      // A new row named as unchanged is still written whole.
      const added = makeStep("s3", { depends_on: ["s1"], args: { z: 1 } });
      await ctx.store.commit({ workflowId: "wf1", steps: [added], specChanged: [], events: [] });
      expect((await ctx.store.getWorkflow("wf1"))?.steps.map((s) => s.id)).toEqual(["s1", "s2", "s3"]);
      expect((await ctx.store.getWorkflow("wf1"))?.steps[2]).toEqual(added);
    });

    it("refuses a commit on an unknown workflow with not_found", async () => {
      const error = await rejectionOf(ctx.store.commit({ workflowId: "ghost", events: [makeEvent("ghost", 1)] }));
      expect(error.code).toBe("not_found");
      expect(await ctx.store.getWorkflow("ghost")).toBeNull();
    });

    it("refuses a commit whose event seq does not follow and leaves no trace of it", async () => {
      await ctx.store.createWorkflow(makeWorkflow("wf1"), [makeEvent("wf1", 1), makeEvent("wf1", 2)]);
      const bad = ctx.store.commit({
        workflowId: "wf1",
        workflow: { status: "failed" },
        steps: [makeStep("s1", { status: "succeeded" })],
        removedSteps: ["s2"],
        events: [makeEvent("wf1", 2)],
      });
      expect((await rejectionOf(bad)).code).toBe("conflict");
      const got = await ctx.store.getWorkflow("wf1");
      expect(got?.status).toBe("pending");
      expect(got?.steps.map((s) => `${s.id}:${s.status}`)).toEqual(["s1:pending", "s2:pending"]);
      expect((await ctx.store.listEvents("wf1")).map((e) => e.seq)).toEqual([1, 2]);
    });

    it("applies concurrent commits; a refused one does not poison the others", async () => {
      await ctx.store.createWorkflow(makeWorkflow("wf1"), [makeEvent("wf1", 1)]);
      await ctx.store.createWorkflow(makeWorkflow("wf2"), [makeEvent("wf2", 1)]);
      const results = await Promise.allSettled([
        ctx.store.commit({
          workflowId: "wf1",
          steps: [makeStep("s1", { status: "running" })],
          events: [makeEvent("wf1", 2)],
        }),
        ctx.store.commit({
          workflowId: "wf2",
          steps: [makeStep("s1", { status: "running" })],
          events: [makeEvent("wf2", 2)],
        }),
        ctx.store.commit({ workflowId: "ghost", events: [makeEvent("ghost", 1)] }),
        ctx.store.commit({ workflowId: "wf1", events: [makeEvent("wf1", 1)] }),
        ctx.store.commit({
          workflowId: "wf1",
          steps: [makeStep("s1", { status: "succeeded" })],
          events: [makeEvent("wf1", 3)],
        }),
        ctx.store.commit({ workflowId: "wf2", workflow: { status: "running" }, events: [makeEvent("wf2", 3)] }),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
        "rejected",
        "fulfilled",
        "fulfilled",
      ]);
      expect((await ctx.store.getWorkflow("wf1"))?.steps[0]?.status).toBe("succeeded");
      expect((await ctx.store.getWorkflow("wf2"))?.status).toBe("running");
      expect((await ctx.store.listEvents("wf1")).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await ctx.store.listEvents("wf2")).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it("hands out copies: mutating a returned record never changes the store", async () => {
      await ctx.store.createWorkflow(richWorkflow(), [makeEvent("wf-rich", 1)]);
      const got = (await ctx.store.getWorkflow("wf-rich"))!;
      got.status = "failed";
      got.steps[0]!.status = "pending";
      (got.steps[0]!.args.nested as { list: unknown[] }).list.push("mutated");
      (got.variables.nested as { deep: unknown }).deep = null;
      got.steps.pop();
      got.interventions.push({ at: isoAt(1), intervention: {} });
      const events = await ctx.store.listEvents("wf-rich");
      events[0]!.data.n = "mutated";
      events.push(makeEvent("wf-rich", 2));
      const page = await ctx.store.listWorkflows();
      page.items[0]!.step_counts.succeeded = 99;
      expect(await ctx.store.getWorkflow("wf-rich")).toEqual(richWorkflow());
      expect(await ctx.store.listEvents("wf-rich")).toEqual([makeEvent("wf-rich", 1)]);
      expect((await ctx.store.listWorkflows()).items[0]!.step_counts.succeeded).toBe(1);
    });

    it("deletes a workflow with its steps, interventions and events", async () => {
      await ctx.store.createWorkflow(richWorkflow(), [makeEvent("wf-rich", 1), makeEvent("wf-rich", 2)]);
      expect(await ctx.store.deleteWorkflow("wf-rich")).toBe(true);
      expect(await ctx.store.deleteWorkflow("wf-rich")).toBe(false);
      expect(await ctx.store.getWorkflow("wf-rich")).toBeNull();
      expect(await ctx.store.listEvents("wf-rich")).toEqual([]);
      expect((await ctx.store.listWorkflows()).items).toEqual([]);
      expect(await ctx.store.findWorkflowIds(["running"])).toEqual([]);
      // The id is free again, with a fresh event log.
      await ctx.store.createWorkflow(makeWorkflow("wf-rich"), [makeEvent("wf-rich", 1, "workflow.created")]);
      expect(await ctx.store.listEvents("wf-rich")).toEqual([makeEvent("wf-rich", 1, "workflow.created")]);
      expect((await ctx.store.getWorkflow("wf-rich"))?.interventions).toEqual([]);
    });

    it("lists events in seq order after a given seq, up to a limit", async () => {
      const events = Array.from({ length: 10 }, (_, i) => makeEvent("wf1", i + 1, "step.started", "s1"));
      await ctx.store.createWorkflow(makeWorkflow("wf1"), events.slice(0, 4));
      await ctx.store.commit({ workflowId: "wf1", events: events.slice(4, 7) });
      await ctx.store.commit({ workflowId: "wf1", events: events.slice(7) });
      expect(await ctx.store.listEvents("wf1")).toEqual(events);
      expect((await ctx.store.listEvents("wf1", { afterSeq: 3 })).map((e) => e.seq)).toEqual([4, 5, 6, 7, 8, 9, 10]);
      expect((await ctx.store.listEvents("wf1", { afterSeq: 3, limit: 2 })).map((e) => e.seq)).toEqual([4, 5]);
      expect(await ctx.store.listEvents("wf1", { afterSeq: 10 })).toEqual([]);
      expect((await ctx.store.listEvents("wf1", { limit: 1 })).map((e) => e.seq)).toEqual([1]);
    });

    it("finds workflow ids by status and schedule", async () => {
      await ctx.store.createWorkflow(makeWorkflow("a", { status: "running" }), []);
      await ctx.store.createWorkflow(makeWorkflow("b", { status: "paused", schedule_id: "sch" }), []);
      await ctx.store.createWorkflow(makeWorkflow("c", { status: "running", schedule_id: "sch" }), []);
      await ctx.store.createWorkflow(makeWorkflow("d", { status: "completed", schedule_id: "sch" }), []);
      expect((await ctx.store.findWorkflowIds(["running"])).sort()).toEqual(["a", "c"]);
      expect((await ctx.store.findWorkflowIds(["running", "paused"])).sort()).toEqual(["a", "b", "c"]);
      expect((await ctx.store.findWorkflowIds(["running", "paused"], "sch")).sort()).toEqual(["b", "c"]);
      expect(await ctx.store.findWorkflowIds([])).toEqual([]);
      await ctx.store.commit({ workflowId: "a", workflow: { status: "completed" }, events: [] });
      expect((await ctx.store.findWorkflowIds(["completed"])).sort()).toEqual(["a", "d"]);
    });
  });
}
