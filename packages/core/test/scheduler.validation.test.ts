import { describe, expect, it } from "vitest";
import { isTandemError, type ValidationError } from "../src/index.js";
import { harness, ping } from "./scheduler.helpers.js";

async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    expect(isTandemError(error)).toBe(true);
    expect((error as ValidationError).code).toBe("invalid_request");
    return (error as ValidationError).issues.map((i) => `${i.path.join(".")}:${i.code}`);
  }
  throw new Error("expected a ValidationError");
}

describe("createSchedule refuses bad input, naming each field", () => {
  const h = harness("2026-05-01T00:00:00Z");
  const create = (input: Record<string, unknown>) =>
    issuesOf(h.scheduler.createSchedule(input as unknown as Parameters<typeof h.scheduler.createSchedule>[0]));

  it("cron: invalid, wrong field count, never fires, missing", async () => {
    expect(await create({ cron: "61 * * * *", steps: ping })).toEqual(["cron:invalid_cron"]);
    expect(await create({ cron: "* * *", steps: ping })).toEqual(["cron:invalid_cron"]);
    expect(await create({ cron: "0 0 0 * * * *", steps: ping })).toEqual(["cron:invalid_cron"]);
    expect(await create({ cron: "every day", steps: ping })).toEqual(["cron:invalid_cron"]);
    expect(await create({ cron: "0 0 30 2 *", steps: ping })).toEqual(["cron:never_fires"]);
    expect(await create({ cron: "0 0 31 4,6,9,11 *", steps: ping })).toEqual(["cron:never_fires"]);
    expect(await create({ steps: ping })).toEqual(["cron:invalid_cron"]);
    expect(await create({ cron: 5, steps: ping })).toEqual(["cron:invalid_cron"]);
  });

  it("timezone: unknown names and offsets are refused; names are canonicalised", async () => {
    expect(await create({ cron: "0 * * * *", timezone: "Mars/Olympus_Mons", steps: ping })).toEqual([
      "timezone:unknown_timezone",
    ]);
    expect(await create({ cron: "0 * * * *", timezone: "+02:00", steps: ping })).toEqual(["timezone:unknown_timezone"]);
    expect(await create({ cron: "0 * * * *", timezone: "", steps: ping })).toEqual(["timezone:unknown_timezone"]);
    const ok = await h.scheduler.createSchedule({ cron: "0 * * * *", timezone: "europe/berlin", steps: ping });
    expect(ok.timezone).toBe("Europe/Berlin");
    expect((await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping })).timezone).toBe("UTC");
  });

  it("too frequent for minIntervalMs", async () => {
    const strict = harness("2026-05-01T00:00:00Z", { minIntervalMs: 10_000 });
    const issues = await issuesOf(strict.scheduler.createSchedule({ cron: "*/5 * * * * *", steps: ping }));
    expect(issues).toEqual(["cron:too_frequent"]);
    // Irregular seconds: the shortest gap (0 → 2) counts, not the average.
    expect(await issuesOf(strict.scheduler.createSchedule({ cron: "0,2,30 * * * * *", steps: ping }))).toEqual([
      "cron:too_frequent",
    ]);
    await expect(strict.scheduler.createSchedule({ cron: "*/10 * * * * *", steps: ping })).resolves.toBeTruthy();
    // The default minimum (1 s) lets every-second schedules through.
    await expect(h.scheduler.createSchedule({ cron: "* * * * * *", steps: ping })).resolves.toBeTruthy();
  });

  it("policies, name, variables, unknown fields", async () => {
    expect(
      await create({
        cron: "0 * * * *",
        steps: ping,
        overlap: "queue",
        catch_up: "some",
        name: 7,
        variables: [],
        extra: 1,
      }),
    ).toEqual([
      "extra:unknown_field",
      "name:invalid_type",
      "overlap:invalid_overlap",
      "catch_up:invalid_catch_up",
      "variables:invalid_type",
    ]);
  });

  it("template: missing, both, invalid steps (validated by the engine), unknown workflow_id", async () => {
    expect(await create({ cron: "0 * * * *" })).toEqual(["steps:missing_template"]);
    expect(await create({ cron: "0 * * * *", steps: ping, workflow_id: "x" })).toEqual([
      "workflow_id:conflicting_template",
    ]);
    expect(await create({ cron: "0 * * * *", workflow_id: "nope" })).toEqual(["workflow_id:unknown_workflow"]);
    const bad = await create({ cron: "0 * * * *", steps: [{ id: "s1", agent: "nobody", action: "X" }] });
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((i) => i.startsWith("steps."))).toBe(true);
    expect(await create({ cron: "0 * * * *", steps: "s1" })).toEqual(["steps:invalid_type"]);
    // Every problem at once.
    expect(await create({ cron: "0 0 30 2 *", timezone: "Nowhere/City", overlap: 1 })).toEqual([
      "cron:never_fires",
      "timezone:unknown_timezone",
      "overlap:invalid_overlap",
      "steps:missing_template",
    ]);
  });

  it("workflow_id: a stored workflow's steps and variables become the template", async () => {
    const wf = await h.engine.createWorkflow(
      { name: "t", steps: [{ id: "a", agent: "t", action: "PING", args: { n: 2 } }], variables: { who: "x" } },
      { start: false },
    );
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", workflow_id: wf.id, variables: { extra: true } });
    expect(s.workflow_id).toBe(wf.id);
    expect(s.steps).toMatchObject([{ id: "a", agent: "t", action: "PING", args: { n: 2 } }]);
    expect(s.steps?.[0]).not.toHaveProperty("status");
    expect(s.variables).toEqual({ who: "x", extra: true });
  });

  it("variables: defaultVariables < the template workflow's variables < the input's variables", async () => {
    const wf = await h.engine.createWorkflow(
      { steps: [{ id: "a", agent: "t", action: "PING" }], variables: { who: "template", tone: "template" } },
      { start: false },
    );
    const defaultVariables = { who: "server", tone: "server", region: "server" };
    const s = await h.scheduler.createSchedule(
      { cron: "0 * * * *", workflow_id: wf.id, variables: { tone: "request" } },
      { defaultVariables },
    );
    expect(s.variables).toEqual({ who: "template", tone: "request", region: "server" });
    const bare = await h.scheduler.createSchedule({ cron: "0 * * * *", workflow_id: wf.id }, { defaultVariables });
    expect(bare.variables).toEqual({ who: "template", tone: "template", region: "server" });
    const steps = await h.scheduler.createSchedule(
      { cron: "0 * * * *", steps: ping, variables: { tone: "request" } },
      { defaultVariables },
    );
    expect(steps.variables).toEqual({ who: "server", tone: "request", region: "server" });
  });

  it("more than maxSchedules", async () => {
    const small = harness("2026-05-01T00:00:00Z", { maxSchedules: 2 });
    await small.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    await small.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    expect(await issuesOf(small.scheduler.createSchedule({ cron: "0 * * * *", steps: ping }))).toEqual([
      ":too_many_schedules",
    ]);
  });

  it("bad options are a TypeError at construction", () => {
    for (const options of [
      { reconcileIntervalMs: 0 },
      { minIntervalMs: 10 },
      { maxSchedules: -1 },
      { catchUpLimit: 1.5 },
    ]) {
      expect(() => harness("2026-05-01T00:00:00Z", options)).toThrow(TypeError);
    }
  });
});
