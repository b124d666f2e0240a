/** Shared set-up of the scheduler scenario tests: a fake clock, a real engine and MemoryStore. */
import { z } from "zod";
import {
  type CronScheduler,
  createEngine,
  createScheduler,
  defineAgent,
  type Engine,
  MemoryStore,
  type ScheduleEvent,
  type SchedulerOptions,
  type Store,
} from "../src/index.js";
import { FakeClock } from "../src/testing/index.js";

/** A gate the HOLD action waits on, opened by the test. */
export class Gate {
  #open: () => void = () => {};
  #promise = this.#reset();
  #reset(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#open = resolve;
    });
  }
  wait(): Promise<void> {
    return this.#promise;
  }
  open(): void {
    this.#open();
    this.#promise = this.#reset();
  }
}

export interface Harness {
  clock: FakeClock;
  store: Store;
  engine: Engine;
  scheduler: CronScheduler;
  /** Workflow ids in the order their PING/HOLD step ran. */
  runs: string[];
  gate: Gate;
  events: ScheduleEvent[];
  /** A new engine + scheduler on the same store and clock (a restart, or a second process). */
  another(options?: Partial<SchedulerOptions>): { engine: Engine; scheduler: CronScheduler; events: ScheduleEvent[] };
}

export const ping = [{ id: "s1", agent: "t", action: "PING", args: { n: 1 } }];
export const hold = [{ id: "s1", agent: "t", action: "HOLD" }];

export function harness(
  start: string,
  options: Partial<SchedulerOptions> = {},
  shared?: { clock: FakeClock; store: Store },
): Harness {
  const clock = shared?.clock ?? new FakeClock(start);
  const store = shared?.store ?? new MemoryStore();
  const runs: string[] = [];
  const gate = new Gate();
  const agent = defineAgent({
    name: "t",
    actions: {
      PING: {
        description: "records that it ran",
        args: z.object({ n: z.number().optional() }),
        run: (_args, ctx) => {
          runs.push(ctx.workflowId);
          return { ok: true };
        },
      },
      HOLD: {
        description: "runs until the test opens the gate",
        run: async (_args, ctx) => {
          runs.push(ctx.workflowId);
          await gate.wait();
          return { ok: true };
        },
      },
    },
  });
  const make = (opts: Partial<SchedulerOptions>) => {
    const engine = createEngine({ store, clock, agents: [agent] });
    const scheduler = createScheduler({ engine, ...options, ...opts });
    const events: ScheduleEvent[] = [];
    engine.events.on("schedule.fired", (e) => events.push(e));
    engine.events.on("schedule.skipped", (e) => events.push(e));
    return { engine, scheduler, events };
  };
  const first = make({});
  return { clock, store, runs, gate, ...first, another: make };
}

/** `[scheduled_for, outcome, reason]` of every firing, oldest first. */
export async function firingsOf(store: Store, scheduleId: string): Promise<[string, string, string | null][]> {
  const firings = await store.listFirings(scheduleId, 100_000);
  return firings.reverse().map((f) => [f.scheduled_for.replace(".000Z", "Z"), f.outcome, f.reason]);
}

export async function workflowsOf(engine: Engine, scheduleId: string) {
  return (await engine.listWorkflows({ scheduleId, limit: 500 })).items;
}
