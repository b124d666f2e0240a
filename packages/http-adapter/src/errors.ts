/**
 * The one place where error codes become HTTP statuses, and where every error response is shaped as
 * `{ "error": { "code", "message", "details"? } }`. Core knows nothing of HTTP (STYLE.md 3.5).
 * @module
 */
import { isTandemError, type Logger } from "@tandem/core";
import { jsonResponse } from "./json-response.js";

/** Codes answered by the adapter itself, besides core's `TandemErrorCode`s. */
export type HttpErrorCode =
  | "forbidden_host"
  | "forbidden_origin"
  | "unauthorized"
  | "unsupported_media_type"
  | "payload_too_large"
  | "method_not_allowed"
  | "scheduler_unavailable"
  | "feature_unavailable";

/** Code → status. Unknown codes answer 500. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  invalid_workflow: 400,
  invalid_request: 400,
  unauthorized: 401,
  forbidden_host: 403,
  forbidden_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_state: 409,
  payload_too_large: 413,
  output_too_large: 413,
  unsupported_media_type: 415,
  plan_invalid: 422,
  internal_error: 500,
  store_corrupt: 500,
  llm_unavailable: 503,
  store_busy: 503,
  scheduler_unavailable: 503,
  feature_unavailable: 503,
  store_full: 507,
};

/** An error the adapter raises while checking a request; carries its own code. */
export class HttpError extends Error {
  readonly code: string;
  readonly details: unknown[] | undefined;
  readonly headers: Record<string, string> | undefined;
  constructor(code: HttpErrorCode | string, message: string, details?: unknown[], headers?: Record<string, string>) {
    super(message);
    this.name = "HttpError";
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** Headers on every response: no sniffing, no caching of API answers. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/** A JSON response with the base headers (built lazily; see json-response.ts). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, JSON.stringify(body), {
    ...BASE_HEADERS,
    "content-type": "application/json; charset=utf-8",
    ...headers,
  });
}

/** The error body for a code; status from {@link STATUS_BY_CODE}. */
export function errorResponse(
  code: string,
  message: string,
  details?: unknown[],
  headers?: Record<string, string>,
): Response {
  const error: { code: string; message: string; details?: unknown[] } = { code, message };
  if (details !== undefined) error.details = details;
  return json(STATUS_BY_CODE[code] ?? 500, { error }, headers);
}

/**
 * Turns anything thrown into an error response. Tandem and adapter errors keep their code and
 * message; anything else is logged (with its stack, in the log only) and answered `internal_error`.
 */
export function toErrorResponse(error: unknown, logger: Logger): Response {
  if (error instanceof HttpError) return errorResponse(error.code, error.message, error.details, error.headers);
  if (isTandemError(error)) {
    if (error.code === "internal_error" || !(error.code in STATUS_BY_CODE)) {
      logger.error("internal error", { error: describe(error) });
      return errorResponse("internal_error", "Internal error; see the server log.");
    }
    return errorResponse(error.code, error.message, error.details);
  }
  logger.error("unexpected error", { error: describe(error) });
  return errorResponse("internal_error", "Internal error; see the server log.");
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
