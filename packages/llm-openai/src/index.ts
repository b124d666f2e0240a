/**
 * @tandem/llm-openai: a Tandem `Planner` on any OpenAI-compatible Chat Completions server
 * (OpenAI, Ollama, llama.cpp server, vLLM, LM Studio).
 * @module
 */
export type { OpenAIEnv } from "./from-env.js";
export { createOpenAIPlannerFromEnv } from "./from-env.js";
export type { OpenAIPlanner, OpenAIPlannerOptions, OutputMode } from "./openai-planner.js";
export { createOpenAIPlanner, DEFAULT_OPENAI_MODEL, OPENAI_BASE_URL } from "./openai-planner.js";
export type { JsonSchema, StrictSchema } from "./response-format.js";
export { stripNulls, toStrictSchema } from "./response-format.js";
