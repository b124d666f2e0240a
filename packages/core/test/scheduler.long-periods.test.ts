import { afterEach, describe, expect, it } from "vitest";
import { firingsOf, type Harness, harness, ping } from "./scheduler.helpers.js";

const HOUR = 3_600_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.scheduler.stop();
  h = undefined;
});

describe("monthly and yearly schedules", () => {
  it("the timer is never set further out than the reconciliation interval (no 24.8-day overflow)", async () => {
    h = harness("2026-01-15T10:00:00Z");
    await h.scheduler.start();
    await h.scheduler.createSchedule({ cron: "0 9 1 * *", timezone: "Europe/Paris", steps: ping });
    for (let i = 0; i < 50; i++) {
      const next = h.clock.nextTimerAt();
      expect(next).not.toBeNull();
      expect((next as number) - h.clock.now()).toBeLessThanOrEqual(1000);
      await h.clock.advance(997);
    }
    expect(h.runs).toHaveLength(0);
  });

  it("monthly: next_run_at right, nothing early, fires on the 1st at 09:00 Paris, then moves to the next month", async () => {
    h = harness("2026-01-15T10:00:00Z", { reconcileIntervalMs: HOUR });
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 9 1 * *", timezone: "Europe/Paris", steps: ping });
    expect(s.next_run_at).toBe("2026-02-01T08:00:00.000Z");
    await h.clock.advanceTo("2026-02-01T07:59:59.999Z");
    expect(h.runs).toHaveLength(0);
    await h.clock.advanceTo("2026-04-15T00:00:00Z");
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-02-01T08:00:00Z", "fired", null],
      ["2026-03-01T08:00:00Z", "fired", null],
      ["2026-04-01T07:00:00Z", "fired", null], // summer time in Paris since March 29
    ]);
    expect((await h.scheduler.getSchedule(s.id)).next_run_at).toBe("2026-05-01T07:00:00.000Z");
  });

  it("yearly: created in March, fires once on Jan 1 and not before", async () => {
    h = harness("2026-03-01T00:00:00Z", { reconcileIntervalMs: 6 * HOUR });
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 0 1 1 *", timezone: "Asia/Tokyo", steps: ping });
    expect(s.next_run_at).toBe("2026-12-31T15:00:00.000Z");
    await h.clock.advanceTo("2026-12-31T14:59:59Z");
    expect(h.runs).toHaveLength(0);
    await h.clock.advanceTo("2027-01-10T00:00:00Z");
    expect(await firingsOf(h.store, s.id)).toEqual([["2026-12-31T15:00:00Z", "fired", null]]);
    expect((await h.scheduler.getSchedule(s.id)).next_run_at).toBe("2027-12-31T15:00:00.000Z");
  });

  it("leap day: 0 12 29 2 * next runs in 2028", async () => {
    h = harness("2026-03-01T00:00:00Z");
    const s = await h.scheduler.createSchedule({ cron: "0 12 29 2 *", steps: ping });
    expect(s.next_run_at).toBe("2028-02-29T12:00:00.000Z");
  });
});
