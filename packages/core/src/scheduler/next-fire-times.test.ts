import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { isTandemError, type ValidationError } from "../errors.js";
import { nextFireTimes } from "./next-fire-times.js";
import { offsetAt } from "./time-zone.js";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString().replace(".000Z", "Z"));
const MIN = 60_000;

/** Local calendar date of an instant in a zone, e.g. "2026-03-08". */
function localDate(d: Date, zone: string): string {
  return new Date(d.getTime() + offsetAt(d.getTime(), zone)).toISOString().slice(0, 10);
}

// Transition days of 2026 (checked against the tz database through Intl).
const DST_DAYS = [
  { zone: "America/New_York", gap: "2026-03-08T07:00:00Z", repeat: "2026-11-01T06:00:00Z" },
  { zone: "Europe/London", gap: "2026-03-29T01:00:00Z", repeat: "2026-10-25T01:00:00Z" },
  { zone: "Australia/Lord_Howe", gap: "2026-10-03T15:30:00Z", repeat: "2026-04-04T15:00:00Z" },
  { zone: "America/Santiago", gap: "2026-09-06T04:00:00Z", repeat: "2026-04-05T03:00:00Z" },
];

describe("nextFireTimes: DST per Debian cron", () => {
  it("transitions are where the tests assume (offset changes at that instant)", () => {
    for (const { zone, gap, repeat } of DST_DAYS) {
      for (const at of [gap, repeat]) {
        const t = Date.parse(at);
        expect(offsetAt(t - 1000, zone), `${zone} ${at}`).not.toBe(offsetAt(t, zone));
      }
    }
  });

  it("America/New_York: 30 2 runs at the jump on the spring day and once on the fall day", () => {
    expect(iso(nextFireTimes("30 2 * * *", "America/New_York", new Date("2026-03-07T00:00Z"), 3))).toEqual([
      "2026-03-07T07:30:00Z",
      "2026-03-08T07:00:00Z",
      "2026-03-09T06:30:00Z",
    ]);
    expect(iso(nextFireTimes("30 2 * * *", "America/New_York", new Date("2026-10-31T00:00Z"), 3))).toEqual([
      "2026-10-31T06:30:00Z",
      "2026-11-01T07:30:00Z",
      "2026-11-02T07:30:00Z",
    ]);
    // 01:30 happens twice on Nov 1: only the first (EDT) one.
    expect(iso(nextFireTimes("30 1 * * *", "America/New_York", new Date("2026-10-31T12:00Z"), 2))).toEqual([
      "2026-11-01T05:30:00Z",
      "2026-11-02T06:30:00Z",
    ]);
    // Every minute of the gap collapses into one run at the jump.
    expect(iso(nextFireTimes("0,15,30,45 2 * * *", "America/New_York", new Date("2026-03-08T00:00Z"), 2))).toEqual([
      "2026-03-08T07:00:00Z",
      "2026-03-09T06:00:00Z",
    ]);
  });

  it("Europe/London: a job in the gap runs at 02:00 BST, not an hour later as cron-parser alone does", () => {
    expect(iso(nextFireTimes("30 1 * * *", "Europe/London", new Date("2026-03-28T12:00Z"), 2))).toEqual([
      "2026-03-29T01:00:00Z",
      "2026-03-30T00:30:00Z",
    ]);
    expect(iso(nextFireTimes("30 1 * * *", "Europe/London", new Date("2026-10-24T12:00Z"), 2))).toEqual([
      "2026-10-25T00:30:00Z",
      "2026-10-26T01:30:00Z",
    ]);
  });

  it("Australia/Lord_Howe (30-minute shift): gap and repeat of half an hour", () => {
    expect(iso(nextFireTimes("15 2 * * *", "Australia/Lord_Howe", new Date("2026-10-02T12:00Z"), 2))).toEqual([
      "2026-10-02T15:45:00Z",
      "2026-10-03T15:30:00Z",
    ]);
    expect(iso(nextFireTimes("45 1 * * *", "Australia/Lord_Howe", new Date("2026-04-04T00:00Z"), 2))).toEqual([
      "2026-04-04T14:45:00Z",
      "2026-04-05T15:15:00Z",
    ]);
    expect(iso(nextFireTimes("*/15 * * * *", "Australia/Lord_Howe", new Date("2026-04-04T14:20Z"), 5))).toEqual([
      "2026-04-04T14:30:00Z",
      "2026-04-04T14:45:00Z",
      "2026-04-04T15:00:00Z",
      "2026-04-04T15:15:00Z",
      "2026-04-04T15:30:00Z",
    ]);
  });

  it("America/Santiago (midnight shift): midnight in the gap runs at 01:00, 23:30 repeated runs once", () => {
    expect(iso(nextFireTimes("0 0 * * *", "America/Santiago", new Date("2026-09-05T12:00Z"), 2))).toEqual([
      "2026-09-06T04:00:00Z",
      "2026-09-07T03:00:00Z",
    ]);
    expect(iso(nextFireTimes("30 23 * * *", "America/Santiago", new Date("2026-04-04T12:00Z"), 2))).toEqual([
      "2026-04-05T02:30:00Z",
      "2026-04-06T03:30:00Z",
    ]);
  });

  it("the hour field alone decides: */20 seconds or */30 minutes at a fixed hour lose no day in a gap", () => {
    // 02:30:00/20/40 do not exist on Mar 8: one run at the jump (03:00 EDT), not a lost day.
    const from = new Date("2026-03-07T00:00Z");
    expect(iso(nextFireTimes("*/20 30 2 * * *", "America/New_York", from, new Date("2026-03-10T00:00Z")))).toEqual([
      "2026-03-07T07:30:00Z",
      "2026-03-07T07:30:20Z",
      "2026-03-07T07:30:40Z",
      "2026-03-08T07:00:00Z",
      "2026-03-09T06:30:00Z",
      "2026-03-09T06:30:20Z",
      "2026-03-09T06:30:40Z",
    ]);
    // Berlin skips 02:00–03:00 on Mar 29: 02:00 and 02:30 become one run at 03:00 CEST.
    const berlin = nextFireTimes("*/30 2 * * *", "Europe/Berlin", new Date("2026-03-28T00:00Z"), 5);
    expect(iso(berlin)).toEqual([
      "2026-03-28T01:00:00Z",
      "2026-03-28T01:30:00Z",
      "2026-03-29T01:00:00Z",
      "2026-03-30T00:00:00Z",
      "2026-03-30T00:30:00Z",
    ]);
  });

  it("the hour field alone decides: */20 seconds at a fixed hour run once in a repeated hour (the first)", () => {
    // 01:30 happens in EDT (05:30Z) and again in EST (06:30Z) on Nov 1: only the EDT copies.
    const from = new Date("2026-10-31T12:00Z");
    expect(iso(nextFireTimes("*/20 30 1 * * *", "America/New_York", from, new Date("2026-11-02T12:00Z")))).toEqual([
      "2026-11-01T05:30:00Z",
      "2026-11-01T05:30:20Z",
      "2026-11-01T05:30:40Z",
      "2026-11-02T06:30:00Z",
      "2026-11-02T06:30:20Z",
      "2026-11-02T06:30:40Z",
    ]);
    // A wildcard hour is an interval job: both copies of the repeated hour, by elapsed time.
    expect(iso(nextFireTimes("30 * * * *", "America/New_York", new Date("2026-11-01T05:00Z"), 3))).toEqual([
      "2026-11-01T05:30:00Z",
      "2026-11-01T06:30:00Z",
      "2026-11-01T07:30:00Z",
    ]);
    expect(iso(nextFireTimes("30 */2 * * *", "America/New_York", new Date("2026-03-08T05:00Z"), 2))).toEqual([
      "2026-03-08T05:30:00Z", // 00:30 EST; 02:30 does not exist and an interval job does not make it up
      "2026-03-08T08:30:00Z", // 04:30 EDT
    ]);
  });

  for (const { zone, gap, repeat } of DST_DAYS) {
    for (const [kind, at] of [
      ["gap", gap],
      ["repeat", repeat],
    ] as const) {
      it(`${zone} ${kind} day: 30 2 once per local day, */15 every 15 real minutes`, () => {
        const from = new Date(Date.parse(at) - 2 * 86_400_000);
        const until = new Date(Date.parse(at) + 2 * 86_400_000);
        const daily = nextFireTimes("30 2 * * *", zone, from, until);
        const days = daily.map((d) => localDate(d, zone));
        expect(new Set(days).size).toBe(days.length);
        expect(days.length).toBeGreaterThanOrEqual(3);
        for (let i = 1; i < days.length; i++) {
          expect(Date.parse(days[i] as string) - Date.parse(days[i - 1] as string)).toBe(86_400_000);
        }
        const quarter = nextFireTimes("*/15 * * * *", zone, from, until);
        expect(quarter.length).toBe(4 * 24 * 4);
        for (let i = 1; i < quarter.length; i++) {
          expect((quarter[i] as Date).getTime() - (quarter[i - 1] as Date).getTime()).toBe(15 * MIN);
        }
        const hourly = nextFireTimes("0 * * * *", zone, from, until);
        for (let i = 1; i < hourly.length; i++) {
          const step = (hourly[i] as Date).getTime() - (hourly[i - 1] as Date).getTime();
          // A 30-minute shift makes one hourly step 30 or 90 real minutes; whole-hour shifts keep 60.
          expect(zone === "Australia/Lord_Howe" ? [30, 60, 90] : [60]).toContain(step / MIN);
        }
      });
    }
  }
});

