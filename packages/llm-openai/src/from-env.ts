/**
 * The documented environment defaults, read only when asked to.
 * @module
 */
import { createOpenAIPlanner, type OpenAIPlanner, type OpenAIPlannerOptions } from "./openai-planner.js";

/** The variables read, and nothing else. */
export interface OpenAIEnv {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_MODEL?: string;
  [name: string]: string | undefined;
}

/**
 * Builds a planner from `OPENAI_API_KEY`, `OPENAI_BASE_URL` and `OPENAI_MODEL` (empty strings
 * count as unset); `overrides` win over the environment. Returns null when neither a key nor a
 * base URL is set, so a server can answer 503 `llm_unavailable` without a planner.
 * @example
 * const planner = createOpenAIPlannerFromEnv(); // e.g. OPENAI_BASE_URL=http://127.0.0.1:11434/v1 OPENAI_MODEL=qwen2.5:7b
 */
export function createOpenAIPlannerFromEnv(
  env: OpenAIEnv = process.env,
  overrides: Omit<OpenAIPlannerOptions, "apiKey" | "baseURL" | "model"> = {},
): OpenAIPlanner | null {
  const read = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const apiKey = read("OPENAI_API_KEY");
  const baseURL = read("OPENAI_BASE_URL");
  const model = read("OPENAI_MODEL");
  if (!apiKey && !baseURL) return null;
  return createOpenAIPlanner({ ...overrides, apiKey, baseURL, model });
}
