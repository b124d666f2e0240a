import { afterEach, describe, expect, it } from "vitest";
import { offsetAt } from "../src/scheduler/time-zone.js";
import { type Harness, harness, ping, workflowsOf } from "./scheduler.helpers.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
let h: Harness | undefined;
afterEach(async () => {
  await h?.scheduler.stop();
  h = undefined;
});

const localDate = (ms: number, zone: string) => new Date(ms + offsetAt(ms, zone)).toISOString().slice(0, 10);
const localTime = (ms: number, zone: string) => new Date(ms + offsetAt(ms, zone)).toISOString().slice(11, 16);

// The instant of each 2026 transition ("gap": clocks go forward; "repeat": clocks go back).
const TRANSITIONS = [
  { zone: "America/New_York", kind: "gap", at: "2026-03-08T07:00:00Z", inside: "30 2 * * *" },
  { zone: "America/New_York", kind: "repeat", at: "2026-11-01T06:00:00Z", inside: "30 1 * * *" },
  { zone: "Europe/London", kind: "gap", at: "2026-03-29T01:00:00Z", inside: "30 1 * * *" },
  { zone: "Europe/London", kind: "repeat", at: "2026-10-25T01:00:00Z", inside: "30 1 * * *" },
  { zone: "Australia/Lord_Howe", kind: "gap", at: "2026-10-03T15:30:00Z", inside: "15 2 * * *" },
  { zone: "Australia/Lord_Howe", kind: "repeat", at: "2026-04-04T15:00:00Z", inside: "45 1 * * *" },
  { zone: "America/Santiago", kind: "gap", at: "2026-09-06T04:00:00Z", inside: "30 0 * * *" },
  { zone: "America/Santiago", kind: "repeat", at: "2026-04-05T03:00:00Z", inside: "30 23 * * *" },
] as const;

