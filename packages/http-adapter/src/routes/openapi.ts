/**
 * GET /openapi.json: an OpenAPI 3.1 document of every route, generated from the same zod schemas that
 * validate requests (core's wire schemas plus ../schemas.ts), so the document cannot drift.
 * @module
 */
import { schemas } from "@tandem/core";
import { z } from "zod";
import {
  errorBodySchema,
  generateBodySchema,
  listQuerySchema,
  scheduleBodySchema,
  wizardChatBodySchema,
  wizardReplySchema,
  wizardStartBodySchema,
} from "../schemas.js";
import type { ResolvedOptions, RouteContext } from "../types.js";

const catalogSchema = z.object({
  agents: z.array(
    z.object({
      name: z.string(),
      description: z.string().nullable(),
      actions: z.array(
        z.object({
          name: z.string(),
          description: z.string(),
          args_schema: z.record(z.string(), z.unknown()).nullable(),
          outputs: z.array(z.string()),
          idempotent: z.boolean(),
          needs_human: z.boolean(),
        }),
      ),
    }),
  ),
});

type Json = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const content = (name: string) => ({ "application/json": { schema: ref(name) } });
const ok = (status: number, description: string, name?: string) => ({
  [status]: name ? { description, content: content(name) } : { description },
});
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: "Error", content: content("Error") }]));
const body = (name: string, required = true) => ({ required, content: content(name) });
const idParam = (name = "id") => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string", pattern: schemas.ID_PATTERN.source },
});
const op = (summary: string, rest: Json) => ({ summary, ...rest });

