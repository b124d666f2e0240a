/**
 * Recurring workflows. `createScheduler({ engine })` (cron-scheduler.ts) implements this.
 * @module
 */

import type { FiringRecord, ScheduleRecord, StepInput } from "../workflow/schema.js";
import type { CatchUpPolicy, OverlapPolicy } from "./types.js";

/** Body of POST /api/workflows/recurring (snake_case as on the wire). */
export interface ScheduleInput {
  cron: string;
  /** IANA name. @default "UTC" */
  timezone?: string;
  name?: string;
  /** The steps each firing creates; or `workflow_id` of a stored workflow to use as template. */
  steps?: StepInput[];
  workflow_id?: string;
  /** Win over the template workflow's variables (`workflow_id`) and over `defaultVariables`. */
  variables?: Record<string, unknown>;
  /** @default "skip" */
  overlap?: OverlapPolicy;
  /** @default "latest" */
  catch_up?: CatchUpPolicy;
}

export interface Scheduler {
  /**
   * `defaultVariables` (a server's `TANDEM_VAR_*`) sit under everything else: precedence is
   * defaults < the template workflow's variables < `input.variables`.
   * @throws ValidationError on a bad cron, timezone, template or policy
   */
  createSchedule(
    input: ScheduleInput,
    options?: { defaultVariables?: Readonly<Record<string, unknown>> },
  ): Promise<ScheduleRecord>;
  listSchedules(): Promise<ScheduleRecord[]>;
  /** @throws NotFoundError */
  getSchedule(id: string): Promise<ScheduleRecord>;
  /** @throws NotFoundError */
  deleteSchedule(id: string): Promise<void>;
  /** @throws NotFoundError */
  pauseSchedule(id: string): Promise<ScheduleRecord>;
  /** @throws NotFoundError */
  resumeSchedule(id: string): Promise<ScheduleRecord>;
  /** Fires now, outside the cron slots. @throws NotFoundError */
  runNow(id: string): Promise<{ workflow_id: string }>;
  listFirings(id: string, limit?: number): Promise<FiringRecord[]>;
  /** Begins reconciling (fires due slots, handles catch-up). */
  start(): Promise<void>;
  stop(): Promise<void>;
}
