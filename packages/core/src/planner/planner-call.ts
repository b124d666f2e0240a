/**
 * One planner turn as the generation loop and the wizard make it: the one place where errors a
 * planner throws are sorted into "this attempt failed" and "stop".
 * @module
 */
import { isTandemError, type ValidationIssue } from "../errors.js";
import { MAX_VALUE_DEPTH, nestsDeeper } from "../workflow/depth.js";
import type { ChatMessage } from "../workflow/schema.js";
import { failedReplyIssue } from "./plan-reply.js";
import type { Planner, PlannerRequest, PlannerResponse, PlannerUsage } from "./planner.js";

/** A plan reply holds steps holding args: a few levels above the args limit. */
const MAX_REPLY_DEPTH = MAX_VALUE_DEPTH + 8;

export type TurnResult = { ok: true; response: PlannerResponse } | { ok: false; issue: ValidationIssue };

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/**
 * Calls the planner once. TandemErrors (no model, refusal) and aborts propagate; any other
 * error is a reply that could not be read (malformed JSON, cut off) and counts as a failed attempt.
 */
export async function callPlanner(planner: Planner, request: PlannerRequest): Promise<TurnResult> {
  request.signal?.throwIfAborted();
  try {
    const response = await planner.complete({ ...request, messages: mergeConsecutive(request.messages) });
    // Nothing below may walk a reply deeper than a document can be (recursion would overflow).
    if (nestsDeeper(response.value, MAX_REPLY_DEPTH)) {
      const message = `The reply nests deeper than ${MAX_REPLY_DEPTH} levels; args may nest ${MAX_VALUE_DEPTH} at most`;
      return { ok: false, issue: { path: [], code: "too_deep", message } };
    }
    return { ok: true, response };
  } catch (error) {
    if (isTandemError(error) || request.signal?.aborted || isAbort(error)) throw error;
    return { ok: false, issue: failedReplyIssue(error) };
  }
}

/**
 * Joins consecutive messages of the same role: several chat templates of local models (Mistral,
 * Gemma, …) refuse conversations that do not alternate user and assistant.
 */
export function mergeConsecutive(messages: ChatMessage[]): ChatMessage[] {
  const merged: ChatMessage[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last && last.role === message.role)
      merged[merged.length - 1] = { ...last, content: `${last.content}\n\n${message.content}` };
    else merged.push({ ...message });
  }
  return merged;
}

/** Token usage summed over attempts; null while no attempt reported any. */
export function addUsage(total: PlannerUsage | null, usage: PlannerUsage | undefined): PlannerUsage | null {
  if (!usage) return total;
  return {
    prompt_tokens: (total?.prompt_tokens ?? 0) + usage.prompt_tokens,
    completion_tokens: (total?.completion_tokens ?? 0) + usage.completion_tokens,
  };
}
