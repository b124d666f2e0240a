/**
 * Validation of a schedule as submitted (POST /api/workflows/recurring): every problem at once,
 * each naming its field, before anything is stored.
 * @module
 */

import { z } from "zod";
import type { Engine } from "../engine-types.js";
import { ValidationError, type ValidationIssue } from "../errors.js";
import {
  CATCH_UP_POLICIES,
  OVERLAP_POLICIES,
  type StepSpec,
  stepSpecSchema,
  type WorkflowRecord,
} from "../workflow/schema.js";
import { type CronSpec, isCronSpec, parseCron } from "./cron-spec.js";
import { fireTimes } from "./next-fire-times.js";
import { canonicalTimeZone } from "./time-zone.js";
import type { CatchUpPolicy, OverlapPolicy } from "./types.js";

const KNOWN_FIELDS = new Set(["cron", "timezone", "name", "steps", "workflow_id", "variables", "overlap", "catch_up"]);
/** Fire times sampled to find the shortest interval of an expression. */
const INTERVAL_SAMPLES = 200;

/** A schedule input that passed validation, normalised. */
export interface ValidSchedule {
  cron: string;
  spec: CronSpec;
  timezone: string;
  name: string | null;
  steps: StepSpec[];
  variables: Record<string, unknown>;
  workflowId: string | null;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
}

export interface ScheduleValidationContext {
  engine: Engine;
  minIntervalMs: number;
  now: number;
  /** Under the template's variables and the input's own: defaults < template < `variables`. */
  defaultVariables: Readonly<Record<string, unknown>>;
}

/** @throws ValidationError (code `invalid_request`) listing every problem, each with its field as path. */
export async function validateScheduleInput(input: unknown, ctx: ScheduleValidationContext): Promise<ValidSchedule> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw fail([{ path: [], code: "invalid_type", message: "a schedule must be a JSON object" }]);
  }
  const body = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const add = (field: string, code: string, message: string) => issues.push({ path: [field], code, message });
  for (const key of Object.keys(body)) if (!KNOWN_FIELDS.has(key)) add(key, "unknown_field", `unknown field "${key}"`);

  let spec: CronSpec | null = null;
  if (typeof body.cron !== "string") add("cron", "invalid_cron", "cron is required: a string of 5 or 6 fields");
  else {
    const parsed = parseCron(body.cron);
    if (isCronSpec(parsed)) spec = parsed;
    else issues.push(parsed);
  }
  let timezone: string | null = "UTC";
  if (body.timezone !== undefined) {
    timezone = typeof body.timezone === "string" ? canonicalTimeZone(body.timezone) : null;
    if (!timezone) add("timezone", "unknown_timezone", `unknown IANA time zone: ${JSON.stringify(body.timezone)}`);
  }
  if (spec && timezone) checkFrequency(spec, timezone, ctx, add);

  if (body.name !== undefined && (typeof body.name !== "string" || body.name.length > 200)) {
    add("name", "invalid_type", "name must be a string of at most 200 characters");
  }
  if (body.overlap !== undefined && !OVERLAP_POLICIES.includes(body.overlap as OverlapPolicy)) {
    add("overlap", "invalid_overlap", `overlap must be one of ${OVERLAP_POLICIES.join(", ")}`);
  }
  if (body.catch_up !== undefined && !CATCH_UP_POLICIES.includes(body.catch_up as CatchUpPolicy)) {
    add("catch_up", "invalid_catch_up", `catch_up must be one of ${CATCH_UP_POLICIES.join(", ")}`);
  }
  const variablesOk =
    body.variables === undefined ||
    (typeof body.variables === "object" && body.variables !== null && !Array.isArray(body.variables));
  if (!variablesOk) add("variables", "invalid_type", "variables must be an object");

  const template = await resolveTemplate(body, ctx.engine, add);
  if (template) {
    const own = variablesOk ? (body.variables as Record<string, unknown> | undefined) : undefined;
    const variables = { ...ctx.defaultVariables, ...template.variables, ...own };
    issues.push(...ctx.engine.validate({ steps: template.steps, variables }));
    template.variables = variables;
  }
  if (issues.length > 0 || !spec || !timezone || !template) throw fail(issues);
  return {
    cron: spec.source,
    spec,
    timezone,
    name: typeof body.name === "string" ? body.name : null,
    // Stored in output form (defaults filled in), as every firing will create it.
    steps: z.array(stepSpecSchema).parse(template.steps),
    variables: template.variables,
    workflowId: typeof body.workflow_id === "string" ? body.workflow_id : null,
    overlap: (body.overlap as OverlapPolicy | undefined) ?? "skip",
    catchUp: (body.catch_up as CatchUpPolicy | undefined) ?? "latest",
  };
}

