/**
 * What the OpenAI SDK throws, turned into what core's loops understand: PlannerUnavailableError
 * (503 `llm_unavailable`) for everything that means "no usable model right now", the caller's
 * abort reason for aborts, and TandemError `plan_invalid` for a refusal.
 * @module
 */
import { PlannerUnavailableError, TandemError } from "@tandem/core";
import OpenAI from "openai";

/** True for a 400/422 that complains about `response_format`: the server lacks that output mode. */
export function isResponseFormatRejection(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || (error.status !== 400 && error.status !== 422)) return false;
  return /response_format|json_schema|json_object|schema|grammar|structured/i.test(error.message);
}

/** Converts an SDK error after its own retries are spent. */
export function toPlannerError(error: unknown, context: { baseURL: string; timeoutMs: number; signal?: AbortSignal }) {
  if (error instanceof OpenAI.APIUserAbortError) {
    return context.signal?.reason ?? new DOMException("The planner call was aborted", "AbortError");
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new PlannerUnavailableError(
      `The model server at ${context.baseURL} did not answer within ${context.timeoutMs} ms`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const cause =
      error.cause instanceof Error
        ? `: ${(error.cause as Error & { cause?: Error }).cause?.message ?? error.cause.message}`
        : "";
    return new PlannerUnavailableError(`Cannot reach the model server at ${context.baseURL}${cause}`, { cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    const what =
      error.status === 401 || error.status === 403
        ? "rejected the API key"
        : error.status === 404
          ? "does not know this model or path (check model and baseURL)"
          : error.status === 429
            ? "is rate limiting us (retries spent)"
            : `answered ${error.status ?? "an error"}`;
    return new PlannerUnavailableError(`The model server at ${context.baseURL} ${what}: ${error.message}`, {
      cause: error,
    });
  }
  if (error instanceof OpenAI.OpenAIError) {
    return new PlannerUnavailableError(`The OpenAI client failed: ${error.message}`, { cause: error });
  }
  return error;
}

/** The model declined to answer (`message.refusal`, or a content filter). */
export function refusalError(reason: string): TandemError {
  return new TandemError("plan_invalid", `The model refused to answer: ${reason}`, {
    details: [{ path: [], code: "refusal", message: reason }],
  });
}
