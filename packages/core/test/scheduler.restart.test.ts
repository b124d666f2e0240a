import { describe, expect, it } from "vitest";
import { type Clock, ConflictError, MemoryStore } from "../src/index.js";
import { FakeClock } from "../src/testing/index.js";
import { firingsOf, harness, ping, workflowsOf } from "./scheduler.helpers.js";

/**
 * A `Clock` over `clock` that fires every timer due at the same instant in one turn, so two
 * schedulers whose ticks coincide both start reconciling before either has written anything.
 */
function sameInstantClock(clock: FakeClock): Clock {
  const batches = new Map<number, Set<() => void>>();
  return {
    now: () => clock.now(),
    setTimer(at, fn) {
      let batch = batches.get(at);
      if (!batch) {
        const fresh = new Set<() => void>();
        batches.set(at, fresh);
        clock.setTimer(at, () => {
          if (batches.get(at) === fresh) batches.delete(at);
          for (const f of fresh) f();
        });
        batch = fresh;
      }
      const mine = batch;
      mine.add(fn);
      return () => {
        mine.delete(fn);
      };
    },
  };
}

describe("at most one run per slot", () => {
  it("restart exactly at a fire time: the new scheduler fires the slot once", async () => {
    const h = harness("2026-05-01T00:00:00Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    await h.clock.advanceTo("2026-05-01T00:59:59.999Z");
    await h.scheduler.stop();
    await h.clock.advanceTo("2026-05-01T01:00:00Z");
    const next = h.another();
    await next.scheduler.start();
    await h.clock.advance(5000);
    expect(await firingsOf(h.store, s.id)).toEqual([["2026-05-01T01:00:00Z", "fired", null]]);
    expect(h.runs).toHaveLength(1);
    await next.scheduler.stop();
  });

  it("a crash after the claim, before the cursor moved: the restarted scheduler does not fire the slot again", async () => {
    const h = harness("2026-05-01T00:59:00Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    await h.clock.advanceTo("2026-05-01T01:00:00Z");
    await h.scheduler.stop();
    expect(h.runs).toHaveLength(1);
    // What the store holds if the process died between the firing and the cursor update.
    const stale = await h.store.getSchedule(s.id);
    await h.store.saveSchedule({ ...stale!, next_run_at: "2026-05-01T01:00:00.000Z", last_workflow_id: null });
    const next = h.another();
    await next.scheduler.start();
    await h.clock.advance(5000);
    expect(await firingsOf(h.store, s.id)).toEqual([["2026-05-01T01:00:00Z", "fired", null]]);
    expect(await workflowsOf(next.engine, s.id)).toHaveLength(1);
    expect(h.runs).toHaveLength(1);
    expect((await next.scheduler.getSchedule(s.id)).next_run_at).toBe("2026-05-01T02:00:00.000Z");
    await next.scheduler.stop();
  });

  it("two engines with a scheduler each on one store: every slot runs exactly once", async () => {
    // Both schedulers' timers come due at the same instants and fire in the same turn, so both
    // reconcile every slot before either moves the shared cursor: only the claims keep them apart.
    const clock = new FakeClock("2026-05-01T00:00:00Z");
    const store = new MemoryStore();
    let refused = 0;
    const claimFiring = store.claimFiring.bind(store);
    store.claimFiring = async (firing) => {
      const claimed = await claimFiring(firing);
      if (!claimed) refused++;
      return claimed;
    };
    const options = { reconcileIntervalMs: 1000, clock: sameInstantClock(clock) };
    const h = harness("", options, { clock, store });
    const other = h.another(options);
    await h.scheduler.start();
    await other.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "*/5 * * * *", steps: ping, overlap: "allow" });
    const t = await other.scheduler.createSchedule({ cron: "*/20 * * * * *", steps: ping, catch_up: "all" });
    await h.clock.advanceTo("2026-05-01T01:00:00Z");
    const minutes = await firingsOf(h.store, s.id);
    expect(minutes).toHaveLength(12);
    expect(minutes.every((f) => f[1] === "fired")).toBe(true);
    const seconds = await firingsOf(h.store, t.id);
    expect(seconds).toHaveLength(180);
    expect(seconds.every((f) => f[1] === "fired")).toBe(true);
    // Every slot was contested: the loser's claim was refused each time.
    expect(refused).toBe(12 + 180);
    const workflowIds = [...(await workflowsOf(h.engine, s.id)), ...(await workflowsOf(h.engine, t.id))].map(
      (w) => w.id,
    );
    expect(new Set(workflowIds).size).toBe(12 + 180);
    expect(h.runs).toHaveLength(12 + 180);
    expect(new Set(h.runs).size).toBe(12 + 180);
    expect(h.events.length + other.events.length).toBe(12 + 180);
    expect(h.events.length).toBeGreaterThan(0);
    expect(other.events.length).toBeGreaterThan(0);
    await h.scheduler.stop();
    await other.scheduler.stop();
  });

  it("two schedulers starting at the same moment after downtime race for the same slots: the claims decide", async () => {
    const h = harness("2026-05-01T00:00:30Z");
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping, catch_up: "all", overlap: "allow" });
    const t = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping, catch_up: "latest" });
    await h.clock.advanceTo("2026-05-01T03:30:00Z");
    const a = h.another();
    const b = h.another();
    // Both reconcile concurrently: their awaits interleave, so both try to claim every slot.
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    await h.clock.advance(1000);
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-05-01T01:00:00Z", "fired", null],
      ["2026-05-01T02:00:00Z", "fired", null],
      ["2026-05-01T03:00:00Z", "fired", null],
    ]);
    expect(await firingsOf(h.store, t.id)).toEqual([
      ["2026-05-01T01:00:00Z", "skipped", "missed"],
      ["2026-05-01T02:00:00Z", "skipped", "missed"],
      ["2026-05-01T03:00:00Z", "fired", null],
    ]);
    expect(h.runs).toHaveLength(4);
    expect(new Set(h.runs).size).toBe(4);
    expect(a.events.length + b.events.length).toBe(6);
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.events.length).toBeGreaterThan(0);
    await a.scheduler.stop();
    await b.scheduler.stop();
  });

  it("an engine that may not execute (lease held elsewhere) stands by: polls at the interval, claims nothing", async () => {
    const store = new MemoryStore();
    const clock = new FakeClock("2026-05-01T00:00:30Z");
    const leased = Object.assign(store, {
      acquireExecutorLease: async () => {
        throw new ConflictError("another engine drives this store");
      },
    });
    const h = harness("", {}, { clock, store: leased });
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: ping });
    await h.clock.advanceTo("2026-05-01T00:10:00Z");
    expect(await h.store.listFirings(s.id)).toEqual([]);
    expect(h.clock.nextTimerAt()).toBe(h.clock.now() + 1000);
    await expect(h.scheduler.runNow(s.id)).rejects.toBeInstanceOf(ConflictError);
    expect(await h.store.listFirings(s.id)).toEqual([]);
    await h.scheduler.stop();
  });

  it("a listener that throws changes nothing", async () => {
    const h = harness("2026-05-01T00:00:30Z");
    h.engine.events.on("schedule.fired", () => {
      throw new Error("listener bug");
    });
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: ping });
    await h.clock.advanceTo("2026-05-01T00:03:00Z");
    expect((await firingsOf(h.store, s.id)).map((f) => f[1])).toEqual(["fired", "fired", "fired"]);
    expect((await h.scheduler.getSchedule(s.id)).next_run_at).toBe("2026-05-01T00:04:00.000Z");
    await h.scheduler.stop();
  });

  it("a workflow that cannot be created (its agent is gone): the slot is recorded, the schedule goes on", async () => {
    const h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: ping });
    const stored = await h.store.getSchedule(s.id);
    await h.store.saveSchedule({ ...stored!, steps: [{ ...stored!.steps![0]!, agent: "gone" }] });
    await h.clock.advanceTo("2026-05-01T00:02:30Z");
    const firings = await h.store.listFirings(s.id);
    expect(firings.map((f) => [f.scheduled_for, f.outcome, f.workflow_id])).toEqual([
      ["2026-05-01T00:02:00.000Z", "fired", null],
      ["2026-05-01T00:01:00.000Z", "fired", null],
    ]);
    expect((await h.scheduler.getSchedule(s.id)).next_run_at).toBe("2026-05-01T00:03:00.000Z");
    await expect(h.scheduler.runNow(s.id)).rejects.toMatchObject({ code: "invalid_workflow" });
    expect(h.runs).toHaveLength(0);
    await h.scheduler.stop();
  });

  it("a schedule record with steps: null reads its workflow_id template at firing time; a gone template is recorded", async () => {
    const h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const template = await h.engine.createWorkflow(
      { steps: [{ id: "a", agent: "t", action: "PING" }], variables: { v: 1 } },
      { start: false },
    );
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", workflow_id: template.id });
    const stored = await h.store.getSchedule(s.id);
    await h.store.saveSchedule({ ...stored!, steps: null, variables: { w: 2 } });
    await h.clock.advanceTo("2026-05-01T00:01:30Z");
    const [first] = await workflowsOf(h.engine, s.id);
    expect((await h.engine.getWorkflow(first!.id)).variables).toEqual({ v: 1, w: 2 });
    await h.engine.deleteWorkflow(template.id);
    await h.clock.advanceTo("2026-05-01T00:02:30Z");
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-05-01T00:01:00Z", "fired", null],
      ["2026-05-01T00:02:00Z", "skipped", "template_missing"],
    ]);
    await h.scheduler.stop();
  });
});
