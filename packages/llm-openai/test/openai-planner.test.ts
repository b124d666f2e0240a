import { type AgentCatalogEntry, isTandemError, type PlannerRequest, planJsonSchema } from "@tandem/core";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAIPlanner, createOpenAIPlannerFromEnv } from "../src/index.js";
import { closedPort, type FakeOpenAIServer, type FakeReply, startFakeOpenAI } from "./fake-openai-server.js";

/** What core's catalog holds for `z.object({ query: z.string(), limit: z.number().int().optional() })`. */
const searchArgsSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    query: { type: "string" },
    limit: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
  },
  required: ["query"],
  additionalProperties: false,
};
const catalog: AgentCatalogEntry[] = [
  {
    name: "web_search",
    description: "Searches the web",
    actions: [
      {
        name: "SEARCH_WEB",
        description: "Search the web",
        args_schema: searchArgsSchema,
        outputs: ["results"],
        idempotent: true,
        needs_human: false,
      },
    ],
  },
];

function planRequest(signal?: AbortSignal): PlannerRequest {
  return {
    kind: "plan",
    messages: [
      { role: "system", content: "Plan workflows. Reply in JSON." },
      { role: "user", content: "Search the news" },
    ],
    catalog,
    jsonSchema: planJsonSchema(catalog),
    signal,
  };
}

/** A step as a strict-mode model writes it: every optional field present, as null. */
const strictStep = {
  id: "s1",
  agent: "web_search",
  action: "SEARCH_WEB",
  args: { query: "AI news", limit: null },
  depends_on: [],
  outputs: ["results"],
  needs_human: null,
  description: null,
  retry: null,
  timeout_ms: null,
};

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: (body: unknown, index: number) => FakeReply | Promise<FakeReply>) {
  server = await startFakeOpenAI(script);
  return server;
}

