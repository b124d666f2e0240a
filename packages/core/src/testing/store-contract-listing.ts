/**
 * Store contract, part 2: workflow listing (order, filters, keyset cursor, step counts).
 * @module
 */
import { describe, expect, it } from "vitest";
import type { ListWorkflowsQuery, Store } from "../store/store.js";
import { STEP_STATUSES, type WorkflowStatus } from "../workflow/schema.js";
import { isoAt, makeStep, makeWorkflow } from "./store-fixtures.js";

const STATUSES: WorkflowStatus[] = ["pending", "running", "paused", "completed", "failed", "cancelled"];

/** Pages through a listing with `limit`, failing on a repeated item. */
async function collect(store: Store, query: ListWorkflowsQuery): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.listWorkflows({ ...query, cursor });
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(query.limit ?? 50);
    for (const item of page.items) ids.push(item.id);
    cursor = page.nextCursor ?? undefined;
    if (cursor !== undefined) expect(page.items.length).toBe(query.limit ?? 50);
  } while (cursor !== undefined && pages < 1000);
  expect(new Set(ids).size).toBe(ids.length);
  return { ids, pages };
}

/**
 * 23 workflows: several share a `created_at` (ties broken by id, descending), statuses rotate,
 * every third one belongs to schedule `sch`. Returns the ids newest first.
 */
async function seed(store: Store): Promise<{ id: string; status: WorkflowStatus; schedule: string | null }[]> {
  const rows = Array.from({ length: 23 }, (_, i) => ({
    id: `wf-${String(i).padStart(2, "0")}`,
    created: isoAt(Math.floor(i / 3)),
    status: STATUSES[i % STATUSES.length]!,
    schedule: i % 3 === 0 ? "sch" : null,
  }));
  // Created out of time order, to show listing does not depend on insertion order.
  const shuffled = [...rows].sort((a, b) => (a.id.charCodeAt(4) % 2) - (b.id.charCodeAt(4) % 2));
  await Promise.all(
    shuffled.map((r) =>
      store.createWorkflow(
        makeWorkflow(r.id, {
          created_at: r.created,
          status: r.status,
          schedule_id: r.schedule,
          scheduled_for: r.schedule ? r.created : null,
        }),
        [],
      ),
    ),
  );
  return rows
    .sort((a, b) => (a.created === b.created ? (a.id < b.id ? 1 : -1) : a.created < b.created ? 1 : -1))
    .map(({ id, status, schedule }) => ({ id, status, schedule }));
}

export function storeListingContract(ctx: { store: Store }): void {
  describe("listing", () => {
    it("lists newest first, ties by id descending, across pages with no gaps or repeats", async () => {
      const expected = await seed(ctx.store);
      for (const limit of [1, 5, 7, 23, 50]) {
        const { ids, pages } = await collect(ctx.store, { limit });
        expect(ids).toEqual(expected.map((r) => r.id));
        expect(pages).toBe(Math.max(1, Math.ceil(23 / limit)));
      }
    });

    it("filters by status and by schedule, with paging", async () => {
      const expected = await seed(ctx.store);
      for (const status of STATUSES) {
        const { ids } = await collect(ctx.store, { status, limit: 2 });
        expect(ids).toEqual(expected.filter((r) => r.status === status).map((r) => r.id));
      }
      const { ids } = await collect(ctx.store, { scheduleId: "sch", limit: 3 });
      expect(ids).toEqual(expected.filter((r) => r.schedule === "sch").map((r) => r.id));
      const both = await collect(ctx.store, { scheduleId: "sch", status: "pending", limit: 1 });
      expect(both.ids).toEqual(expected.filter((r) => r.schedule === "sch" && r.status === "pending").map((r) => r.id));
      expect((await ctx.store.listWorkflows({ scheduleId: "none" })).items).toEqual([]);
    });

    it("keeps a cursor stable while workflows are added and deleted", async () => {
      const expected = (await seed(ctx.store)).map((r) => r.id);
      const first = await ctx.store.listWorkflows({ limit: 10 });
      expect(first.items.map((i) => i.id)).toEqual(expected.slice(0, 10));
      // A newer workflow and the deletion of an already listed one do not shift the next page.
      await ctx.store.createWorkflow(makeWorkflow("wf-new", { created_at: isoAt(1000) }), []);
      await ctx.store.deleteWorkflow(expected[9]!);
      await ctx.store.deleteWorkflow(expected[12]!);
      const second = await ctx.store.listWorkflows({ limit: 10, cursor: first.nextCursor! });
      expect(second.items.map((i) => i.id)).toEqual(expected.slice(10, 21).filter((id) => id !== expected[12]));
    });

    it("returns summaries with every step status counted", async () => {
      await ctx.store.createWorkflow(
        makeWorkflow("wf1", {
          name: "counted",
          schedule_id: "sch",
          scheduled_for: isoAt(0),
          steps: [makeStep("a", { status: "succeeded" }), makeStep("b"), makeStep("c"), makeStep("d")],
        }),
        [],
      );
      const counts = Object.fromEntries(STEP_STATUSES.map((s) => [s, 0]));
      expect((await ctx.store.listWorkflows()).items).toEqual([
        {
          id: "wf1",
          name: "counted",
          status: "pending",
          created_at: isoAt(0),
          updated_at: isoAt(0),
          schedule_id: "sch",
          scheduled_for: isoAt(0),
          step_counts: { ...counts, succeeded: 1, pending: 3 },
        },
      ]);
      await ctx.store.commit({
        workflowId: "wf1",
        steps: [makeStep("b", { status: "running" }), makeStep("c", { status: "awaiting_human" }), makeStep("e")],
        removedSteps: ["a"],
        events: [],
      });
      await ctx.store.commit({
        workflowId: "wf1",
        steps: [makeStep("d", { status: "skipped" }), makeStep("e", { status: "cancelled" })],
        workflow: { status: "paused", updated_at: isoAt(5) },
        events: [],
      });
      const [summary] = (await ctx.store.listWorkflows()).items;
      expect(summary).toMatchObject({ status: "paused", updated_at: isoAt(5) });
      expect(summary?.step_counts).toEqual({ ...counts, running: 1, awaiting_human: 1, skipped: 1, cancelled: 1 });
      await ctx.store.commit({ workflowId: "wf1", steps: [makeStep("b", { status: "failed" })], events: [] });
      expect((await ctx.store.listWorkflows()).items[0]?.step_counts).toMatchObject({ running: 0, failed: 1 });
    });

    it("uses a default page of 50 and at most 500", async () => {
      await Promise.all(
        Array.from({ length: 505 }, (_, i) =>
          ctx.store.createWorkflow(makeWorkflow(`w${i}`, { created_at: isoAt(i), steps: [] }), []),
        ),
      );
      const page = await ctx.store.listWorkflows();
      expect(page.items.length).toBe(50);
      expect(page.items[0]?.id).toBe("w504");
      expect(page.nextCursor).not.toBeNull();
      expect((await ctx.store.listWorkflows({ limit: 10_000 })).items.length).toBe(500);
      expect((await ctx.store.listWorkflows({ limit: 0 })).items.length).toBe(1);
      expect((await ctx.store.listWorkflows({ limit: 505 })).nextCursor).not.toBeNull();
    });

    it("refuses a cursor it did not issue", async () => {
      await seed(ctx.store);
      for (const cursor of ["garbage!", "", "eyJ4IjoxfQ"]) {
        const error = await ctx.store.listWorkflows({ cursor }).then(
          () => null,
          (e: { code?: string }) => e,
        );
        expect(error?.code).toBe("invalid_request");
      }
    });
  });
}
