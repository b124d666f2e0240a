/** Conversions between step specs (the document) and step records (spec plus run state). */
import type { StepRecord, StepSpec } from "../workflow/schema.js";

export function newStepRecord(spec: StepSpec): StepRecord {
  return {
    ...spec,
    status: "pending",
    resolved_args: null,
    result: null,
    error: null,
    attempts: 0,
    started_at: null,
    finished_at: null,
    in_doubt: false,
  };
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