describe("createOpenAIPlanner", () => {
  it("sends a strict json_schema response_format and strips the nulls strict mode adds", async () => {
    const s = await serve(() => ({
      json: { steps: [strictStep] },
      usage: { prompt_tokens: 321, completion_tokens: 45 },
    }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "local-model", maxRetries: 0 });
    const response = await planner.complete(planRequest());

    expect(response.usage).toEqual({ prompt_tokens: 321, completion_tokens: 45 });
    expect(response.value).toEqual({
      steps: [
        {
          id: "s1",
          agent: "web_search",
          action: "SEARCH_WEB",
          args: { query: "AI news" },
          depends_on: [],
          outputs: ["results"],
        },
      ],
    });
    const body = s.requests[0]?.body;
    expect(s.requests[0]?.path).toBe("/v1/chat/completions");
    expect(body.model).toBe("local-model");
    expect(body.messages).toEqual(planRequest().messages);
    expect(body.response_format.type).toBe("json_schema");
    expect(body.response_format.json_schema.name).toBe("tandem_plan");
    expect(body.response_format.json_schema.strict).toBe(true);
    const root = body.response_format.json_schema.schema;
    expect(root.required).toEqual(["steps"]);
    expect(root.additionalProperties).toBe(false);
    const step = root.properties.steps.items;
    expect(step.additionalProperties).toBe(false);
    expect([...step.required].sort()).toEqual(Object.keys(step.properties).sort());
    expect(step.properties.agent).toEqual({ type: "string", const: "web_search" });
    expect(step.properties.action).toEqual({ type: "string", const: "SEARCH_WEB" });
    expect(step.properties.needs_human.type).toEqual(["boolean", "null"]);
    expect(step.properties.args.required).toEqual(["query", "limit"]);
    expect(step.properties.args.additionalProperties).toBe(false);
    // A number field also takes a whole `$reference`, and, being optional, null.
    expect(step.properties.args.properties.limit.anyOf).toContainEqual({ type: "null" });
    expect(JSON.stringify(root)).not.toMatch(/"default"|"minLength"|"maxLength"|"propertyNames"|"\$schema"/);
  });

  it("falls back to json_object when the server rejects json_schema, and remembers it", async () => {
    const s = await serve((body) => {
      // biome-ignore lint/suspicious/noExplicitAny: request body
      const format = (body as any).response_format?.type;
      if (format === "json_schema") return { status: 400, message: "response_format json_schema is not supported" };
      return { json: { steps: [strictStep] } };
    });
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    expect(planner.outputMode).toBe("json_schema");
    const first = await planner.complete(planRequest());
    expect((first.value as { steps: unknown[] }).steps).toHaveLength(1);
    expect(planner.outputMode).toBe("json_object");
    await planner.complete(planRequest());

    expect(s.requests.map((r) => r.body.response_format?.type)).toEqual(["json_schema", "json_object", "json_object"]);
    const system = s.requests[1]?.body.messages[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain("Plan workflows.");
    expect(system.content).toContain('"SEARCH_WEB"'); // the schema travels in the prompt instead
  });

  it("ends on no response_format when the server refuses json_object too", async () => {
    const s = await serve((body) => {
      // biome-ignore lint/suspicious/noExplicitAny: request body
      const format = (body as any).response_format?.type;
      if (format) return { status: 400, message: `'response_format.type' ${format} is not supported` };
      return { content: '```json\n{"steps": []}\n```' };
    });
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    expect((await planner.complete(planRequest())).value).toEqual({ steps: [] });
    expect(planner.outputMode).toBe("none");
    expect(s.requests.map((r) => r.body.response_format?.type ?? "none")).toEqual([
      "json_schema",
      "json_object",
      "none",
    ]);
  });

  it("does not fall back on a 400 unrelated to response_format", async () => {
    const s = await serve(() => ({ status: 400, message: "This model's maximum context length is 8192 tokens" }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("llm_unavailable");
    expect(planner.outputMode).toBe("json_schema");
    expect(s.requests).toHaveLength(1);
  });

  it("retries a 429 with backoff and then succeeds", async () => {
    const s = await serve((_body, index) =>
      index === 0
        ? { status: 429, message: "Rate limit reached", headers: { "retry-after-ms": "20" } }
        : { json: { steps: [strictStep] } },
    );
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 2 });
    const response = await planner.complete(planRequest());
    expect((response.value as { steps: unknown[] }).steps).toHaveLength(1);
    expect(s.requests).toHaveLength(2);
  });

  it("keeps retries bounded: persistent 503s become llm_unavailable after maxRetries", async () => {
    const s = await serve(() => ({ status: 503, message: "overloaded", headers: { "retry-after-ms": "5" } }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 2 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("llm_unavailable");
    expect(s.requests).toHaveLength(3);
  });

  it("turns a timeout into llm_unavailable naming the limit", async () => {
    const s = await serve(() => ({ hang: true }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", timeoutMs: 150, maxRetries: 0 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("llm_unavailable");
    expect((error as Error).message).toContain("within 150 ms");
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    const s = await serve(() => ({ hang: true }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 2 });
    const controller = new AbortController();
    const pending = planner.complete(planRequest(controller.signal)).catch((e: unknown) => e);
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new Error("user went away");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(s.requests).toHaveLength(1);
  });

  it("reports malformed JSON content as a plain Error (a failed attempt), not a TandemError", async () => {
    const s = await serve(() => ({ content: '{"steps": [ {"id": "s1", ' }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isTandemError(error)).toBe(false);
    expect((error as Error).message).toMatch(/not valid JSON.*"steps"/);
  });

  it("reports a cut-off reply (finish_reason length) as a failed attempt", async () => {
    const s = await serve(() => ({ content: '{"steps": [', finish_reason: "length" }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error)).toBe(false);
    expect((error as Error).message).toContain("cut off");
  });

  it("turns a refusal into a TandemError that quotes it", async () => {
    const s = await serve(() => ({ content: null, refusal: "I can't help with that." }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("plan_invalid");
    expect((error as Error).message).toBe("The model refused to answer: I can't help with that.");
  });

  it("accepts JSON wrapped in a Markdown fence", async () => {
    const s = await serve(() => ({ content: '```json\n{"steps": []}\n```' }));
    const planner = createOpenAIPlanner({ baseURL: s.baseURL, model: "m", maxRetries: 0 });
    expect((await planner.complete(planRequest())).value).toEqual({ steps: [] });
  });

  it("answers llm_unavailable when the server cannot be reached", async () => {
    const port = await closedPort();
    const planner = createOpenAIPlanner({ baseURL: `http://127.0.0.1:${port}/v1`, model: "m", maxRetries: 0 });
    const error = await planner.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("llm_unavailable");
    expect((error as Error).message).toContain(`Cannot reach the model server at http://127.0.0.1:${port}/v1`);
  });

  it("answers llm_unavailable when nothing is configured, without any network call", async () => {
    const none = createOpenAIPlanner({});
    expect(none.model).toBeNull();
    const error = await none.complete(planRequest()).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("llm_unavailable");
    const noModel = createOpenAIPlanner({ baseURL: "http://127.0.0.1:9/v1" });
    const error2 = await noModel.complete(planRequest()).catch((e: unknown) => e);
    expect((error2 as Error).message).toContain("No model name is configured");
    expect(createOpenAIPlanner({ apiKey: "sk-test" }).model).toBe("gpt-4o-mini");
  });

  it("reads OPENAI_* only from the env it is given", () => {
    expect(createOpenAIPlannerFromEnv({})).toBeNull();
    expect(createOpenAIPlannerFromEnv({ OPENAI_MODEL: "m" })).toBeNull();
    const planner = createOpenAIPlannerFromEnv({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "qwen" });
    expect(planner?.model).toBe("qwen");
    expect(planner?.baseURL).toBe("http://127.0.0.1:11434/v1");
    expect(() => createOpenAIPlanner({ maxRetries: 100 })).toThrow(TypeError);
  });
});
