/**
 * Request shapes that belong to the HTTP surface (query strings, generate/wizard/schedule bodies).
 * They reuse core's wire schemas for every field core already spells; the OpenAPI document is
 * generated from these and from core's schemas, so docs and validation cannot drift.
 * @module
 */
import { schemas } from "@tandem/core";
import { z } from "zod";

export const listQuerySchema = z.strictObject({
  status: schemas.workflowStatusSchema.optional(),
  schedule_id: schemas.idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(512).optional(),
});

/** Body of interrupt/resume: nothing, or an empty object. */
export const emptyBodySchema = z.strictObject({}).optional();

export const generateBodySchema = z.strictObject({
  prompt: z.string().min(1).max(20_000),
  variables: schemas.variablesSchema.optional(),
  start: z.boolean().default(false),
});

export const wizardStartBodySchema = z
  .strictObject({ message: z.string().max(20_000).optional(), variables: schemas.variablesSchema.optional() })
  .optional();

export const wizardChatBodySchema = z.strictObject({
  session_id: schemas.idSchema,
  message: z.string().max(20_000).optional(),
  confirm: z.boolean().optional(),
  /** Start the confirmed workflow at once (default: pending, like generated workflows). */
  start: z.boolean().optional(),
});

export const wizardReplySchema = z.object({
  session_id: z.string(),
  reply: z.string(),
  steps: z.array(schemas.stepSpecSchema).nullable(),
  ready: z.boolean(),
  workflow: schemas.workflowRecordSchema.optional(),
});

export const scheduleBodySchema = z
  .strictObject({
    cron: z.string().min(1).max(200),
    timezone: z.string().min(1).max(100).optional(),
    name: z.string().max(200).optional(),
    steps: z.array(schemas.stepSpecSchema).optional(),
    workflow_id: schemas.idSchema.optional(),
    variables: schemas.variablesSchema.optional(),
    overlap: z.enum(schemas.OVERLAP_POLICIES).optional(),
    catch_up: z.enum(schemas.CATCH_UP_POLICIES).optional(),
  })
  .refine((b) => (b.steps === undefined) !== (b.workflow_id === undefined), {
    message: "give exactly one of `steps` or `workflow_id`",
    path: ["steps"],
  });

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()).optional() }),
});
