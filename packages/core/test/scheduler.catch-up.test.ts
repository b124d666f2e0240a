import { afterEach, describe, expect, it } from "vitest";
import { firingsOf, type Harness, harness, ping, workflowsOf } from "./scheduler.helpers.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
let h: Harness | undefined;
afterEach(async () => {
  await h?.scheduler.stop();
  h = undefined;
});

/** Hourly schedule, process down from 00:30 to 03:30 (three slots missed), then a new process starts. */
async function downtime(catchUp: "skip" | "latest" | "all", extra: Record<string, unknown> = {}, catchUpLimit = 10) {
  h = harness("2026-05-01T00:00:30Z", { catchUpLimit });
  await h.scheduler.start();
  const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping, catch_up: catchUp, ...extra });
  await h.clock.advanceTo("2026-05-01T00:30:00Z");
  await h.scheduler.stop();
  await h.clock.advanceTo("2026-05-01T03:30:00Z");
  const restarted = h.another({ catchUpLimit });
  await restarted.scheduler.start();
  await h.clock.advance(1000);
  const after = await restarted.scheduler.getSchedule(s.id);
  const firings = await firingsOf(h.store, s.id);
  const workflows = await workflowsOf(restarted.engine, s.id);
  await restarted.scheduler.stop();
  return { s, after, firings, workflows, events: restarted.events };
}

describe("catch-up after 3 hours of downtime (hourly schedule)", () => {
  it("skip: every missed slot recorded as skipped, nothing runs", async () => {
    const { after, firings, workflows, events } = await downtime("skip");
    expect(firings).toEqual([
      ["2026-05-01T01:00:00Z", "skipped", "missed"],
      ["2026-05-01T02:00:00Z", "skipped", "missed"],
      ["2026-05-01T03:00:00Z", "skipped", "missed"],
    ]);
    expect(workflows).toHaveLength(0);
    expect(after.next_run_at).toBe("2026-05-01T04:00:00.000Z");
    expect(events.map((e) => e.type)).toEqual(["schedule.skipped", "schedule.skipped", "schedule.skipped"]);
  });

  it("latest: only the 03:00 slot runs, the others are recorded", async () => {
    const { after, firings, workflows } = await downtime("latest");
    expect(firings).toEqual([
      ["2026-05-01T01:00:00Z", "skipped", "missed"],
      ["2026-05-01T02:00:00Z", "skipped", "missed"],
      ["2026-05-01T03:00:00Z", "fired", null],
    ]);
    expect(workflows.map((w) => [w.scheduled_for, w.status])).toEqual([["2026-05-01T03:00:00.000Z", "completed"]]);
    expect(after.last_workflow_id).toBe(workflows[0]?.id);
    expect(after.last_run_at).toBe("2026-05-01T03:30:00.000Z");
    expect(after.next_run_at).toBe("2026-05-01T04:00:00.000Z");
  });

  it("all: every missed slot runs, oldest first", async () => {
    const { firings, workflows, events } = await downtime("all", { overlap: "allow" });
    expect(firings.map((f) => f[1])).toEqual(["fired", "fired", "fired"]);
    const oldestFirst = ["2026-05-01T01:00:00.000Z", "2026-05-01T02:00:00.000Z", "2026-05-01T03:00:00.000Z"];
    // Creation order, three ways: the fired events, the workflow list (newest first, ties broken
    // by the time-ordered id) read backwards, and the order the runs started.
    expect(events.map((e) => e.scheduled_for)).toEqual(oldestFirst);
    expect(workflows.map((w) => w.scheduled_for).reverse()).toEqual(oldestFirst);
    const slotOf = new Map(workflows.map((w) => [w.id, w.scheduled_for]));
    expect(h?.runs.map((id) => slotOf.get(id))).toEqual(oldestFirst);
  });

  it("all with a cap of 2: the newest two run, the oldest is recorded as over the limit", async () => {
    const { firings, workflows } = await downtime("all", { overlap: "allow" }, 2);
    expect(firings).toEqual([
      ["2026-05-01T01:00:00Z", "skipped", "catch_up_limit"],
      ["2026-05-01T02:00:00Z", "fired", null],
      ["2026-05-01T03:00:00Z", "fired", null],
    ]);
    expect(workflows).toHaveLength(2);
  });

  it("all with overlap skip: the first catch-up run is still going, so the others are recorded as overlap", async () => {
    const { firings } = await downtime("all", { steps: [{ id: "s1", agent: "t", action: "HOLD" }] });
    expect(firings).toEqual([
      ["2026-05-01T01:00:00Z", "fired", null],
      ["2026-05-01T02:00:00Z", "skipped", "overlap"],
      ["2026-05-01T03:00:00Z", "skipped", "overlap"],
    ]);
    h?.gate.open();
  });
});

