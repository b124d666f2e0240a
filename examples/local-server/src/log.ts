/**
 * Readable log lines for a person watching the terminal: one per request, one per workflow
 * transition, and one when a step waits for a decision (with the command that decides it).
 * @module
 */
import type { Engine, EventRecord, Logger } from "@tandem/core";

export type LineWriter = (line: string) => void;

const time = () => new Date().toISOString().slice(11, 23);

function fields(extra?: Record<string, unknown>): string {
  if (!extra) return "";
  return Object.entries(extra)
    .map(([k, v]) => ` ${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("");
}

/** A Logger printing `HH:MM:SS.mmm level message key=value`. */
export function createLineLogger(write: LineWriter): Logger {
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    write(`${time()} ${level} ${message}${fields(extra)}`);
  return { debug: () => {}, info: at("info "), warn: at("warn "), error: at("error") };
}

/** `GET /api/workflows 200 3ms`. */
export function logRequest(write: LineWriter, request: Request, status: number, startedAt: number): void {
  const url = new URL(request.url);
  write(
    `${time()} http  ${request.method} ${url.pathname}${url.search} ${status} ${Math.round(performance.now() - startedAt)}ms`,
  );
}

/** Subscribes to workflow transitions; returns the unsubscribe function. */
export function logTransitions(engine: Engine, write: LineWriter): () => void {
  const onEvent = (event: EventRecord) => {
    if (event.type.startsWith("workflow.")) {
      write(`${time()} flow  ${event.workflow_id} ${event.type.slice(9)}${fields(event.data)}`);
    } else if (event.type === "step.awaiting_human") {
      write(
        `${time()} human ${event.workflow_id}/${event.step_id} awaits a decision: POST /api/workflows/${event.workflow_id}/intervene {"step_id":"${event.step_id}","approve":true}`,
      );
    } else if (event.type === "step.failed") {
      write(`${time()} step  ${event.workflow_id}/${event.step_id} failed${fields(event.data)}`);
    }
  };
  engine.events.on("event", onEvent);
  return () => engine.events.off("event", onEvent);
}
