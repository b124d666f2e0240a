/**
 * The wire format: the only place where persisted and transmitted field names are spelled.
 * Everything stored or sent over HTTP is snake_case exactly as SPEC.md spells it.
 * @module
 */
import { z } from "zod";

/** Step and workflow ids: `[A-Za-z0-9_-]{1,64}`. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Output and variable names: usable after `$` and inside `$step.name.path`. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const idSchema = z.string().regex(ID_PATTERN, "must match [A-Za-z0-9_-]{1,64}");
export const nameSchema = z.string().regex(NAME_PATTERN, "must match [A-Za-z_][A-Za-z0-9_]{0,63}");

export const WORKFLOW_STATUSES = ["pending", "running", "paused", "completed", "failed", "cancelled"] as const;
export const STEP_STATUSES = [
  "pending",
  "running",
  "awaiting_human",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
] as const;
export const workflowStatusSchema = z.enum(WORKFLOW_STATUSES);
export const stepStatusSchema = z.enum(STEP_STATUSES);
export type WorkflowStatus = z.infer<typeof workflowStatusSchema>;
export type StepStatus = z.infer<typeof stepStatusSchema>;

/** Workflow statuses nothing moves on from by itself (resume may re-open `failed`). */
export const FINISHED_STATUSES: ReadonlySet<WorkflowStatus> = new Set(["completed", "failed", "cancelled"]);

