/**
 * GET /workflows/{id}/events: Server-Sent Events. Past events first, then live ones, until the
 * workflow ends. Whether it has ended is read from its status once the history is out, never from a
 * past event: a failed workflow may have been resumed since. After that, a terminal event arriving
 * live ends the stream. The live listener is attached BEFORE history is read, and events are
 * de-duplicated by `seq`, so nothing committed between the two is lost or sent twice. The listener is
 * removed when the stream ends, when the client goes away (request.signal) or when the body is cancelled.
 * @module
 */
import { type EventRecord, FINISHED_STATUSES } from "@tandem/core";
import { BASE_HEADERS } from "../errors.js";
import { checkId } from "../guards.js";
import type { RouteContext } from "../types.js";

const TERMINAL_EVENTS = new Set(["workflow.completed", "workflow.failed", "workflow.cancelled", "workflow.deleted"]);
/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** Formats one event as an SSE frame: `id` = seq, `event` = type, `data` = the JSON record. */
export function formatEvent(event: EventRecord): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** GET /workflows/{id}/events (honours `Last-Event-ID`, or `?after=<seq>` for clients that cannot set it). */
export async function streamEvents({ request, params, query, options }: RouteContext): Promise<Response> {
  const id = checkId(params.id!);
  const engine = options.engine;
  await engine.getWorkflow(id); // 404 before any stream is opened
  const lastId = Number.parseInt(request.headers.get("last-event-id") ?? query.get("after") ?? "0", 10);
  let lastSeq = Number.isFinite(lastId) && lastId > 0 ? lastId : 0;

  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let backlog: EventRecord[] | null = []; // events that arrive while history is being read
  let closed = false;
  let live = false; // history and backlog sent: from now on a terminal event ends the stream

  const send = (event: EventRecord) => {
    if (closed || event.seq <= lastSeq) return;
    lastSeq = event.seq;
    controller.enqueue(encoder.encode(formatEvent(event)));
    if (live && TERMINAL_EVENTS.has(event.type)) finish();
  };
  const onEvent = (event: EventRecord) => {
    if (event.workflow_id !== id) return;
    if (backlog !== null) backlog.push(event);
    else send(event);
  };
  const heartbeat = setInterval(() => {
    if (!closed) controller.enqueue(encoder.encode(": ping\n\n"));
  }, HEARTBEAT_MS);
  heartbeat.unref?.();
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    engine.events.off("event", onEvent);
    request.signal.removeEventListener("abort", cleanup);
  };
  const finish = () => {
    const wasOpen = !closed;
    cleanup();
    if (wasOpen) controller.close();
  };

  /** Ends the stream when the workflow's current status is finished; re-reads it if events came meanwhile. */
  const finishIfEnded = async () => {
    while (!closed) {
      const seen = lastSeq;
      if (!FINISHED_STATUSES.has((await engine.getWorkflow(id)).status)) return;
      if (lastSeq === seen) finish(); // else events came during the read (a resume?): read again
    }
  };

  const stream = new ReadableStream<Uint8Array>({
    start: async (c) => {
      controller = c;
      engine.events.on("event", onEvent);
      request.signal.addEventListener("abort", cleanup, { once: true });
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      try {
        for (const event of await engine.listEvents(id, lastSeq)) send(event);
        const pending = backlog ?? [];
        backlog = null;
        for (const event of pending) send(event);
        live = true;
        await finishIfEnded();
      } catch {
        finish(); // deleted meanwhile, or the store went away: end the stream cleanly
      }
    },
    cancel: cleanup,
  });

  return new Response(stream, {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-store",
      "x-accel-buffering": "no",
    },
  });
}