describe("what cron-parser 5 does by itself (the behaviour nextFireTimes corrects)", () => {
  const raw = (cron: string, tz: string, from: string, n: number) => {
    const it = CronExpressionParser.parse(cron, { tz, currentDate: new Date(from) });
    return Array.from({ length: n }, () => it.next().toISOString()?.replace(".000Z", "Z"));
  };

  it("moves a job in a gap one hour later instead of to the jump", () => {
    expect(raw("30 1 * * *", "Europe/London", "2026-03-28T12:00:00Z", 1)).toEqual(["2026-03-29T01:30:00Z"]);
    expect(iso(nextFireTimes("30 1 * * *", "Europe/London", new Date("2026-03-28T12:00Z"), 1))).toEqual([
      "2026-03-29T01:00:00Z",
    ]);
  });

  it("drops the repeated slots of an interval job after Lord Howe's 30-minute fall-back", () => {
    expect(raw("*/15 * * * *", "Australia/Lord_Howe", "2026-04-04T14:20:00Z", 3)).toEqual([
      "2026-04-04T14:30:00Z",
      "2026-04-04T14:45:00Z",
      "2026-04-04T15:30:00Z",
    ]);
  });

  it("agrees on the rest: first occurrence only in a repeated hour, real intervals in New York", () => {
    expect(raw("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2)).toEqual(
      iso(nextFireTimes("30 1 * * *", "America/New_York", new Date("2026-10-31T12:00Z"), 2)),
    );
    expect(raw("*/15 * * * *", "America/New_York", "2026-11-01T05:20:00Z", 10)).toEqual(
      iso(nextFireTimes("*/15 * * * *", "America/New_York", new Date("2026-11-01T05:20:00Z"), 10)),
    );
  });
});

describe("nextFireTimes: limits, seconds, long periods", () => {
  it("until is inclusive, count stops early, from is exclusive", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    expect(iso(nextFireTimes("0 * * * *", "UTC", from, new Date("2026-01-01T03:00:00Z")))).toEqual([
      "2026-01-01T01:00:00Z",
      "2026-01-01T02:00:00Z",
      "2026-01-01T03:00:00Z",
    ]);
    expect(nextFireTimes("0 * * * *", "UTC", from, { until: new Date("2026-01-02T00:00Z"), count: 2 })).toHaveLength(2);
    expect(nextFireTimes("0 * * * *", "UTC", from, 0)).toEqual([]);
  });

  it("six fields with seconds", () => {
    expect(iso(nextFireTimes("*/20 * * * * *", "UTC", new Date("2026-01-01T00:00:05Z"), 3))).toEqual([
      "2026-01-01T00:00:20Z",
      "2026-01-01T00:00:40Z",
      "2026-01-01T00:01:00Z",
    ]);
  });

  it("monthly, yearly, leap day and macros", () => {
    const from = new Date("2026-01-31T12:00:00Z");
    expect(iso(nextFireTimes("0 9 1 * *", "Europe/Paris", from, 3))).toEqual([
      "2026-02-01T08:00:00Z",
      "2026-03-01T08:00:00Z",
      "2026-04-01T07:00:00Z",
    ]);
    expect(iso(nextFireTimes("@yearly", "UTC", from, 2))).toEqual(["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"]);
    expect(iso(nextFireTimes("0 0 29 2 *", "UTC", from, 2))).toEqual(["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]);
    expect(iso(nextFireTimes("0 0 L * *", "UTC", from, 2))).toEqual(["2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z"]);
  });

  it("refuses bad cron and unknown time zones with field-named issues", () => {
    const issuesOf = (cron: string, tz: string) => {
      try {
        nextFireTimes(cron, tz, 0, 1);
      } catch (e) {
        expect(isTandemError(e)).toBe(true);
        return (e as ValidationError).issues.map((i) => `${i.path.join(".")}:${i.code}`);
      }
      return [];
    };
    expect(issuesOf("61 * * * *", "UTC")).toEqual(["cron:invalid_cron"]);
    expect(issuesOf("* * * *", "UTC")).toEqual(["cron:invalid_cron"]);
    expect(issuesOf("0 0 30 2 *", "Mars/Olympus")).toEqual(["cron:never_fires", "timezone:unknown_timezone"]);
  });
});
