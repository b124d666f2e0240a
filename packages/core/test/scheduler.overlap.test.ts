import { afterEach, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../src/index.js";
import { firingsOf, type Harness, harness, hold, ping, workflowsOf } from "./scheduler.helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  h?.gate.open();
  await h?.scheduler.stop();
  h = undefined;
});

describe("overlap", () => {
  it("skip: a job longer than its interval blocks the next slots, recorded as overlap", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: hold });
    await h.clock.advanceTo("2026-05-01T00:03:30Z");
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-05-01T00:01:00Z", "fired", null],
      ["2026-05-01T00:02:00Z", "skipped", "overlap"],
      ["2026-05-01T00:03:00Z", "skipped", "overlap"],
    ]);
    const [first] = await workflowsOf(h.engine, s.id);
    expect(first?.status).toBe("running");
    h.gate.open();
    await h.clock.advance(1000);
    expect((await h.engine.getWorkflow(first!.id)).status).toBe("completed");
    await h.clock.advanceTo("2026-05-01T00:04:30Z");
    expect((await firingsOf(h.store, s.id)).at(-1)).toEqual(["2026-05-01T00:04:00Z", "fired", null]);
    expect(h.runs).toHaveLength(2);
  });

  it("skip also sees runs it did not start itself (runNow, another scheduler) through the store", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: hold });
    const { workflow_id } = await h.scheduler.runNow(s.id);
    const record = await h.store.getSchedule(s.id);
    await h.store.saveSchedule({ ...record!, last_workflow_id: null });
    await h.clock.advanceTo("2026-05-01T00:01:30Z");
    expect((await firingsOf(h.store, s.id)).at(-1)).toEqual(["2026-05-01T00:01:00Z", "skipped", "overlap"]);
    expect((await h.engine.getWorkflow(workflow_id)).status).toBe("running");
  });

  it("allow: runs pile up while the first is still going", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: hold, overlap: "allow" });
    await h.clock.advanceTo("2026-05-01T00:03:30Z");
    expect((await firingsOf(h.store, s.id)).map((f) => f[1])).toEqual(["fired", "fired", "fired"]);
    expect((await workflowsOf(h.engine, s.id)).map((w) => w.status)).toEqual(["running", "running", "running"]);
  });
});

describe("pause, resume, runNow", () => {
  it("a paused schedule does not fire; on resume the paused slots follow catch_up (latest)", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping });
    expect((await h.scheduler.pauseSchedule(s.id)).paused).toBe(true);
    await h.clock.advanceTo("2026-05-01T03:30:00Z");
    expect(await firingsOf(h.store, s.id)).toEqual([]);
    expect(h.runs).toHaveLength(0);
    const resumed = await h.scheduler.resumeSchedule(s.id);
    expect(resumed.paused).toBe(false);
    expect(resumed.next_run_at).toBe("2026-05-01T04:00:00.000Z");
    expect(await firingsOf(h.store, s.id)).toEqual([
      ["2026-05-01T01:00:00Z", "skipped", "paused"],
      ["2026-05-01T02:00:00Z", "skipped", "paused"],
      ["2026-05-01T03:00:00Z", "fired", null],
    ]);
    await h.clock.advanceTo("2026-05-01T04:00:30Z");
    expect(h.runs).toHaveLength(2);
  });

  it("resume with catch_up skip records every paused slot and runs none", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 * * * *", steps: ping, catch_up: "skip" });
    await h.scheduler.pauseSchedule(s.id);
    await h.clock.advanceTo("2026-05-01T02:30:00Z");
    await h.scheduler.resumeSchedule(s.id);
    expect((await firingsOf(h.store, s.id)).map((f) => f[2])).toEqual(["paused", "paused"]);
    expect(h.runs).toHaveLength(0);
  });

  it("runNow fires at once with scheduled_for = now, outside the slots, and is recorded", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "0 0 1 1 *", steps: ping, name: "yearly report" });
    await h.scheduler.pauseSchedule(s.id);
    const { workflow_id } = await h.scheduler.runNow(s.id);
    await h.clock.advance(10);
    const wf = await h.engine.getWorkflow(workflow_id);
    expect(wf).toMatchObject({ schedule_id: s.id, scheduled_for: "2026-05-01T00:00:30.000Z", name: "yearly report" });
    expect(wf.status).toBe("completed");
    expect(await h.scheduler.listFirings(s.id)).toMatchObject([
      { scheduled_for: "2026-05-01T00:00:30.000Z", outcome: "fired", workflow_id },
    ]);
    const after = await h.scheduler.getSchedule(s.id);
    expect(after).toMatchObject({
      last_workflow_id: workflow_id,
      last_run_at: "2026-05-01T00:00:30.000Z",
      paused: true,
    });
    expect(h.events).toEqual([
      {
        type: "schedule.fired",
        schedule_id: s.id,
        scheduled_for: "2026-05-01T00:00:30.000Z",
        workflow_id,
        reason: null,
      },
    ]);
    // A second run in the same millisecond would be the same slot: refused, not run twice.
    await h.scheduler.runNow(s.id);
    await expect(h.scheduler.runNow(s.id)).rejects.toBeInstanceOf(ConflictError);
    await expect(h.scheduler.runNow("nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("delete stops a schedule; unknown ids are not_found", async () => {
    h = harness("2026-05-01T00:00:30Z");
    await h.scheduler.start();
    const s = await h.scheduler.createSchedule({ cron: "* * * * *", steps: ping });
    expect((await h.scheduler.listSchedules()).map((x) => x.id)).toEqual([s.id]);
    await h.scheduler.deleteSchedule(s.id);
    await h.clock.advanceTo("2026-05-01T00:05:00Z");
    expect(h.runs).toHaveLength(0);
    expect(await h.scheduler.listSchedules()).toEqual([]);
    for (const call of [
      () => h!.scheduler.deleteSchedule(s.id),
      () => h!.scheduler.getSchedule(s.id),
      () => h!.scheduler.pauseSchedule(s.id),
      () => h!.scheduler.resumeSchedule(s.id),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(NotFoundError);
    }
  });
});
