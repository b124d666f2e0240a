import { describe, expect, it } from "vitest";
import { FakeClock } from "../src/testing/index.js";

describe("FakeClock", () => {
  it("fires timers in time order with now() at each due time", async () => {
    const clock = new FakeClock(1_000);
    const seen: [string, number][] = [];
    clock.setTimer(3_000, () => seen.push(["b", clock.now()]));
    clock.setTimer(2_000, () => seen.push(["a", clock.now()]));
    clock.setTimer(3_000, () => seen.push(["c", clock.now()]));
    clock.setTimer(9_000, () => seen.push(["late", clock.now()]));
    await clock.advance(1_500);
    expect(seen).toEqual([["a", 2_000]]);
    expect(clock.now()).toBe(2_500);
    await clock.advanceTo(5_000);
    expect(seen).toEqual([
      ["a", 2_000],
      ["b", 3_000],
      ["c", 3_000],
    ]);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(9_000);
  });

  it("lets async work started by a timer finish before the next timer fires", async () => {
    const clock = new FakeClock(0);
    const log: string[] = [];
    clock.setTimer(10, () => {
      void (async () => {
        for (let i = 0; i < 20; i++) await Promise.resolve();
        await new Promise<void>((r) => setImmediate(r));
        log.push("first done");
      })();
    });
    clock.setTimer(20, () => log.push("second"));
    await clock.advance(100);
    expect(log).toEqual(["first done", "second"]);
  });

  it("fires timers armed by other timers when due, and cancel works", async () => {
    const clock = new FakeClock(0);
    const at: number[] = [];
    const tick = () => {
      at.push(clock.now());
      if (at.length < 5) clock.setTimer(clock.now() + 100, tick);
    };
    clock.setTimer(100, tick);
    const cancel = clock.setTimer(250, () => at.push(-1));
    cancel();
    await clock.advance(1_000);
    expect(at).toEqual([100, 200, 300, 400, 500]);
    expect(clock.now()).toBe(1_000);
  });

  it("jumpTo fires overdue timers at the new time; runAll drains; re-arming forever is caught", async () => {
    const clock = new FakeClock(0, { maxFirings: 50 });
    const at: number[] = [];
    clock.setTimer(100, () => at.push(clock.now()));
    clock.setTimer(200, () => at.push(clock.now()));
    await clock.jumpTo(10_000);
    expect(at).toEqual([10_000, 10_000]);
    clock.setTimer(20_000, () => at.push(clock.now()));
    await clock.runAll();
    expect(at.at(-1)).toBe(20_000);
    const forever = () => clock.setTimer(clock.now() + 1, forever);
    forever();
    await expect(clock.runAll()).rejects.toThrow(/re-arming/);
    await expect(clock.advanceTo(0)).rejects.toThrow(RangeError);
  });
});
