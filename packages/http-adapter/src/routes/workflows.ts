/**
 * Workflow routes: list, create, read, delete, interrupt, resume, intervene.
 * @module
 */
import {
  type Intervention,
  isTandemError,
  ValidationError,
  type ValidationIssue,
  type WorkflowInput,
} from "@tandem/core";
import { parseWith } from "../body.js";
import { json } from "../errors.js";
import { checkId } from "../guards.js";
import { emptyBodySchema, listQuerySchema } from "../schemas.js";
import type { RouteContext } from "../types.js";

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

/**
 * POST /workflows: a bare step list or `{ name?, steps, variables?, start? }` → 201 workflow.
 * The document is validated by the engine alone, so a 400 carries every issue at once with core's
 * paths; the route only merges its default variables under the document's own.
 */
export async function createWorkflow({ body, options }: RouteContext): Promise<Response> {
  const defaults = options.variables;
  if (Array.isArray(body)) {
    // A bare list keeps the bare-list paths (`[0, "agent"]`) though it travels as `{ steps }`.
    const doc = { steps: body, variables: { ...defaults } };
    return json(201, await options.engine.createWorkflow(doc as WorkflowInput).catch(unwrapSteps));
  }
  return json(201, await options.engine.createWorkflow(withDefaults(body, defaults) as WorkflowInput));
}

/** `{ ...defaults, ...doc.variables }`; anything malformed is passed as it is, for the engine to report. */
function withDefaults(body: unknown, defaults: Readonly<Record<string, unknown>>): unknown {
  if (!isPlainObject(body) || Object.keys(defaults).length === 0) return body;
  if (body.variables !== undefined && !isPlainObject(body.variables)) return body;
  return { ...body, variables: { ...defaults, ...body.variables } };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Re-roots the issues of a bare list sent as `{ steps }`: `["steps", 0, "id"]` → `[0, "id"]`. */
function unwrapSteps(error: unknown): never {
  if (!isTandemError(error) || error.code !== "invalid_workflow" || !Array.isArray(error.details)) throw error;
  const issues = (error.details as ValidationIssue[]).map((issue) =>
    issue.path[0] === "steps" ? { ...issue, path: issue.path.slice(1) } : issue,
  );
  throw new ValidationError(issues);
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
  // The engine validates the whole intervention (unknown fields at their key, added steps as a
  // document): a pre-parse here would stop at the schema and hide the rest.
  return json(200, await options.engine.intervene(id, body as Intervention));
}
