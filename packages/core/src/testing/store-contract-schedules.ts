/**
 * Store contract, part 3: schedules, firings (one claim per slot) and wizard sessions.
 * @module
 */
import { describe, expect, it } from "vitest";
import type { Store } from "../store/store.js";
import { isoAt, makeFiring, makeSchedule, makeSession } from "./store-fixtures.js";

export function storeSchedulesContract(ctx: { store: Store }): void {
  describe("schedules", () => {
    it("saves, replaces, lists and deletes schedules", async () => {
      const a = makeSchedule("sch-a", { name: "Ünïcode \ud800", variables: { nested: { x: [1, "y"] } } });
      const b = makeSchedule("sch-b", { created_at: isoAt(10), steps: null, workflow_id: "wf-template" });
      await ctx.store.saveSchedule(b);
      await ctx.store.saveSchedule(a);
      expect(await ctx.store.getSchedule("sch-a")).toEqual(a);
      expect(await ctx.store.getSchedule("missing")).toBeNull();
      expect((await ctx.store.listSchedules()).map((s) => s.id)).toEqual(["sch-a", "sch-b"]);
      const paused = { ...a, paused: true, next_run_at: null, last_run_at: isoAt(99), updated_at: isoAt(99) };
      await ctx.store.saveSchedule(paused);
      expect(await ctx.store.getSchedule("sch-a")).toEqual(paused);
      expect((await ctx.store.listSchedules()).length).toBe(2);
      const got = (await ctx.store.getSchedule("sch-a"))!;
      got.paused = false;
      (got.variables.nested as { x: unknown[] }).x.push("mutated");
      expect(await ctx.store.getSchedule("sch-a")).toEqual(paused);
      expect(await ctx.store.deleteSchedule("sch-a")).toBe(true);
      expect(await ctx.store.deleteSchedule("sch-a")).toBe(false);
      expect(await ctx.store.getSchedule("sch-a")).toBeNull();
      expect((await ctx.store.listSchedules()).map((s) => s.id)).toEqual(["sch-b"]);
    });

    it("claims a slot exactly once", async () => {
      await ctx.store.saveSchedule(makeSchedule("sch"));
      expect(await ctx.store.claimFiring(makeFiring("sch", isoAt(60)))).toBe(true);
      expect(await ctx.store.claimFiring(makeFiring("sch", isoAt(60), { fired_at: isoAt(61) }))).toBe(false);
      expect(await ctx.store.claimFiring(makeFiring("sch", isoAt(60), { outcome: "skipped", reason: "x" }))).toBe(
        false,
      );
      expect(await ctx.store.claimFiring(makeFiring("sch", isoAt(120)))).toBe(true);
      expect(await ctx.store.claimFiring(makeFiring("other", isoAt(60)))).toBe(true);
      const firings = await ctx.store.listFirings("sch");
      expect(firings).toEqual([makeFiring("sch", isoAt(120)), makeFiring("sch", isoAt(60))]);
    });

    it("claims a slot exactly once under concurrent claims", async () => {
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ctx.store.claimFiring(makeFiring("sch", isoAt(60 * (i % 2)), { fired_at: isoAt(i) })),
        ),
      );
      expect(claims.filter(Boolean).length).toBe(2);
      expect(claims[0]).toBe(true);
      expect(claims[1]).toBe(true);
      expect((await ctx.store.listFirings("sch")).length).toBe(2);
    });

    it("records skipped slots with their reason and sets the workflow of a fired slot", async () => {
      await ctx.store.claimFiring(makeFiring("sch", isoAt(0), { outcome: "skipped", reason: "overlap" }));
      await ctx.store.claimFiring(makeFiring("sch", isoAt(60)));
      await ctx.store.setFiringWorkflow("sch", isoAt(60), "wf-1");
      expect(await ctx.store.listFirings("sch")).toEqual([
        makeFiring("sch", isoAt(60), { workflow_id: "wf-1" }),
        makeFiring("sch", isoAt(0), { outcome: "skipped", reason: "overlap" }),
      ]);
      const error = await ctx.store.setFiringWorkflow("sch", isoAt(999), "wf-2").then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(error?.code).toBe("not_found");
    });

    it("deleting a schedule deletes its firing records, and only its", async () => {
      await ctx.store.saveSchedule(makeSchedule("sch"));
      await ctx.store.saveSchedule(makeSchedule("other"));
      for (const i of [0, 1, 2]) await ctx.store.claimFiring(makeFiring("sch", isoAt(i * 60)));
      await ctx.store.claimFiring(makeFiring("other", isoAt(0)));
      expect(await ctx.store.deleteSchedule("sch")).toBe(true);
      expect(await ctx.store.listFirings("sch")).toEqual([]);
      expect(await ctx.store.listFirings("other")).toEqual([makeFiring("other", isoAt(0))]);
      // A schedule made later with the same id starts with no claims.
      await ctx.store.saveSchedule(makeSchedule("sch"));
      expect(await ctx.store.claimFiring(makeFiring("sch", isoAt(0)))).toBe(true);
    });

    it("lists firings most recent first, up to a limit", async () => {
      for (const i of [3, 1, 4, 0, 2]) await ctx.store.claimFiring(makeFiring("sch", isoAt(i * 60)));
      await ctx.store.claimFiring(makeFiring("other", isoAt(999)));
      const all = await ctx.store.listFirings("sch");
      expect(all.map((f) => f.scheduled_for)).toEqual([4, 3, 2, 1, 0].map((i) => isoAt(i * 60)));
      expect((await ctx.store.listFirings("sch", 2)).map((f) => f.scheduled_for)).toEqual([isoAt(240), isoAt(180)]);
      expect(await ctx.store.listFirings("nobody")).toEqual([]);
    });
  });

  describe("sessions", () => {
    it("saves, replaces, reads and deletes wizard sessions", async () => {
      const session = makeSession("ses1", {
        messages: [
          { role: "user", content: "mail me the news 📰 \ud800" },
          { role: "assistant", content: "Which address?" },
        ],
      });
      await ctx.store.saveSession(session);
      expect(await ctx.store.getSession("ses1")).toEqual(session);
      expect(await ctx.store.getSession("missing")).toBeNull();
      const draft = {
        steps: [
          {
            id: "s1",
            agent: "web_search",
            action: "SEARCH_WEB",
            args: { query: "AI" },
            depends_on: [],
            outputs: ["results"],
            needs_human: false,
          },
        ],
        variables: { user_email: "a@example.com" },
      };
      const updated = { ...session, draft, ready: true, workflow_id: "wf1", updated_at: isoAt(30) };
      await ctx.store.saveSession(updated);
      const got = (await ctx.store.getSession("ses1"))!;
      expect(got).toEqual(updated);
      got.messages.push({ role: "user", content: "mutated" });
      expect(await ctx.store.getSession("ses1")).toEqual(updated);
      expect(await ctx.store.deleteSession("ses1")).toBe(true);
      expect(await ctx.store.deleteSession("ses1")).toBe(false);
      expect(await ctx.store.getSession("ses1")).toBeNull();
    });
  });
}
