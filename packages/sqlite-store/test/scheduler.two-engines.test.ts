import { join } from "node:path";
import { createEngine, createScheduler, defineAgent, type Engine, type ScheduleEvent, type Store } from "@tandem/core";
import { FakeClock } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import type { SqliteStore } from "../src/index.js";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir("tandem-scheduler-");
const steps = [{ id: "s1", agent: "t", action: "PING" }];

function setup(clock: FakeClock, store: Store, runs: string[]) {
  const agent = defineAgent({
    name: "t",
    actions: {
      PING: {
        description: "records that it ran",
        run: (_args, ctx) => {
          runs.push(ctx.workflowId);
          return { ok: true };
        },
      },
    },
  });
  const engine = createEngine({ store, clock, agents: [agent] });
  const scheduler = createScheduler({ engine });
  const events: ScheduleEvent[] = [];
  engine.events.on("schedule.fired", (e) => events.push(e));
  engine.events.on("schedule.skipped", (e) => events.push(e));
  return { engine, scheduler, events };
}

/** The same file through a second connection, minus the executor lease: a second engine that executes. */
function withoutLease(store: SqliteStore): Store {
  return new Proxy(store, {
    get(target, key) {
      if (key === "acquireExecutorLease") return undefined;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function scheduledWorkflows(engine: Engine, scheduleId: string) {
  return (await engine.listWorkflows({ scheduleId, limit: 500 })).items;
}

describe("scheduler on one SQLite file shared by two engines", () => {
  it("the engine holding the lease fires; the other stands by and claims nothing; one run per slot", async () => {
    const path = join(dir, "standby.db");
    const clock = new FakeClock("2026-05-01T00:00:30Z", { settleTurns: 10 });
    const runs: string[] = [];
    const a = setup(clock, openStore(path), runs);
    await a.engine.ready();
    const b = setup(clock, openStore(path), runs);
    await expect(b.engine.ready()).rejects.toMatchObject({ code: "conflict" });
    await a.scheduler.start();
    await b.scheduler.start();
    // Schedules may be created through either engine: that is only a write, not execution.
    const s = await b.scheduler.createSchedule({ cron: "*/5 * * * *", steps });
    await clock.advanceTo("2026-05-01T01:00:30Z");
    const firings = await a.engine.store.listFirings(s.id, 100);
    expect(firings).toHaveLength(12);
    expect(firings.every((f) => f.outcome === "fired" && f.workflow_id !== null)).toBe(true);
    expect(await scheduledWorkflows(a.engine, s.id)).toHaveLength(12);
    expect(new Set(runs).size).toBe(12);
    expect(a.events).toHaveLength(12);
    expect(b.events).toHaveLength(0);
    await a.scheduler.stop();
    await b.scheduler.stop();
    await a.engine.close();
    await b.engine.close();
  });

  it("two executing schedulers racing on the file after downtime: the slot claims decide", async () => {
    const path = join(dir, "race.db");
    const clock = new FakeClock("2026-05-01T00:00:30Z", { settleTurns: 10 });
    const runs: string[] = [];
    const a = setup(clock, openStore(path), runs);
    const b = setup(clock, withoutLease(openStore(path)), runs);
    const all = await a.scheduler.createSchedule({ cron: "0 * * * *", steps, catch_up: "all", overlap: "allow" });
    const latest = await a.scheduler.createSchedule({ cron: "0 * * * *", steps, catch_up: "latest" });
    const often = await a.scheduler.createSchedule({ cron: "*/10 * * * *", steps, overlap: "allow" });
    await clock.advanceTo("2026-05-01T03:30:00Z");
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    await clock.advanceTo("2026-05-01T05:30:00Z");

    const outcomes = async (id: string) =>
      (await a.engine.store.listFirings(id, 1000)).reverse().map((f) => [f.scheduled_for.slice(11, 16), f.outcome]);
    expect(await outcomes(all.id)).toEqual([
      ["01:00", "fired"],
      ["02:00", "fired"],
      ["03:00", "fired"],
      ["04:00", "fired"],
      ["05:00", "fired"],
    ]);
    expect(await outcomes(latest.id)).toEqual([
      ["01:00", "skipped"],
      ["02:00", "skipped"],
      ["03:00", "fired"],
      ["04:00", "fired"],
      ["05:00", "fired"],
    ]);
    const tenMinutes = await outcomes(often.id);
    expect(tenMinutes.filter((f) => f[1] === "fired").map((f) => f[0])).toContain("03:30");
    expect(tenMinutes.slice(-13).every((f) => f[1] === "fired")).toBe(true); // 03:30 … 05:30 on time
    const workflows = (await Promise.all([all, latest, often].map((s) => scheduledWorkflows(a.engine, s.id)))).flat();
    const firedCount = (await Promise.all([all, latest, often].map((s) => outcomes(s.id))))
      .flat()
      .filter((f) => f[1] === "fired").length;
    expect(workflows).toHaveLength(firedCount);
    expect(runs).toHaveLength(firedCount);
    expect(new Set(runs).size).toBe(firedCount);
    // Each slot announced once, whichever scheduler won it; both won some.
    const announced = [...a.events, ...b.events].map((e) => `${e.schedule_id}@${e.scheduled_for}`);
    expect(new Set(announced).size).toBe(announced.length);
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.events.length).toBeGreaterThan(0);
    await a.scheduler.stop();
    await b.scheduler.stop();
    await b.engine.close();
    await a.engine.close();
  });

  it("restart exactly at a fire time on the same file, after a crash before the cursor moved: no second run", async () => {
    const path = join(dir, "restart.db");
    const clock = new FakeClock("2026-05-01T00:59:00Z", { settleTurns: 10 });
    const runs: string[] = [];
    const first = setup(clock, openStore(path), runs);
    await first.scheduler.start();
    const s = await first.scheduler.createSchedule({ cron: "0 * * * *", steps });
    await clock.advanceTo("2026-05-01T01:00:00Z");
    await first.scheduler.stop();
    const stale = await first.engine.store.getSchedule(s.id);
    await first.engine.store.saveSchedule({
      ...stale!,
      next_run_at: "2026-05-01T01:00:00.000Z",
      last_workflow_id: null,
    });
    await first.engine.close();
    expect(runs).toHaveLength(1);

    const second = setup(clock, openStore(path), runs);
    await second.scheduler.start();
    await clock.advance(5000);
    const firings = await second.engine.store.listFirings(s.id, 10);
    expect(firings.map((f) => [f.scheduled_for, f.outcome])).toEqual([["2026-05-01T01:00:00.000Z", "fired"]]);
    expect(await scheduledWorkflows(second.engine, s.id)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect((await second.scheduler.getSchedule(s.id)).next_run_at).toBe("2026-05-01T02:00:00.000Z");
    await second.scheduler.stop();
    await second.engine.close();
  });
});
