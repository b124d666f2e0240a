/**
 * What happens to one schedule's slots: claim, create the workflow, record skips, move the
 * cursor. Separate from the timer and the CRUD of `CronScheduler` so both stay small.
 * @module
 */
import type { Engine } from "../engine-types.js";
import { NotFoundError } from "../errors.js";
import { type ScheduleEvent, safeEmit } from "../events.js";
import type { Logger } from "../logger.js";
import type { FiringRecord, ScheduleRecord, StepSpec, WorkflowStatus } from "../workflow/schema.js";
import { planCatchUp, type SkipReason } from "./catch-up.js";
import type { Clock } from "./clock.js";
import { isCronSpec, parseCron } from "./cron-spec.js";
import { dueSlots } from "./due-slots.js";
import { fireTimes } from "./next-fire-times.js";
import { templateOf } from "./schedule-input.js";

const UNFINISHED: WorkflowStatus[] = ["pending", "running", "paused"];
const iso = (ms: number) => new Date(ms).toISOString();

/** Fires and records the slots of schedules for one engine. Callers serialise work per schedule. */
export class SlotFiring {
  readonly #engine: Engine;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #tolerance: number;

  constructor(engine: Engine, clock: Clock, logger: Logger, lateToleranceMs: number) {
    this.#engine = engine;
    this.#clock = clock;
    this.#logger = logger;
    this.#tolerance = lateToleranceMs;
  }

  /** Runs and records the slots due at `now`, advances the cursor; returns the next slot. */
  async handleDue(record: ScheduleRecord, now: number, missedReason: "missed" | "paused"): Promise<number | null> {
    const spec = parseCron(record.cron);
    if (!isCronSpec(spec)) throw new Error(`stored cron is invalid: ${spec.message}`);
    const cursor = record.next_run_at === null ? null : Date.parse(record.next_run_at);
    if (cursor === null || cursor > now) return cursor;
    const { due, overflow } = dueSlots(spec, record.timezone, cursor, now, record.catch_up_limit + 1);
    if (overflow) {
      for (const at of overflow.head) await this.#skip(record, at, now, missedReason);
      await this.#skip(record, overflow.bulkAt, now, "missed_bulk");
    }
    const plan = planCatchUp({
      due,
      now,
      policy: record.catch_up,
      limit: record.catch_up_limit,
      graceMs: this.#tolerance,
      missedReason,
    });
    const steps = [
      ...plan.skip.map((s) => ({ at: s.at, reason: s.reason as SkipReason | null })),
      ...plan.run.map((at) => ({ at, reason: null })),
    ].sort((a, b) => a.at - b.at);
    for (const step of steps) {
      if (step.reason !== null) await this.#skip(record, step.at, now, step.reason);
      else if (record.overlap === "skip" && (await this.#busy(record.id))) {
        await this.#skip(record, step.at, now, "overlap");
      } else {
        try {
          await this.fire(record, step.at, now);
        } catch (error) {
          // The slot stays claimed (at most once): its record shows a firing without a workflow.
          this.#logger.error("scheduled workflow could not be created", {
            schedule_id: record.id,
            scheduled_for: iso(step.at),
            error: String(error),
          });
        }
      }
    }
    const next = fireTimes(spec, record.timezone, now).next();
    const nextAt = next.done ? null : next.value;
    await this.update(record.id, now, (r) => ({ ...r, next_run_at: nextAt === null ? null : iso(nextAt) }));
    return nextAt;
  }

  /**
   * Claims the slot, then creates and starts its workflow. Returns its id, or null when the slot
   * was taken already. @throws what `engine.createWorkflow` throws (the slot stays claimed);
   * NotFoundError when a `steps: null` schedule's template workflow is gone (slot recorded skipped)
   */
  async fire(record: ScheduleRecord, at: number, now: number): Promise<string | null> {
    const store = this.#engine.store;
    const scheduledFor = iso(at);
    const claim: FiringRecord = {
      schedule_id: record.id,
      scheduled_for: scheduledFor,
      fired_at: iso(now),
      outcome: "fired",
      reason: null,
      workflow_id: null,
    };
    await this.#engine.ready(); // an engine that cannot execute must not claim the slot
    const template = await this.#template(record);
    if (!template) {
      await this.#skip(record, at, now, "template_missing");
      throw new NotFoundError(`The template workflow ${record.workflow_id} of schedule ${record.id} is gone`);
    }
    const doc = { ...(record.name === null ? {} : { name: record.name }), ...template };
    if (!(await store.claimFiring(claim))) return null;
    const workflowId = (await this.#engine.createWorkflow(doc, { scheduleId: record.id, scheduledFor, start: true }))
      .id;
    await store.setFiringWorkflow(record.id, scheduledFor, workflowId);
    await this.update(record.id, now, (r) => ({ ...r, last_run_at: iso(now), last_workflow_id: workflowId }));
    this.#emit({
      type: "schedule.fired",
      schedule_id: record.id,
      scheduled_for: scheduledFor,
      workflow_id: workflowId,
      reason: null,
    });
    return workflowId;
  }

  async #skip(record: ScheduleRecord, at: number, now: number, reason: SkipReason): Promise<void> {
    const scheduledFor = iso(at);
    const claimed = await this.#engine.store.claimFiring({
      schedule_id: record.id,
      scheduled_for: scheduledFor,
      fired_at: iso(now),
      outcome: "skipped",
      reason,
      workflow_id: null,
    });
    if (claimed)
      this.#emit({
        type: "schedule.skipped",
        schedule_id: record.id,
        scheduled_for: scheduledFor,
        workflow_id: null,
        reason,
      });
  }

  /**
   * The workflow each firing creates. Schedules made here carry their steps; a record with
   * `steps: null` (allowed by the schema) reads its `workflow_id` template at firing time.
   */
  async #template(record: ScheduleRecord): Promise<{ steps: StepSpec[]; variables: Record<string, unknown> } | null> {
    if (record.steps !== null) return { steps: record.steps, variables: record.variables };
    const stored = record.workflow_id === null ? null : await this.#engine.store.getWorkflow(record.workflow_id);
    if (!stored) return null;
    const template = templateOf(stored);
    return { steps: template.steps, variables: { ...template.variables, ...record.variables } };
  }

  /** Whether a workflow this schedule created is still unfinished. */
  async #busy(scheduleId: string): Promise<boolean> {
    const store = this.#engine.store;
    const last = (await store.getSchedule(scheduleId))?.last_workflow_id;
    const lastRun = last ? await store.getWorkflow(last) : null;
    if (lastRun && UNFINISHED.includes(lastRun.status)) return true;
    return (await store.findWorkflowIds(UNFINISHED, scheduleId)).length > 0;
  }

  #emit(event: ScheduleEvent): void {
    safeEmit(this.#engine.events, this.#logger, event.type, event);
  }

  /** Read-modify-write of one schedule; a schedule deleted meanwhile stays deleted. */
  async update(id: string, now: number, change: (r: ScheduleRecord) => ScheduleRecord): Promise<ScheduleRecord | null> {
    const current = await this.#engine.store.getSchedule(id);
    if (!current) return null;
    const next = { ...change(current), updated_at: iso(Math.max(now, this.#clock.now())) };
    await this.#engine.store.saveSchedule(next);
    return next;
  }
}
