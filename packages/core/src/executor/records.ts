/** Conversions between step specs (the document) and step records (spec plus run state). */
import type { StepRecord, StepSpec, WorkflowRecord } from "../workflow/schema.js";
import type { WorkflowRun } from "./workflow-run.js";

export function newStepRecord(spec: StepSpec): StepRecord {
  // Fields listed one by one: spreading a parsed object is several times slower on V8 here.
  const record: StepRecord = {
    id: spec.id,
    agent: spec.agent,
    action: spec.action,
    args: spec.args,
    depends_on: spec.depends_on,
    outputs: spec.outputs,
    needs_human: spec.needs_human,
    status: "pending",
    resolved_args: null,
    result: null,
    error: null,
    attempts: 0,
    started_at: null,
    finished_at: null,
    in_doubt: false,
  };
  if (spec.description !== undefined) record.description = spec.description;
  if (spec.retry !== undefined) record.retry = spec.retry;
  if (spec.timeout_ms !== undefined) record.timeout_ms = spec.timeout_ms;
  return record;
}

const SPEC_KEYS = [
  "id",
  "agent",
  "action",
  "args",
  "depends_on",
  "outputs",
  "needs_human",
  "description",
  "retry",
  "timeout_ms",
] as const;

export function specOf(step: StepRecord): StepSpec {
  const out: Record<string, unknown> = {};
  for (const k of SPEC_KEYS) if (step[k] !== undefined) out[k] = step[k];
  return out as StepSpec;
}

/**
 * A copy of the run's record for callers. Top-level objects are copied; nested JSON values (args,
 * results) are shared, as the engine replaces them rather than mutating them in place.
 */
export function snapshot(run: WorkflowRun): WorkflowRecord {
  const r = run.record;
  return {
    ...r,
    variables: { ...r.variables },
    interventions: [...r.interventions],
    steps: r.steps.map((s) => ({ ...s })),
  };
}
