/**
 * `Planner` on any OpenAI-compatible Chat Completions server.
 * @module
 */
import {
  type ChatMessage,
  type Planner,
  type PlannerRequest,
  type PlannerResponse,
  PlannerUnavailableError,
} from "@tandem/core";
import OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { isResponseFormatRejection, refusalError, toPlannerError } from "./errors.js";
import { type JsonSchema, stripNulls, toStrictSchema } from "./response-format.js";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";
/** Used only when talking to OpenAI itself and no model is given. */
export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

export interface OpenAIPlannerOptions {
  /** API key. Local servers ignore it; required for OpenAI itself. */
  apiKey?: string;
  /** Server root including `/v1`, e.g. `http://127.0.0.1:11434/v1` for Ollama. @default OpenAI */
  baseURL?: string;
  /** Model name. @default "gpt-4o-mini" against OpenAI; required with a custom `baseURL` */
  model?: string;
  /** A configured client to use instead of building one (its baseURL and key are used). */
  client?: OpenAI;
  /** Per HTTP attempt. @default 120_000 */
  timeoutMs?: number;
  /** Retries on connection errors, 408/409/429/5xx, with exponential backoff and `retry-after`. @default 2 */
  maxRetries?: number;
  /**
   * Ask for `strict: true` structured output when the schema allows it; false always sends the
   * schema with `strict: false`. @default true
   */
  strict?: boolean;
  /** Sampling temperature; not sent unless set (some models refuse it). */
  temperature?: number;
}

/** How replies are constrained: the planner steps down this list when a server refuses a mode. */
export type OutputMode = "json_schema" | "json_object" | "none";

export interface OpenAIPlanner extends Planner {
  /** The model in use, or null when none is configured (every call then throws PlannerUnavailableError). */
  readonly model: string | null;
  readonly baseURL: string;
  /** The output mode the next call uses; moves to `json_object` once a server rejects json_schema. */
  readonly outputMode: OutputMode;
}

const NEXT_MODE: Record<OutputMode, OutputMode | null> = {
  json_schema: "json_object",
  json_object: "none",
  none: null,
};

function responseFormat(mode: OutputMode, kind: string, schema: JsonSchema, strictWanted: boolean) {
  if (mode === "json_object") return { type: "json_object" as const };
  if (mode === "none") return undefined;
  const { schema: converted, strict } = toStrictSchema(schema);
  const isStrict = strictWanted && strict;
  return {
    type: "json_schema" as const,
    json_schema: { name: `tandem_${kind}`, schema: isStrict ? converted : schema, strict: isStrict },
  };
}

/** Without json_schema the model never sees the schema, so it goes into the system message. */
function withSchemaInPrompt(messages: ChatMessage[], schema: JsonSchema): ChatMessage[] {
  const hint = `Reply with only a JSON object that follows this JSON Schema:\n${JSON.stringify(schema)}`;
  const [first, ...rest] = messages;
  if (first?.role === "system") return [{ role: "system", content: `${first.content}\n\n${hint}` }, ...rest];
  return [{ role: "system", content: hint }, ...messages];
}

/** Reads the reply's JSON; tolerates the Markdown fences some local models add in plain mode. */
function parseContent(content: string): unknown {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(content);
  const text = fenced ? (fenced[1] ?? "") : content;
  try {
    return JSON.parse(text);
  } catch (error) {
    const shown = content.length > 200 ? `${content.slice(0, 200)}…` : content;
    throw new Error(`The model's reply is not valid JSON (${(error as Error).message}): ${shown}`);
  }
}

/**
 * Creates a planner. Construction never fails for missing configuration: an unconfigured planner
 * throws PlannerUnavailableError on each call, so a server can start without a model and answer 503.
 * Environment variables are not read here; see `createOpenAIPlannerFromEnv`.
 * @example
 * const planner = createOpenAIPlanner({ baseURL: "http://127.0.0.1:11434/v1", model: "qwen2.5:7b" });
 */
export function createOpenAIPlanner(options: OpenAIPlannerOptions = {}): OpenAIPlanner {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxRetries = options.maxRetries ?? 2;
  if (!(timeoutMs > 0)) throw new TypeError(`Expected \`timeoutMs\` to be a positive number, got ${String(timeoutMs)}`);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
    throw new TypeError(`Expected \`maxRetries\` to be an integer from 0 to 10, got ${String(maxRetries)}`);
  }
  const baseURL = options.client?.baseURL ?? options.baseURL ?? OPENAI_BASE_URL;
  const isOpenAI = baseURL.replace(/\/+$/, "") === OPENAI_BASE_URL;
  const model = options.model ?? (isOpenAI ? DEFAULT_OPENAI_MODEL : null);
  let problem: string | null = null;
  if (!options.client && !options.apiKey && !options.baseURL) {
    problem = "No model is configured: set an API key for OpenAI, or a baseURL and model for a local server";
  } else if (!model) {
    problem = `No model name is configured for ${baseURL}`;
  }
  const client =
    options.client ??
    (problem
      ? null
      : new OpenAI({
          // Everything explicit, so the SDK reads no environment variable behind our back.
          apiKey: options.apiKey ?? "not-needed",
          baseURL,
          organization: null,
          project: null,
          timeout: timeoutMs,
          maxRetries,
        }));
  let mode: OutputMode = "json_schema";

  async function send(request: PlannerRequest) {
    if (!client || !model) throw new PlannerUnavailableError(problem ?? "No model is configured");
    const format = responseFormat(mode, request.kind, request.jsonSchema, options.strict ?? true);
    const messages =
      mode === "json_schema" ? request.messages : withSchemaInPrompt(request.messages, request.jsonSchema);
    const body: ChatCompletionCreateParamsNonStreaming = {
      model,
      messages,
      ...(format ? { response_format: format } : {}),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    };
    return client.chat.completions.create(body, { signal: request.signal, timeout: timeoutMs, maxRetries });
  }

  async function complete(request: PlannerRequest): Promise<PlannerResponse> {
    let completion: OpenAI.ChatCompletion;
    for (;;) {
      try {
        completion = await send(request);
        break;
      } catch (error) {
        const next = NEXT_MODE[mode];
        if (next && isResponseFormatRejection(error)) {
          mode = next; // remembered: this server will not take the stricter mode next time either
          continue;
        }
        throw toPlannerError(error, { baseURL, timeoutMs, signal: request.signal });
      }
    }
    const choice = completion.choices?.[0];
    if (!choice) throw new Error("The model server returned no choices");
    const refusal = choice.message?.refusal;
    if (refusal) throw refusalError(refusal);
    if (choice.finish_reason === "content_filter") throw refusalError("the content filter stopped the reply");
    if (choice.finish_reason === "length") throw new Error("The model's reply was cut off at its token limit");
    const content = choice.message?.content;
    if (!content?.trim()) throw new Error("The model's reply is empty");
    const value = stripNulls(parseContent(content), request.jsonSchema);
    const usage = completion.usage
      ? {
          prompt_tokens: completion.usage.prompt_tokens ?? 0,
          completion_tokens: completion.usage.completion_tokens ?? 0,
        }
      : undefined;
    return usage ? { value, usage } : { value };
  }

  return {
    complete,
    model: problem ? null : model,
    baseURL,
    get outputMode() {
      return mode;
    },
  };
}
