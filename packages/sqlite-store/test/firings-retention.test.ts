import { join } from "node:path";
import { createEngine, createScheduler, defineAgent } from "@tandem/core";
import { FakeClock, isoAt, makeFiring, makeSchedule } from "@tandem/core/testing";
import { describe, expect, it, vi } from "vitest";
import type { SqliteStore } from "../src/index.js";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir("tandem-firings-");
const MIN = 60;

/** Claims one per-minute slot for each `i` in `[from, to)`, all in a few group commits. */
async function claimMinutes(store: SqliteStore, scheduleId: string, from: number, to: number) {
  const claims = [];
  for (let i = from; i < to; i++) claims.push(store.claimFiring(makeFiring(scheduleId, isoAt(i * MIN))));
  expect((await Promise.all(claims)).every(Boolean)).toBe(true);
}

const count = (store: SqliteStore, scheduleId: string) =>
  store.connection.prepare("SELECT count(*) FROM firings WHERE schedule_id = ?").pluck().get(scheduleId);
const oldest = (store: SqliteStore, scheduleId: string) =>
  store.connection.prepare("SELECT min(scheduled_for) FROM firings WHERE schedule_id = ?").pluck().get(scheduleId);

describe("firing records are pruned (no retention limits configured)", () => {
  it("keeps the newest 1,000 per schedule, never a slot at or after the schedule's cursor", async () => {
    const store = openStore(join(dir, "count.db"));
    // Up to date: cursor right after the newest slot.
    await store.saveSchedule(makeSchedule("current", { next_run_at: isoAt(2500 * MIN) }));
    await claimMinutes(store, "current", 0, 2500);
    // A stale cursor (paused long ago, or a crash before the cursor moved): slots from 1000 on stay.
    await store.saveSchedule(makeSchedule("stale", { paused: true, next_run_at: isoAt(1000 * MIN) }));
    await claimMinutes(store, "stale", 0, 2500);
    // Never fires again: only the count applies.
    await store.saveSchedule(makeSchedule("done", { next_run_at: null }));
    await claimMinutes(store, "done", 0, 1200);
    // Few records: untouched.
    await store.saveSchedule(makeSchedule("small", { next_run_at: isoAt(10_000 * MIN) }));
    await claimMinutes(store, "small", 0, 5);

    expect(await store.pruneFirings()).toBe(1500 + 1000 + 200);
    expect(count(store, "current")).toBe(1000);
    expect(oldest(store, "current")).toBe(isoAt(1500 * MIN));
    expect(count(store, "stale")).toBe(1500);
    expect(oldest(store, "stale")).toBe(isoAt(1000 * MIN));
    expect(count(store, "done")).toBe(1000);
    expect(count(store, "small")).toBe(5);
    // What listFirings (and GET …/firings, 100) shows is the newest history, unchanged.
    expect((await store.listFirings("current", 100)).map((f) => f.scheduled_for)).toEqual(
      Array.from({ length: 100 }, (_, i) => isoAt((2499 - i) * MIN)),
    );
    expect(await store.pruneFirings()).toBe(0);
    await store.close();
  });

  it("a pruned store never lets a slot be claimed twice: every claim at or after the cursor survives", async () => {
    const store = openStore(join(dir, "claims.db"));
    // The cursor lags at slot 1000 (a crash after claiming it, before the cursor moved; or a
    // pause), with 1,500 newer claims: slots 1000–1499 are beyond the newest 1,000, yet needed.
    await store.saveSchedule(makeSchedule("s", { next_run_at: isoAt(1000 * MIN) }));
    await claimMinutes(store, "s", 0, 2500);
    expect(await store.pruneFirings()).toBe(1000);
    const again = [];
    for (let i = 1000; i < 2500; i++) again.push(store.claimFiring(makeFiring("s", isoAt(i * MIN))));
    expect((await Promise.all(again)).some(Boolean)).toBe(false);
    expect(count(store, "s")).toBe(1500);
    await store.close();
  });

  it("deletes every record of a schedule that no longer exists (left by deletions before this fix)", async () => {
    const store = openStore(join(dir, "orphans.db"));
    await store.saveSchedule(makeSchedule("kept", { next_run_at: isoAt(10 * MIN) }));
    await claimMinutes(store, "kept", 0, 10);
    await claimMinutes(store, "gone-a", 0, 1200);
    await claimMinutes(store, "gone-b", 0, 3);
    expect(await store.pruneFirings()).toBe(1203);
    expect(count(store, "gone-a")).toBe(0);
    expect(count(store, "gone-b")).toBe(0);
    expect(count(store, "kept")).toBe(10);
    await store.close();
  });

  it("with retention.maxAgeMs, also deletes records older than that age, still only before the cursor", async () => {
    const store = openStore(join(dir, "age.db"), { retention: { maxAgeMs: 24 * 3600_000 } });
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toISOString();
    await store.saveSchedule(makeSchedule("daily", { next_run_at: at(-1) }));
    await store.saveSchedule(makeSchedule("paused", { paused: true, next_run_at: at(72) }));
    for (const h of [60, 50, 30, 10, 2]) {
      await store.claimFiring(makeFiring("daily", at(h)));
      await store.claimFiring(makeFiring("paused", at(h))); // runNow claims while paused, after the cursor
    }
    await store.claimFiring(makeFiring("paused", at(80)));
    expect(await store.applyRetention()).toBe(0); // no workflows to delete
    expect((await store.listFirings("daily")).map((f) => f.scheduled_for)).toEqual([at(10), at(2)].reverse());
    expect((await store.listFirings("paused")).map((f) => f.scheduled_for)).toEqual(
      [at(60), at(50), at(30), at(10), at(2)].reverse(),
    );
    await store.close();
  });

  it("runs with the store's retention timer even when no limit is set", async () => {
    const store = openStore(join(dir, "timer.db"), { retention: { intervalMs: 20 } });
    await store.saveSchedule(makeSchedule("s", { next_run_at: isoAt(1100 * MIN) }));
    await claimMinutes(store, "s", 0, 1100);
    await claimMinutes(store, "gone", 0, 2);
    await vi.waitFor(() => expect(count(store, "s")).toBe(1000), { timeout: 5000 });
    await vi.waitFor(() => expect(count(store, "gone")).toBe(0), { timeout: 5000 });
    await store.close();
  });

  it("end to end: a per-second schedule after an hour down, pruned, goes on without firing a slot twice", async () => {
    const path = join(dir, "engine.db");
    const clock = new FakeClock("2026-05-01T00:00:00.500Z", { settleTurns: 10 });
    const runs: string[] = [];
    const agent = defineAgent({
      name: "t",
      actions: { PING: { description: "records that it ran", run: (_a, ctx) => void runs.push(ctx.workflowId) } },
    });
    const start = (store: SqliteStore) => {
      const engine = createEngine({ store, clock, agents: [agent] });
      return { engine, scheduler: createScheduler({ engine }) };
    };
    const steps = [{ id: "s1", agent: "t", action: "PING" }];
    const first = start(openStore(path));
    const s = await first.scheduler.createSchedule({ cron: "* * * * * *", steps, catch_up: "skip" });
    await first.scheduler.start();
    await clock.advance(3000);
    await first.scheduler.stop();
    await first.engine.close();
    await clock.jumpTo("2026-05-01T01:00:00.500Z");
    const store = openStore(path);
    const second = start(store);
    await second.scheduler.start(); // 1,000 missed, one missed_bulk, a few newest
    expect(count(store, s.id)).toBeGreaterThan(1000);
    await store.pruneFirings();
    expect(count(store, s.id)).toBe(1000);
    const before = runs.length;
    await clock.advance(10_000);
    const firings = await store.listFirings(s.id, 20);
    expect(firings.slice(0, 10).map((f) => [f.scheduled_for, f.outcome])).toEqual(
      Array.from({ length: 10 }, (_, i) => [
        new Date(Date.parse("2026-05-01T01:00:10Z") - i * 1000).toISOString(),
        "fired",
      ]),
    );
    expect(runs.length - before).toBe(10);
    expect(new Set(runs).size).toBe(runs.length);
    await second.scheduler.stop();
    await second.engine.close();
  });
});
