/**
 * The LLM seam: one model turn in, parsed JSON out. No validation lives here; core's
 * `generateWorkflow` and wizard own validate → repair → bounded retry.
 * @module
 */
import type { AgentCatalogEntry } from "../agents/types.js";
import type { ChatMessage } from "../workflow/schema.js";

export interface PlannerRequest {
  /** `plan`: reply `{ steps }`. `wizard`: reply `{ reply, steps | null, ready }`. */
  kind: "plan" | "wizard";
  messages: ChatMessage[];
  catalog: AgentCatalogEntry[];
  /** JSON Schema the reply must follow (for `response_format: json_schema`). */
  jsonSchema: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface PlannerUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface PlannerResponse {
  /** The parsed JSON object of the model's reply. */
  value: unknown;
  usage?: PlannerUsage;
}

export interface Planner {
  /**
   * @throws PlannerUnavailableError when no model is configured or reachable.
   * @throws TandemError `plan_invalid` style errors are not thrown here: malformed replies are
   *   returned as thrown `Error`s with a clear message and treated as a failed attempt.
   */
  complete(request: PlannerRequest): Promise<PlannerResponse>;
}
