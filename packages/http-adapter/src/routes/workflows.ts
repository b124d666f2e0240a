/**
 * Workflow routes: list, create, read, delete, interrupt, resume, intervene.
 * @module
 */
import { schemas } from "@tandem/core";
import { z } from "zod";
import { parseWith } from "../body.js";
import { json } from "../errors.js";
import { checkId } from "../guards.js";
import { emptyBodySchema, listQuerySchema } from "../schemas.js";
import type { RouteContext } from "../types.js";

const stepListSchema = z.array(schemas.stepSpecSchema);

/** GET /workflows → `{ workflows, next_cursor }`, newest first. */
export async function listWorkflows({ query, options }: RouteContext): Promise<Response> {
  const q = parseWith(listQuerySchema, Object.fromEntries(query), "query string");
  const page = await options.engine.listWorkflows({
    status: q.status,
    scheduleId: q.schedule_id,
    limit: q.limit,
    cursor: q.cursor,
  });
  return json(200, { workflows: page.items, next_cursor: page.nextCursor });
}

/** POST /workflows: a bare step list or `{ name?, steps, variables?, start? }` → 201 workflow. */
export async function createWorkflow({ body, options }: RouteContext): Promise<Response> {
  const input = Array.isArray(body)
    ? parseWith(stepListSchema, body, "workflow", "invalid_workflow")
    : parseWith(schemas.workflowDocumentSchema, body, "workflow", "invalid_workflow");
  const doc = Array.isArray(input) ? { steps: input } : input;
  const workflow = await options.engine.createWorkflow({
    ...doc,
    variables: { ...options.variables, ...doc.variables },
  });
  return json(201, workflow);
}

/** GET /workflows/{id} */
export async function getWorkflow({ params, options }: RouteContext): Promise<Response> {
  return json(200, await options.engine.getWorkflow(checkId(params.id!)));
}

/** DELETE /workflows/{id} → 204 (cancels a running workflow first). */
export async function deleteWorkflow({ params, options }: RouteContext): Promise<Response> {
  await options.engine.deleteWorkflow(checkId(params.id!));
  return new Response(null, { status: 204 });
}

/** POST /workflows/{id}/interrupt → 200 workflow; 409 when finished. */
export async function interruptWorkflow({ params, body, options }: RouteContext): Promise<Response> {
  const id = checkId(params.id!);
  parseWith(emptyBodySchema, body, "body");
  return json(200, await options.engine.interrupt(id));
}

/** POST /workflows/{id}/resume → 200 workflow; 409 when completed or cancelled. */
export async function resumeWorkflow({ params, body, options }: RouteContext): Promise<Response> {
  const id = checkId(params.id!);
  parseWith(emptyBodySchema, body, "body");
  return json(200, await options.engine.resume(id));
}

/** POST /workflows/{id}/intervene → 200 workflow; 400 invalid; 409 when the target step already ran. */
export async function interveneWorkflow({ params, body, options }: RouteContext): Promise<Response> {
  const id = checkId(params.id!);
  const intervention = parseWith(schemas.interventionSchema, body, "intervention");
  return json(200, await options.engine.intervene(id, intervention));
}
