import { describe, expect, it } from "vitest";
import { buildCreateBody, drawableSteps, EXAMPLE_STEPS } from "../src/components/draft-steps";
import { previewCron } from "../src/lib/cron-preview";
import { formatDuration, formatRelative, parseJson, parseJsonObject } from "../src/lib/format";
import { href, parseRoute } from "../src/lib/route";

describe("parseJson", () => {
  it("names the line and column of a mistake", () => {
    const r = parseJson('{\n  "to": "a@example.com",\n  "body": oops\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('Line 3, column 11: expected a value near "oops".');
  });
  it("finds the first mistake the way JSON.parse judges validity", () => {
    const cases = ['{"a":1,}', "[1 2]", '{"a" 1}', '"\\x"', "01", "[1,", "{}x", '{"a":tru}', "-", '"a\tb"'];
    for (const text of cases) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect({ text, ok: parseJson(text).ok }).toEqual({ text, ok: valid });
      if (!valid)
        expect(parseJson(text)).toMatchObject({ message: expect.stringMatching(/^Line 1, column \d+: expected /) });
    }
    expect(parseJson("[1,")).toEqual({ ok: false, message: "Line 1, column 4: expected a value at the end." });
    expect(parseJson('{"a":1,}')).toEqual({ ok: false, message: 'Line 1, column 8: expected a quoted key near "}".' });
  });
  it("requires an object where args or variables are expected; empty means {}", () => {
    expect(parseJsonObject("[1]")).toEqual({ ok: false, message: "Must be a JSON object." });
    expect(parseJsonObject("  ")).toEqual({ ok: true, value: {} });
  });
});

describe("times", () => {
  it("formats durations and relative times", () => {
    expect(formatDuration("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.250Z")).toBe("250 ms");
    expect(formatDuration("2026-01-01T00:00:00Z", "2026-01-01T00:02:05Z")).toBe("2 min 5 s");
    expect(formatDuration(null, null)).toBe("—");
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatRelative("2026-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(formatRelative("2026-01-01T14:00:00Z", now)).toBe("in 2 h");
  });
});

describe("previewCron", () => {
  it("follows the timezone's wall clock across a DST change", async () => {
    const from = new Date("2026-03-06T12:00:00Z");
    const r = await previewCron("0 9 * * *", "America/New_York", 4, from);
    expect(r).toEqual({
      ok: true,
      times: [
        "2026-03-06T14:00:00.000Z",
        "2026-03-07T14:00:00.000Z",
        "2026-03-08T13:00:00.000Z",
        "2026-03-09T13:00:00.000Z",
      ],
    });
  });
  it("accepts 6 fields with seconds and refuses what cannot fire or cannot be read", async () => {
    const secs = await previewCron("*/10 * * * * *", "UTC", 2, new Date("2026-01-01T00:00:01Z"));
    expect(secs).toEqual({ ok: true, times: ["2026-01-01T00:00:10.000Z", "2026-01-01T00:00:20.000Z"] });
    expect(await previewCron("0 9 * *", "UTC")).toMatchObject({ ok: false, field: "cron" });
    expect(await previewCron("0 9 * * *", "Mars/Olympus")).toEqual({
      ok: false,
      field: "timezone",
      message: 'Unknown timezone "Mars/Olympus".',
    });
    expect((await previewCron("61 * * * *", "UTC")).ok).toBe(false);
    expect((await previewCron("0 0 30 2 *", "UTC")).ok).toBe(false);
  });
});

describe("pasted documents", () => {
  it("wraps a bare list with the form's name, variables and start", () => {
    expect(
      buildCreateBody(EXAMPLE_STEPS, { name: " News ", variables: { user_email: "a@example.com" }, start: true }),
    ).toEqual({
      name: "News",
      steps: EXAMPLE_STEPS,
      variables: { user_email: "a@example.com" },
      start: true,
    });
  });
  it("lets the pasted object's fields win and merges variables", () => {
    const doc = { name: "Pasted", steps: [], variables: { a: 1 }, start: false };
    expect(buildCreateBody(doc, { name: "Form", variables: { a: 0, b: 2 }, start: true })).toEqual({
      name: "Pasted",
      steps: [],
      variables: { a: 1, b: 2 },
      start: false,
    });
  });
  it("draws only what looks like a step", () => {
    expect(drawableSteps({ steps: [{ id: "x", agent: "util", action: "ECHO" }, 3, { agent: "y" }] })).toEqual([
      { id: "x", agent: "util", action: "ECHO", depends_on: [], needs_human: false },
    ]);
  });
});

describe("routes", () => {
  it("round-trips hashes", () => {
    const r = { page: "workflow", id: "wf_1", step: "s 2" } as const;
    expect(parseRoute(href(r))).toEqual(r);
    expect(parseRoute("#/nowhere")).toEqual({ page: "workflows" });
    expect(parseRoute("#/schedules")).toEqual({ page: "schedules" });
  });
});
