/**
 * Errors thrown by Tandem. Core knows nothing of HTTP: the http-adapter maps `code` to a status.
 * Every class is branded with `Symbol.for("tandem.error")` so `isTandemError` works across
 * duplicate copies of this package (monorepos, peers), where `instanceof` would not.
 * @module
 */

const BRAND = Symbol.for("tandem.error");

/** Machine-readable error codes; the same strings appear in HTTP error bodies. */
export type TandemErrorCode =
  | "invalid_workflow"
  | "invalid_request"
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "plan_invalid"
  | "llm_unavailable"
  | "store_busy"
  | "store_full"
  | "store_corrupt"
  | "output_too_large"
  | "internal_error";

/** One problem found by validation, located by a path into the submitted document. */
export interface ValidationIssue {
  /** Path into the input, e.g. `["steps", 1, "depends_on", 0]`. */
  path: (string | number)[];
  /** Stable snake_case code, e.g. `duplicate_id`, `cycle`, `unknown_reference`. */
  code: string;
  message: string;
}

export interface TandemErrorOptions {
  details?: unknown[];
  cause?: unknown;
}

export class TandemError extends Error {
  readonly code: TandemErrorCode;
  readonly details: unknown[] | undefined;
  readonly [BRAND] = true;

  constructor(code: TandemErrorCode, message: string, options: TandemErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TandemError";
    this.code = code;
    this.details = options.details;
  }
}

/** Input that fails validation; `issues` lists every problem at once. */
export class ValidationError extends TandemError {
  readonly issues: ValidationIssue[];
  constructor(
    issues: ValidationIssue[],
    message = summarizeIssues(issues),
    code: TandemErrorCode = "invalid_workflow",
  ) {
    super(code, message, { details: issues });
    this.name = "ValidationError";
    this.issues = issues;
  }
}

export class NotFoundError extends TandemError {
  constructor(message: string) {
    super("not_found", message);
    this.name = "NotFoundError";
  }
}

/** A write that conflicts with existing state (duplicate id, agent registered twice, …). */
export class ConflictError extends TandemError {
  constructor(message: string) {
    super("conflict", message);
    this.name = "ConflictError";
  }
}

/** An operation not allowed in the current lifecycle state (resume a completed workflow, …). */
export class InvalidStateError extends TandemError {
  constructor(message: string) {
    super("invalid_state", message);
    this.name = "InvalidStateError";
  }
}

/** The planner's output never validated within the repair bound. */
export class PlanInvalidError extends TandemError {
  readonly issues: ValidationIssue[];
  readonly attempts: number;
  constructor(issues: ValidationIssue[], attempts: number) {
    super(
      "plan_invalid",
      `The model's plan was still invalid after ${attempts} attempt(s): ${summarizeIssues(issues)}`,
      {
        details: issues,
      },
    );
    this.name = "PlanInvalidError";
    this.issues = issues;
    this.attempts = attempts;
  }
}

/** No model configured, or the model server cannot be reached. */
export class PlannerUnavailableError extends TandemError {
  constructor(message: string, options: TandemErrorOptions = {}) {
    super("llm_unavailable", message, options);
    this.name = "PlannerUnavailableError";
  }
}

/**
 * Thrown by an agent when retrying cannot help (bad credentials, a 4xx answer). The step fails at
 * once, whatever attempts its retry policy has left.
 */
export class NonRetryableError extends Error {
  readonly nonRetryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetryableError";
  }
}

export function isTandemError(value: unknown): value is TandemError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Coerces anything thrown into a TandemError; unknown errors become `internal_error`. */
export function toTandemError(value: unknown): TandemError {
  if (isTandemError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TandemError("internal_error", message, { cause: value });
}

export function summarizeIssues(issues: ValidationIssue[]): string {
  if (issues.length === 0) return "invalid input";
  const shown = issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  return shown.join("; ") + more;
}