/** A count of zero for every step status, the shape of `step_counts`. */
export function emptyStepCounts(): Record<StepStatus, number> {
  return { pending: 0, running: 0, awaiting_human: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
}

export const retryPolicySchema = z.strictObject({
  max_attempts: z.number().int().min(1).max(100),
  backoff_ms: z.number().int().min(0).max(86_400_000).default(1000),
});
export type RetryPolicy = z.output<typeof retryPolicySchema>;

const argsSchema = z.record(z.string(), z.unknown());

/** One step of a workflow, as written by a person or a model. Unknown fields are rejected. */
export const stepSpecSchema = z.strictObject({
  id: idSchema,
  agent: z.string().min(1).max(128),
  action: z.string().min(1).max(128),
  args: argsSchema.default({}),
  depends_on: z.array(idSchema).default([]),
  outputs: z.array(nameSchema).default([]),
  needs_human: z.boolean().default(false),
  description: z.string().max(4000).optional(),
  retry: retryPolicySchema.optional(),
  timeout_ms: z.number().int().positive().max(2_147_483_647).optional(),
});
export type StepSpec = z.output<typeof stepSpecSchema>;
export type StepInput = z.input<typeof stepSpecSchema>;

export const variablesSchema = z.record(z.string(), z.unknown());
export type Variables = Record<string, unknown>;

/** `{ name?, steps, variables?, start? }`, the object form of a workflow document. */
export const workflowDocumentSchema = z.strictObject({
  name: z.string().max(200).optional(),
  steps: z.array(stepSpecSchema),
  variables: variablesSchema.optional(),
  start: z.boolean().optional(),
});
/** A workflow is created from a bare step list or from the object form. */
export const workflowInputSchema = z.union([z.array(stepSpecSchema), workflowDocumentSchema]);
export type WorkflowDocument = z.output<typeof workflowDocumentSchema>;
export type WorkflowInput = z.input<typeof workflowInputSchema>;

/** How a step error is kept: data, never a stack. */
export const stepErrorSchema = z.object({ name: z.string(), message: z.string(), code: z.string().optional() });
export type StepError = z.infer<typeof stepErrorSchema>;

/** A step as stored and returned by `GET /api/workflows/{id}`: its spec plus its run state. */
export const stepRecordSchema = stepSpecSchema.extend({
  status: stepStatusSchema,
  resolved_args: argsSchema.nullable(),
  result: z.unknown(),
  error: stepErrorSchema.nullable(),
  attempts: z.number().int(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  in_doubt: z.boolean(),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

/** A human intervention (SPEC "intervene"): all fields optional, applied atomically. */
export const interventionSchema = z.strictObject({
  step_id: idSchema.optional(),
  args: argsSchema.optional(),
  approve: z.boolean().optional(),
  output: z.unknown().optional(),
  variables: variablesSchema.optional(),
  add_steps: z.array(stepSpecSchema).optional(),
  remove_steps: z.array(idSchema).optional(),
  comment: z.string().max(4000).optional(),
});
export type Intervention = z.input<typeof interventionSchema>;

/** An intervention as kept in the workflow's history. */
export const interventionRecordSchema = z.object({
  at: z.string(),
  intervention: interventionSchema,
});
export type InterventionRecord = { at: string; intervention: z.output<typeof interventionSchema> };

/** Provenance of a workflow an LLM generated. */
export const generationInfoSchema = z.object({
  prompt: z.string(),
  attempts: z.number().int(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullable(),
});
export type GenerationInfo = z.infer<typeof generationInfoSchema>;

export const workflowRecordSchema = z.object({
  id: idSchema,
  name: z.string().nullable(),
  status: workflowStatusSchema,
  variables: variablesSchema,
  created_at: z.string(),
  updated_at: z.string(),
  schedule_id: z.string().nullable(),
  scheduled_for: z.string().nullable(),
  interventions: z.array(interventionRecordSchema),
  steps: z.array(stepRecordSchema),
  generation: generationInfoSchema.nullable(),
});
export type WorkflowRecord = Omit<z.infer<typeof workflowRecordSchema>, "interventions"> & {
  interventions: InterventionRecord[];
};

export const workflowSummarySchema = z.object({
  id: idSchema,
  name: z.string().nullable(),
  status: workflowStatusSchema,
  created_at: z.string(),
  updated_at: z.string(),
  schedule_id: z.string().nullable(),
  scheduled_for: z.string().nullable(),
  step_counts: z.record(stepStatusSchema, z.number().int()),
});
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;

/** One entry of a workflow's event log; the same object goes to listeners, the store and SSE. */
export const eventRecordSchema = z.object({
  seq: z.number().int(),
  type: z.string(),
  workflow_id: z.string(),
  step_id: z.string().nullable(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type EventRecord<T extends string = string> = Omit<z.infer<typeof eventRecordSchema>, "type"> & { type: T };

export const OVERLAP_POLICIES = ["skip", "allow"] as const;
export const CATCH_UP_POLICIES = ["skip", "latest", "all"] as const;

/** A recurring workflow: a cron in a timezone and the workflow each firing creates. */
export const scheduleRecordSchema = z.object({
  id: idSchema,
  name: z.string().nullable(),
  cron: z.string(),
  timezone: z.string(),
  /** The steps each firing creates, or null when `workflow_id` names a stored template. */
  steps: z.array(stepSpecSchema).nullable(),
  variables: variablesSchema,
  workflow_id: z.string().nullable(),
  overlap: z.enum(OVERLAP_POLICIES),
  catch_up: z.enum(CATCH_UP_POLICIES),
  /** Upper bound of slots run by `catch_up: "all"` after downtime. */
  catch_up_limit: z.number().int(),
  paused: z.boolean(),
  next_run_at: z.string().nullable(),
  last_run_at: z.string().nullable(),
  last_workflow_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ScheduleRecord = z.infer<typeof scheduleRecordSchema>;

/** One slot of a schedule, fired or skipped (with the reason). Unique per (schedule_id, scheduled_for). */
export const firingRecordSchema = z.object({
  schedule_id: z.string(),
  scheduled_for: z.string(),
  fired_at: z.string(),
  outcome: z.enum(["fired", "skipped"]),
  reason: z.string().nullable(),
  workflow_id: z.string().nullable(),
});
export type FiringRecord = z.infer<typeof firingRecordSchema>;

export const chatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A wizard conversation: messages, the current draft and whether the model deems it ready. */
export const sessionRecordSchema = z.object({
  id: idSchema,
  created_at: z.string(),
  updated_at: z.string(),
  messages: z.array(chatMessageSchema),
  /** The last draft that validated, or null. */
  draft: z.object({ steps: z.array(stepSpecSchema), variables: variablesSchema }).nullable(),
  ready: z.boolean(),
  workflow_id: z.string().nullable(),
});
export type SessionRecord = z.infer<typeof sessionRecordSchema>;
