/**
 * Validation of request bodies and query strings with zod, turning every issue into `details`.
 * @module
 */
import type { z } from "zod";
import { HttpError } from "./errors.js";

/** One problem in a request, as sent in `error.details`. */
export interface RequestIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Zod issues → wire issues (symbols in paths become strings). */
export function toIssues(error: z.ZodError): RequestIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    code: issue.code,
    message: issue.message,
  }));
}

/** Parses with `schema` or throws a 400 carrying every issue. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  code = "invalid_request",
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toIssues(result.error);
  throw new HttpError(code, `Invalid ${what}: ${summarize(issues)}`, issues);
}

function summarize(issues: RequestIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
  return shown.join("; ") + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : "");
}
