/**
 * Engine events. Every transition is persisted to the workflow's event log first, then emitted
 * with the same record. Events are notifications: a listener's return value or throw never
 * changes what the engine does.
 * @module
 */
import { EventEmitter } from "eventemitter3";
import type { Logger } from "./logger.js";
import type { EventRecord } from "./workflow/schema.js";

export const WORKFLOW_EVENT_TYPES = [
  "workflow.created",
  "workflow.started",
  "workflow.paused",
  "workflow.resumed",
  "workflow.completed",
  "workflow.failed",
  "workflow.cancelled",
  "workflow.deleted",
  "workflow.intervened",
] as const;
export const STEP_EVENT_TYPES = [
  "step.started",
  "step.succeeded",
  "step.failed",
  "step.retrying",
  "step.awaiting_human",
  "step.approved",
  "step.rejected",
  "step.skipped",
  "step.cancelled",
  "step.interrupted",
] as const;
export const SCHEDULE_EVENT_TYPES = ["schedule.fired", "schedule.skipped"] as const;

export type WorkflowEventType = (typeof WORKFLOW_EVENT_TYPES)[number];
export type StepEventType = (typeof STEP_EVENT_TYPES)[number];
export type ScheduleEventType = (typeof SCHEDULE_EVENT_TYPES)[number];
export type EngineEventType = WorkflowEventType | StepEventType;

/** Payload of `schedule.*` events (schedules have no workflow event log of their own). */
export interface ScheduleEvent {
  type: ScheduleEventType;
  schedule_id: string;
  scheduled_for: string;
  workflow_id: string | null;
  reason: string | null;
}

/** Listener signatures by event name. `event` receives every workflow and step event. */
export type EngineEventMap = { [K in EngineEventType]: (event: EventRecord<K>) => void } & {
  [K in ScheduleEventType]: (event: ScheduleEvent) => void;
} & { event: (event: EventRecord<EngineEventType>) => void };

export class EngineEmitter extends EventEmitter<EngineEventMap> {}

/** Emits without letting a throwing listener escape: it is logged and the engine carries on. */
export function safeEmit<K extends keyof EngineEventMap>(
  emitter: EngineEmitter,
  logger: Logger,
  name: K,
  payload: Parameters<EngineEventMap[K]>[0],
): void {
  if (emitter.listenerCount(name) === 0) return;
  try {
    (emitter.emit as (n: K, p: unknown) => boolean)(name, payload);
  } catch (error) {
    logger.error("event listener threw", { event: name, error: String(error) });
  }
}
