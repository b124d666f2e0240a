/**
 * Recurring workflows through the `Scheduler` seam: list, create, read, delete, pause, resume, run now,
 * and the record of firings. Without a scheduler every route answers 503 `scheduler_unavailable`.
 * @module
 */
import type { ScheduleInput, Scheduler } from "@tandem/core";
import { parseWith } from "../body.js";
import { HttpError, json } from "../errors.js";
import { checkId } from "../guards.js";
import { scheduleBodySchema } from "../schemas.js";
import type { RouteContext } from "../types.js";

function schedulerOf({ options }: RouteContext): Scheduler {
  if (options.scheduler === undefined) {
    throw new HttpError("scheduler_unavailable", "Recurring workflows are not enabled on this server (no scheduler)");
  }
  return options.scheduler;
}

/** GET /workflows/recurring → `{ schedules }`. */
export async function listSchedules(ctx: RouteContext): Promise<Response> {
  return json(200, { schedules: await schedulerOf(ctx).listSchedules() });
}

/**
 * POST /workflows/recurring → 201 schedule; 400 on a bad cron, timezone or template. The server's
 * default variables go to the scheduler separately, so they sit under a `workflow_id` template's
 * own variables as well as under the request's: defaults < template < request.
 */
export async function createSchedule(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  const input = parseWith(scheduleBodySchema, ctx.body, "schedule") as ScheduleInput;
  return json(201, await scheduler.createSchedule(input, { defaultVariables: ctx.options.variables ?? {} }));
}

/** GET /workflows/recurring/{schedule_id} */
export async function getSchedule(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  return json(200, await scheduler.getSchedule(checkId(ctx.params.id!, "schedule_id")));
}

/** DELETE /workflows/recurring/{schedule_id} → 204; 404 unknown. */
export async function deleteSchedule(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  await scheduler.deleteSchedule(checkId(ctx.params.id!, "schedule_id"));
  return new Response(null, { status: 204 });
}

/** POST /workflows/recurring/{schedule_id}/pause → 200 schedule. */
export async function pauseSchedule(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  return json(200, await scheduler.pauseSchedule(checkId(ctx.params.id!, "schedule_id")));
}

/** POST /workflows/recurring/{schedule_id}/resume → 200 schedule. */
export async function resumeSchedule(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  return json(200, await scheduler.resumeSchedule(checkId(ctx.params.id!, "schedule_id")));
}

/** POST /workflows/recurring/{schedule_id}/run → 201 `{ workflow_id }` (fires now, outside the cron). */
export async function runSchedule(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  return json(201, await scheduler.runNow(checkId(ctx.params.id!, "schedule_id")));
}

/** GET /workflows/recurring/{schedule_id}/firings → `{ firings }`, most recent first. */
export async function listFirings(ctx: RouteContext): Promise<Response> {
  const scheduler = schedulerOf(ctx);
  const id = checkId(ctx.params.id!, "schedule_id");
  await scheduler.getSchedule(id);
  return json(200, { firings: await scheduler.listFirings(id, 100) });
}