function buildDocument(options: ResolvedOptions): Json {
  const common = options.token ? [401, 403] : [403];
  const listParams = Object.entries((toSchema(listQuerySchema, "input").properties ?? {}) as Json).map(
    ([name, schema]) => ({ name, in: "query", required: false, schema }),
  );
  const wf = { parameters: [idParam()] };
  const sc = { parameters: [idParam("schedule_id")] };
  return {
    openapi: "3.1.0",
    info: { title: "Tandem", version: "0.1.0", description: "Workflows of agent steps with people in the loop." },
    servers: [{ url: options.basePath || "/" }],
    ...(options.token ? { security: [{ bearer: [] }] } : {}),
    paths: {
      "/workflows": {
        get: op("List workflows, newest first", {
          parameters: listParams,
          responses: { ...ok(200, "A page", "WorkflowPage"), ...errors(400, ...common) },
        }),
        post: op("Create a workflow", {
          requestBody: body("WorkflowInput"),
          responses: { ...ok(201, "Created", "Workflow"), ...errors(400, 413, 415, ...common) },
        }),
      },
      "/workflows/generate": {
        post: op("Generate a workflow from a sentence", {
          requestBody: body("GenerateRequest"),
          responses: { ...ok(201, "Generated", "GenerateResult"), ...errors(400, 422, 503, ...common) },
        }),
      },
      "/workflows/wizard/start": {
        post: op("Start a wizard conversation", {
          requestBody: body("WizardStart", false),
          responses: { ...ok(201, "Session", "WizardReply"), ...errors(400, 503, ...common) },
        }),
      },
      "/workflows/wizard/chat": {
        post: op("Continue a wizard conversation", {
          requestBody: body("WizardChat"),
          responses: { ...ok(200, "Reply", "WizardReply"), ...errors(400, 404, 503, ...common) },
        }),
      },
      "/workflows/recurring": {
        get: op("List schedules", {
          responses: { ...ok(200, "Schedules", "ScheduleList"), ...errors(503, ...common) },
        }),
        post: op("Create a schedule", {
          requestBody: body("ScheduleInput"),
          responses: { ...ok(201, "Created", "Schedule"), ...errors(400, 503, ...common) },
        }),
      },
      "/workflows/recurring/{schedule_id}": {
        ...sc,
        get: op("Read a schedule", {
          responses: { ...ok(200, "Schedule", "Schedule"), ...errors(404, 503, ...common) },
        }),
        delete: op("Delete a schedule", { responses: { ...ok(204, "Deleted"), ...errors(404, 503, ...common) } }),
      },
      "/workflows/recurring/{schedule_id}/pause": {
        ...sc,
        post: op("Pause a schedule", {
          responses: { ...ok(200, "Paused", "Schedule"), ...errors(404, 503, ...common) },
        }),
      },
      "/workflows/recurring/{schedule_id}/resume": {
        ...sc,
        post: op("Resume a schedule", {
          responses: { ...ok(200, "Resumed", "Schedule"), ...errors(404, 503, ...common) },
        }),
      },
      "/workflows/recurring/{schedule_id}/run": {
        ...sc,
        post: op("Fire a schedule now", {
          responses: { ...ok(201, "Fired", "RunResult"), ...errors(404, 409, 503, ...common) },
        }),
      },
      "/workflows/recurring/{schedule_id}/firings": {
        ...sc,
        get: op("Firings of a schedule", {
          responses: { ...ok(200, "Firings", "FiringList"), ...errors(404, 503, ...common) },
        }),
      },
      "/workflows/{id}": {
        ...wf,
        get: op("Read a workflow", {
          responses: { ...ok(200, "Workflow", "Workflow"), ...errors(400, 404, ...common) },
        }),
        delete: op("Delete a workflow (cancels it first)", {
          responses: { ...ok(204, "Deleted"), ...errors(400, 404, ...common) },
        }),
      },
      "/workflows/{id}/interrupt": {
        ...wf,
        post: op("Interrupt a workflow", {
          responses: { ...ok(200, "Paused", "Workflow"), ...errors(400, 404, 409, 415, ...common) },
        }),
      },
      "/workflows/{id}/resume": {
        ...wf,
        post: op("Resume or start a workflow", {
          responses: { ...ok(200, "Resumed", "Workflow"), ...errors(400, 404, 409, 415, ...common) },
        }),
      },
      "/workflows/{id}/intervene": {
        ...wf,
        post: op("Edit or decide, atomically", {
          requestBody: body("Intervention"),
          responses: { ...ok(200, "Applied", "Workflow"), ...errors(400, 404, 409, 415, ...common) },
        }),
      },
      "/workflows/{id}/events": {
        ...wf,
        get: op("Event stream (SSE): history, then live, until the workflow ends", {
          responses: {
            200: {
              description: "text/event-stream; each `data:` is an Event",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            ...errors(400, 404, ...common),
          },
        }),
      },
      "/agents": {
        get: op("The agent catalog", {
          responses: { ...ok(200, "Catalog", "AgentCatalog"), ...(common.length ? errors(...common) : {}) },
        }),
      },
      "/openapi.json": {
        get: op("This document", {
          responses: {
            200: { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } },
          },
        }),
      },
    },
    components: {
      ...(options.token ? { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } } : {}),
      schemas: {
        Error: toSchema(errorBodySchema, "output"),
        Workflow: toSchema(schemas.workflowRecordSchema, "output"),
        WorkflowPage: toSchema(
          z.object({ workflows: z.array(schemas.workflowSummarySchema), next_cursor: z.string().nullable() }),
          "output",
        ),
        WorkflowInput: toSchema(schemas.workflowInputSchema, "input"),
        Intervention: toSchema(schemas.interventionSchema, "input"),
        Event: toSchema(schemas.eventRecordSchema, "output"),
        GenerateRequest: toSchema(generateBodySchema, "input"),
        GenerateResult: toSchema(
          z.object({ workflow: schemas.workflowRecordSchema, attempts: z.number().int() }),
          "output",
        ),
        WizardStart: toSchema(wizardStartBodySchema.unwrap(), "input"),
        WizardChat: toSchema(wizardChatBodySchema, "input"),
        WizardReply: toSchema(wizardReplySchema, "output"),
        ScheduleInput: toSchema(scheduleBodySchema, "input"),
        Schedule: toSchema(schemas.scheduleRecordSchema, "output"),
        ScheduleList: toSchema(z.object({ schedules: z.array(schemas.scheduleRecordSchema) }), "output"),
        FiringList: toSchema(z.object({ firings: z.array(schemas.firingRecordSchema) }), "output"),
        RunResult: toSchema(z.object({ workflow_id: z.string() }), "output"),
        AgentCatalog: toSchema(catalogSchema, "output"),
      },
    },
  };
}

const cache = new WeakMap<ResolvedOptions, string>();

/** GET /openapi.json */
export async function openapiDocument({ options }: RouteContext): Promise<Response> {
  let text = cache.get(options);
  if (text === undefined) {
    text = JSON.stringify(buildDocument(options));
    cache.set(options, text);
  }
  return new Response(text, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
}