describe("DST days on a fake clock, through the engine", () => {
  for (const { zone, kind, at, inside } of TRANSITIONS) {
    it(`${zone} ${kind} (${at}): 30 2 fires once a day, */15 every 15 real minutes`, async () => {
      const transition = Date.parse(at);
      const start = transition - 30 * HOUR;
      const end = transition + 30 * HOUR;
      h = harness(new Date(start).toISOString(), { reconcileIntervalMs: 15 * MIN });
      await h.scheduler.start();
      const daily = await h.scheduler.createSchedule({ cron: "30 2 * * *", timezone: zone, steps: ping });
      const quarter = await h.scheduler.createSchedule({ cron: "*/15 * * * *", timezone: zone, steps: ping });
      await h.clock.advanceTo(end);

      const dailyRuns = await h.store.listFirings(daily.id, 1000);
      expect(dailyRuns.every((f) => f.outcome === "fired" && f.fired_at === f.scheduled_for)).toBe(true);
      const days = dailyRuns.map((f) => localDate(Date.parse(f.scheduled_for), zone)).sort();
      expect(new Set(days).size).toBe(days.length);
      expect(days.length).toBeGreaterThanOrEqual(2);
      // Every local day whose 02:30 fell inside the window ran exactly once, the transition day included.
      const transitionDay = localDate(transition + HOUR, zone);
      if (Date.parse(`${transitionDay}T12:00:00Z`) < end) expect(days).toContain(transitionDay);
      for (const f of dailyRuns) {
        const t = Date.parse(f.scheduled_for);
        // 02:30 local, or the first minute after a gap that swallowed it.
        const expected = localTime(t, zone) === "02:30" || offsetAt(t - 1000, zone) !== offsetAt(t, zone);
        expect(expected, `${f.scheduled_for} is ${localTime(t, zone)} local`).toBe(true);
      }
      expect(await workflowsOf(h.engine, daily.id)).toHaveLength(dailyRuns.length);

      const quarterRuns = (await h.store.listFirings(quarter.id, 1000)).reverse();
      expect(quarterRuns.every((f) => f.outcome === "fired" && f.fired_at === f.scheduled_for)).toBe(true);
      expect(quarterRuns).toHaveLength((end - start) / (15 * MIN));
      for (let i = 1; i < quarterRuns.length; i++) {
        const step = Date.parse(quarterRuns[i]!.scheduled_for) - Date.parse(quarterRuns[i - 1]!.scheduled_for);
        expect(step).toBe(15 * MIN);
      }
      expect(h.runs).toHaveLength(dailyRuns.length + quarterRuns.length);
    });

    it(`${zone} ${kind}: "${inside}" (a time inside the ${kind}) fires once that day`, async () => {
      const transition = Date.parse(at);
      h = harness(new Date(transition - 12 * HOUR).toISOString(), { reconcileIntervalMs: 15 * MIN });
      await h.scheduler.start();
      const s = await h.scheduler.createSchedule({ cron: inside, timezone: zone, steps: ping });
      await h.clock.advanceTo(transition + 12 * HOUR);
      const runs = await h.store.listFirings(s.id, 100);
      expect(runs).toHaveLength(1);
      expect(runs[0]?.outcome).toBe("fired");
      const ran = Date.parse(runs[0]!.scheduled_for);
      if (kind === "gap") expect(ran).toBe(transition);
      else expect(ran).toBeLessThan(transition); // the first of the two occurrences
      expect(h.runs).toHaveLength(1);
    });
  }

  it("New York spring day: 02:30 does not exist, the job runs at 03:00 EDT (the jump) and only then", async () => {
    h = harness("2026-03-08T00:00:00Z", { reconcileIntervalMs: 15 * MIN });
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "30 2 * * *", timezone: "America/New_York", steps: ping });
    expect(s.next_run_at).toBe("2026-03-08T07:00:00.000Z");
    await h.clock.advanceTo("2026-03-08T06:59:59Z");
    expect(h.runs).toHaveLength(0);
    await h.clock.advanceTo("2026-03-08T08:00:00Z");
    const workflows = await workflowsOf(h.engine, s.id);
    expect(workflows.map((w) => w.scheduled_for)).toEqual(["2026-03-08T07:00:00.000Z"]);
    expect((await h.scheduler.getSchedule(s.id)).next_run_at).toBe("2026-03-09T06:30:00.000Z");
  });

  it("a fixed hour with */30 minutes or */20 seconds is a wall-clock job: no lost day, no double run", async () => {
    h = harness("2026-03-28T00:00:00Z", { reconcileIntervalMs: 15 * MIN });
    await h.scheduler.start();
    const berlin = await h.scheduler.createSchedule({ cron: "*/30 2 * * *", timezone: "Europe/Berlin", steps: ping });
    await h.clock.advanceTo("2026-03-30T12:00:00Z");
    expect((await workflowsOf(h.engine, berlin.id)).map((w) => w.scheduled_for).sort()).toEqual([
      "2026-03-28T01:00:00.000Z",
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z", // 03:00 CEST, right after the jump
      "2026-03-30T00:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    await h.scheduler.stop();

    h = harness("2026-10-31T12:00:00Z", { reconcileIntervalMs: 15 * MIN });
    await h.scheduler.start();
    const ny = await h.scheduler.createSchedule({ cron: "*/20 30 1 * * *", timezone: "America/New_York", steps: ping });
    await h.clock.advanceTo("2026-11-01T12:00:00Z");
    const firings = await h.store.listFirings(ny.id, 100);
    expect(firings.map((f) => [f.scheduled_for, f.outcome]).reverse()).toEqual([
      ["2026-11-01T05:30:00.000Z", "fired"], // 01:30 EDT; the EST copy an hour later does not run
      ["2026-11-01T05:30:20.000Z", "fired"],
      ["2026-11-01T05:30:40.000Z", "fired"],
    ]);
    expect(h.runs).toHaveLength(3);
  });
});
