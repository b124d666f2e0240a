/**
 * Reading a model's reply into a candidate step list. Only the shape of the reply is checked
 * here; the steps themselves go through the engine's validator like any hand-written workflow.
 * @module
 */
import type { ValidationIssue } from "../errors.js";

export type ReadResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export interface WizardReply {
  reply: string;
  steps: unknown[] | null;
  ready: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(path: (string | number)[], message: string): { ok: false; issues: ValidationIssue[] } {
  return { ok: false, issues: [{ path, code: "malformed_reply", message }] };
}

/**
 * Models in JSON mode often write `"description": null` for a field they leave out. Top-level
 * null fields of a step are dropped so that they mean "absent"; nulls inside `args` are kept.
 */
function dropNullFields(steps: unknown[]): unknown[] {
  return steps.map((step) =>
    isPlainObject(step) ? Object.fromEntries(Object.entries(step).filter(([, v]) => v !== null)) : step,
  );
}

/** A `plan` reply: `{ "steps": [...] }`. */
export function readPlanReply(value: unknown): ReadResult<unknown[]> {
  if (!isPlainObject(value)) return malformed([], 'The reply must be a JSON object {"steps": [...]}.');
  if (!Array.isArray(value.steps)) return malformed(["steps"], 'The reply must have a "steps" array.');
  return { ok: true, value: dropNullFields(value.steps) };
}

/** A `wizard` reply: `{ "reply": string, "steps": [...] | null, "ready": boolean }`. */
export function readWizardReply(value: unknown): ReadResult<WizardReply> {
  const shape = 'The reply must be a JSON object {"reply": string, "steps": [...] | null, "ready": boolean}.';
  if (!isPlainObject(value)) return malformed([], shape);
  if (typeof value.reply !== "string") return malformed(["reply"], `"reply" must be a string. ${shape}`);
  const steps = value.steps ?? null;
  if (steps !== null && !Array.isArray(steps)) return malformed(["steps"], `"steps" must be a list or null. ${shape}`);
  return {
    ok: true,
    value: { reply: value.reply, steps: steps === null ? null : dropNullFields(steps), ready: value.ready === true },
  };
}

/** Thrown by a planner call but not a TandemError: the reply could not be read (malformed JSON, cut off). */
export function failedReplyIssue(error: unknown): ValidationIssue {
  const message = error instanceof Error ? error.message : String(error);
  return { path: [], code: "malformed_reply", message: `The reply could not be read: ${message}` };
}
