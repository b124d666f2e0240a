/**
 * Record builders for store tests: complete, schema-valid records with overridable fields.
 * @module
 */
import { newStepRecord } from "../executor/records.js";
import type {
  EventRecord,
  FiringRecord,
  ScheduleRecord,
  SessionRecord,
  StepRecord,
  WorkflowRecord,
} from "../workflow/schema.js";

const BASE = Date.parse("2026-01-01T00:00:00.000Z");

/** An ISO 8601 time `seconds` after 2026-01-01T00:00:00Z. */
export function isoAt(seconds: number): string {
  return new Date(BASE + seconds * 1000).toISOString();
}

export function makeStep(id: string, overrides: Partial<StepRecord> = {}): StepRecord {
  const spec = {
    id,
    agent: "test",
    action: "ECHO",
    args: { value: id },
    depends_on: [],
    outputs: [],
    needs_human: false,
  };
  return { ...newStepRecord(spec), ...overrides };
}

export function makeWorkflow(id: string, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  const created = overrides.created_at ?? isoAt(0);
  return {
    id,
    name: null,
    status: "pending",
    variables: {},
    created_at: created,
    updated_at: created,
    schedule_id: null,
    scheduled_for: null,
    interventions: [],
    steps: [makeStep("s1"), makeStep("s2", { depends_on: ["s1"] })],
    generation: null,
    ...overrides,
  };
}

export function makeEvent(
  workflowId: string,
  seq: number,
  type = "step.started",
  stepId: string | null = null,
): EventRecord {
  return { seq, type, workflow_id: workflowId, step_id: stepId, at: isoAt(seq), data: { n: seq } };
}

export function makeSchedule(id: string, overrides: Partial<ScheduleRecord> = {}): ScheduleRecord {
  return {
    id,
    name: null,
    cron: "0 9 * * *",
    timezone: "UTC",
    steps: [
      {
        id: "s1",
        agent: "test",
        action: "ECHO",
        args: { value: 1 },
        depends_on: [],
        outputs: [],
        needs_human: false,
      },
    ],
    variables: {},
    workflow_id: null,
    overlap: "skip",
    catch_up: "latest",
    catch_up_limit: 10,
    paused: false,
    next_run_at: isoAt(3600),
    last_run_at: null,
    last_workflow_id: null,
    created_at: isoAt(0),
    updated_at: isoAt(0),
    ...overrides,
  };
}

export function makeFiring(
  scheduleId: string,
  scheduledFor: string,
  overrides: Partial<FiringRecord> = {},
): FiringRecord {
  return {
    schedule_id: scheduleId,
    scheduled_for: scheduledFor,
    fired_at: scheduledFor,
    outcome: "fired",
    reason: null,
    workflow_id: null,
    ...overrides,
  };
}

export function makeSession(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    created_at: isoAt(0),
    updated_at: isoAt(0),
    messages: [{ role: "user", content: "search the news and mail me" }],
    draft: null,
    ready: false,
    workflow_id: null,
    ...overrides,
  };
}