type AddIssue = (field: string, code: string, message: string) => void;

/** Refuses expressions that never fire and those firing more often than `minIntervalMs`. */
function checkFrequency(spec: CronSpec, timezone: string, ctx: ScheduleValidationContext, add: AddIssue): void {
  // Fire times are whole, distinct seconds (whole minutes without a seconds field), so no
  // expression can beat a minimum at or below that resolution: one sample proves it fires.
  const resolution = spec.hasSeconds ? 1000 : 60_000;
  const samples = ctx.minIntervalMs <= resolution ? 1 : INTERVAL_SAMPLES;
  let previous: number | null = null;
  let shortest = Number.POSITIVE_INFINITY;
  let n = 0;
  for (const at of fireTimes(spec, timezone, ctx.now)) {
    if (previous !== null) shortest = Math.min(shortest, at - previous);
    previous = at;
    if (++n >= samples) break;
  }
  if (previous === null) add("cron", "never_fires", `"${spec.source}" never fires`);
  else if (shortest < ctx.minIntervalMs) {
    add("cron", "too_frequent", `"${spec.source}" fires every ${shortest} ms; the minimum is ${ctx.minIntervalMs} ms`);
  }
}

/** Steps and variables from the body, or copied from the stored workflow named by `workflow_id`. */
async function resolveTemplate(
  body: Record<string, unknown>,
  engine: Engine,
  add: AddIssue,
): Promise<{ steps: StepSpec[]; variables: Record<string, unknown> } | null> {
  const hasSteps = body.steps !== undefined;
  const hasId = body.workflow_id !== undefined;
  if (hasSteps && hasId) {
    add("workflow_id", "conflicting_template", "give either steps or workflow_id, not both");
    return null;
  }
  if (!hasSteps && !hasId) {
    add("steps", "missing_template", "steps (a step list) or workflow_id (a stored workflow) is required");
    return null;
  }
  if (hasSteps) {
    if (!Array.isArray(body.steps)) {
      add("steps", "invalid_type", "steps must be a list of steps");
      return null;
    }
    return { steps: body.steps as StepSpec[], variables: {} };
  }
  if (typeof body.workflow_id !== "string") {
    add("workflow_id", "invalid_type", "workflow_id must be a string");
    return null;
  }
  const stored = await engine.store.getWorkflow(body.workflow_id);
  if (!stored) {
    add("workflow_id", "unknown_workflow", `no stored workflow ${body.workflow_id} to use as template`);
    return null;
  }
  return templateOf(stored);
}

/** A stored workflow as a template: its step specs without run state, and its variables. */
export function templateOf(stored: WorkflowRecord): { steps: StepSpec[]; variables: Record<string, unknown> } {
  const specKeys = Object.keys(stepSpecSchema.shape);
  const steps = stored.steps.map(
    (step) =>
      Object.fromEntries(
        specKeys
          .filter((k) => (step as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, step[k as keyof StepSpec]]),
      ) as StepSpec,
  );
  return { steps, variables: { ...stored.variables } };
}

function fail(issues: ValidationIssue[]): ValidationError {
  return new ValidationError(issues, undefined, "invalid_request");
}
