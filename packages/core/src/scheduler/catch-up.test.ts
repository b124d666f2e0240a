import { describe, expect, it } from "vitest";
import { planCatchUp } from "./catch-up.js";

const base = { now: 1000, limit: 2, graceMs: 50, missedReason: "missed" as const };

describe("planCatchUp", () => {
  it("nothing due, nothing to do", () => {
    expect(planCatchUp({ ...base, due: [], policy: "all" })).toEqual({ run: [], skip: [] });
  });

  it("a single on-time slot runs under every policy", () => {
    for (const policy of ["skip", "latest", "all"] as const) {
      expect(planCatchUp({ ...base, due: [990], policy })).toEqual({ run: [990], skip: [] });
    }
  });

  it("skip: missed slots are recorded, the on-time one still runs", () => {
    expect(planCatchUp({ ...base, due: [100, 200, 990], policy: "skip" })).toEqual({
      run: [990],
      skip: [
        { at: 100, reason: "missed" },
        { at: 200, reason: "missed" },
      ],
    });
    expect(planCatchUp({ ...base, due: [100, 200], policy: "skip" }).run).toEqual([]);
  });

  it("latest: only the newest due slot runs, late or not", () => {
    expect(planCatchUp({ ...base, due: [100, 200, 300], policy: "latest", missedReason: "paused" })).toEqual({
      run: [300],
      skip: [
        { at: 100, reason: "paused" },
        { at: 200, reason: "paused" },
      ],
    });
  });

  it("all: the newest `limit` missed slots run plus the on-time one; older ones are over the limit", () => {
    expect(planCatchUp({ ...base, due: [100, 200, 300, 400], policy: "all" })).toEqual({
      run: [300, 400],
      skip: [
        { at: 100, reason: "catch_up_limit" },
        { at: 200, reason: "catch_up_limit" },
      ],
    });
    expect(planCatchUp({ ...base, due: [100, 200, 300, 990], policy: "all" }).run).toEqual([200, 300, 990]);
    expect(planCatchUp({ ...base, due: [100, 200], policy: "all", limit: 0 })).toEqual({
      run: [],
      skip: [
        { at: 100, reason: "catch_up_limit" },
        { at: 200, reason: "catch_up_limit" },
      ],
    });
  });
});