/**
 * Per-minute schedule, process down for 2,000 minutes (twice the 1,000 slots recorded one by one),
 * restarted 30 s after the newest slot; a 1 s tolerance makes every due slot a missed one.
 */
async function longDowntime(catchUp: "latest" | "all", catchUpLimit: number) {
  h = harness("2026-05-01T00:00:30Z", { catchUpLimit, lateToleranceMs: 1000 });
  await h.scheduler.start();
  const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: ping, catch_up: catchUp, overlap: "allow" });
  await h.scheduler.stop();
  await h.clock.jumpTo(Date.parse("2026-05-01T00:00:30Z") + 2000 * MIN);
  const restarted = h.another({ catchUpLimit, lateToleranceMs: 1000 });
  await restarted.scheduler.start();
  const firings = await firingsOf(h.store, s.id);
  const workflows = await workflowsOf(restarted.engine, s.id);
  const fired = restarted.events.filter((e) => e.type === "schedule.fired").map((e) => e.scheduled_for);
  const after = await restarted.scheduler.getSchedule(s.id);
  await restarted.scheduler.stop();
  return { firings, workflows, fired, after };
}

/** The `n` newest of the 2,000 missed slots (00:01 on May 1 … 09:20 on May 2), oldest first. */
const newest = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.parse("2026-05-02T09:20:00Z") - (n - 1 - i) * MIN).toISOString());

describe("catch-up after more missed slots than are recorded one by one (2,000 per-minute slots)", () => {
  it("all with a cap of 10: exactly the newest 10 run, oldest first; the rest are recorded", async () => {
    const { firings, workflows, fired, after } = await longDowntime("all", 10);
    expect(fired).toEqual(newest(10));
    expect(workflows.map((w) => w.scheduled_for).reverse()).toEqual(newest(10));
    const slotOf = new Map(workflows.map((w) => [w.id, w.scheduled_for]));
    expect(h?.runs.map((id) => slotOf.get(id))).toEqual(newest(10));
    expect(firings.filter((f) => f[1] === "fired").map((f) => f[0])).toEqual(newest(10).map(short));
    expect(firings.filter((f) => f[2] === "missed")).toHaveLength(1000);
    expect(firings.filter((f) => f[2] === "missed_bulk")).toHaveLength(1);
    expect(firings.filter((f) => f[2] === "catch_up_limit").map((f) => f[0])).toEqual(["2026-05-02T09:10:00Z"]);
    expect(after.next_run_at).toBe("2026-05-02T09:21:00.000Z");
  });

  it("latest: only the newest slot runs", async () => {
    const { firings, workflows, fired } = await longDowntime("latest", 10);
    expect(fired).toEqual(newest(1));
    expect(workflows.map((w) => w.scheduled_for)).toEqual(newest(1));
    expect(h?.runs).toHaveLength(1);
    expect(firings.filter((f) => f[1] === "fired").map((f) => f[0])).toEqual(["2026-05-02T09:20:00Z"]);
    expect(firings.at(-1)).toEqual(["2026-05-02T09:20:00Z", "fired", null]);
  });
});

const short = (iso: string) => iso.replace(".000Z", "Z");

describe("clock jumps while running", () => {
  it("a laptop asleep for 3 hours: the overdue tick applies the policy, no burst", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    await h.clock.jumpTo(Date.parse("2026-05-01T00:00:30Z") + 3.5 * HOUR);
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-05-01T01:00:00Z", "skipped", "missed"],
      ["2026-05-01T02:00:00Z", "skipped", "missed"],
      ["2026-05-01T03:00:00Z", "fired", null],
    ]);
    expect(h.runs).toHaveLength(1);
  });

  it("a clock set back an hour: nothing fires twice", async () => {
    h = harness("2026-05-01T00:59:00Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    await h.clock.advanceTo("2026-05-01T01:30:00Z");
    await h.clock.jumpTo("2026-05-01T00:30:00Z");
    await h.clock.advanceTo("2026-05-01T02:00:30Z");
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-05-01T01:00:00Z", "fired", null],
      ["2026-05-01T02:00:00Z", "fired", null],
    ]);
    expect(h.runs).toHaveLength(2);
  });

  it("a per-second schedule after a day asleep: bounded records, one bulk record, the latest runs", async () => {
    h = harness("2026-05-01T00:00:00.500Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * * *", steps: ping });
    await h.clock.advance(2000);
    await h.clock.jumpTo(Date.parse("2026-05-02T00:00:00.500Z"));
    const firings = await firingsOf(h.store, s.id);
    expect(firings.length).toBeLessThan(1020);
    expect(firings.filter((f) => f[2] === "missed_bulk")).toHaveLength(1);
    expect(firings.at(-1)).toEqual(["2026-05-02T00:00:00Z", "fired", null]);
    const after = await h.scheduler.getSchedule(s.id);
    expect(after.next_run_at).toBe("2026-05-02T00:00:01.000Z");
  });
});
