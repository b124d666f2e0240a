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
  "step.reopened",
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

/** eventemitter3's listener record (`_events[name]`); stable across v5. */
interface ListenerEntry {
  fn: (payload: unknown) => void;
  context: unknown;
  once: boolean;
}

/**
 * Calls every listener of `name`, each in its own try/catch: a throwing listener is logged and
 * neither the engine nor the listeners after it notice. (eventemitter3's `emit` stops at the
 * first throw, hence the walk over its listener records.)
 */
export function safeEmit<K extends keyof EngineEventMap>(
  emitter: EngineEmitter,
  logger: Logger,
  name: K,
  payload: Parameters<EngineEventMap[K]>[0],
): void {
  const raw = (emitter as unknown as { _events: Record<string, ListenerEntry | ListenerEntry[] | undefined> })._events[
    name
  ];
  if (!raw) return;
  const entries = Array.isArray(raw) ? raw.slice() : [raw];
  for (const entry of entries) {
    if (entry.once) emitter.removeListener(name, entry.fn as never, entry.context, true);
    try {
      entry.fn.call(entry.context, payload);
    } catch (error) {
      logger.error("event listener threw", { event: name, error: String(error) });
    }
  }
}
