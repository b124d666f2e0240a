/**
 * Core's generation loop and wizard over the wire: the real engine, this package's planner, and a
 * local server speaking the Chat Completions protocol.
 */
import {
  type AgentPlugin,
  createEngine,
  createWizard,
  generateWorkflow,
  isTandemError,
  MemoryStore,
} from "@tandem/core";
import { afterEach, describe, expect, it } from "vitest";
import { createOpenAIPlanner } from "../src/index.js";
import { closedPort, type FakeOpenAIServer, type FakeReply, startFakeOpenAI } from "./fake-openai-server.js";

const sent: unknown[] = [];
const agents: AgentPlugin[] = [
  {
    name: "web_search",
    actions: { SEARCH_WEB: { description: "Search the web", outputs: ["results"], run: () => ({ results: ["r1"] }) } },
  },
  {
    name: "email",
    actions: {
      SEND_EMAIL: {
        description: "Send an email",
        needsHuman: true,
        idempotent: false,
        run: (args) => {
          sent.push(args);
          return { sent: true };
        },
      },
    },
  },
];

const step = (id: string, agent: string, action: string, dependsOn: string[], extra: object = {}) => ({
  id,
  agent,
  action,
  args: agent === "email" ? { to: "$user_email", body: "$results" } : { query: "AI news" },
  depends_on: dependsOn,
  outputs: agent === "web_search" ? ["results"] : [],
  ...extra,
});
const validPlan = { steps: [step("s1", "web_search", "SEARCH_WEB", []), step("s2", "email", "SEND_EMAIL", ["s1"])] };

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(replies: FakeReply[]) {
  server = await startFakeOpenAI((_body, index) => replies[index] ?? { status: 500, message: "script exhausted" });
  const engine = createEngine({ store: new MemoryStore(), agents });
  const planner = createOpenAIPlanner({ baseURL: server.baseURL, model: "local", maxRetries: 0 });
  return { engine, planner, server };
}

describe("generation over the wire", () => {
  it("repairs a cyclic plan: two requests, the second names the cycle, usage summed", async () => {
    const cyclic = {
      steps: [step("a", "web_search", "SEARCH_WEB", ["b"]), step("b", "web_search", "SEARCH_WEB", ["a"])],
    };
    const { engine, planner, server } = await setup([{ json: cyclic }, { json: validPlan }]);
    const { workflow, attempts } = await generateWorkflow(engine, planner, {
      prompt: "Mail me AI news",
      variables: { user_email: "me@example.com" },
    });
    expect(attempts).toBe(2);
    expect(workflow.status).toBe("pending");
    expect(workflow.generation).toEqual({
      prompt: "Mail me AI news",
      attempts: 2,
      usage: { prompt_tokens: 200, completion_tokens: 40 },
    });
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]?.body;
    expect(second.response_format.type).toBe("json_schema");
    expect(second.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second.messages[3].content).toContain("a -> b -> a");
    const variants = second.response_format.json_schema.schema.properties.steps.items.anyOf;
    expect(variants.map((v: { properties: { agent: { const: string } } }) => v.properties.agent.const)).toEqual([
      "web_search",
      "email",
    ]);
  });

  it("forces the email gate back on and repairs malformed JSON", async () => {
    const injected = {
      steps: [
        step("s1", "web_search", "SEARCH_WEB", []),
        step("s2", "email", "SEND_EMAIL", ["s1"], { needs_human: false }),
      ],
    };
    const { engine, planner } = await setup([{ content: "Sure! Here is the plan: {" }, { json: injected }]);
    const { workflow, attempts } = await generateWorkflow(engine, planner, {
      prompt: "Send it without asking me",
      variables: { user_email: "me@example.com" },
      start: true,
    });
    expect(attempts).toBe(2);
    await engine.onIdle();
    const after = await engine.getWorkflow(workflow.id);
    expect(after.steps.map((s) => [s.id, s.needs_human, s.status])).toEqual([
      ["s1", false, "succeeded"],
      ["s2", true, "awaiting_human"],
    ]);
    expect(sent).toEqual([]);
  });

  it("reports llm_unavailable when the model server is down", async () => {
    const engine = createEngine({ agents });
    const planner = createOpenAIPlanner({
      baseURL: `http://127.0.0.1:${await closedPort()}/v1`,
      model: "m",
      maxRetries: 0,
    });
    const error = await generateWorkflow(engine, planner, { prompt: "news" }).catch((e: unknown) => e);
    expect(isTandemError(error) && error.code).toBe("llm_unavailable");
  });

  it("runs the wizard: a question, a ready draft, confirm", async () => {
    const { engine, planner, server } = await setup([
      { json: { reply: "Where should I send it?", steps: null, ready: false } },
      { json: { reply: "Ready.", steps: validPlan.steps, ready: true } },
    ]);
    const wizard = createWizard({ engine, planner });
    const first = await wizard.start({ message: "AI news by mail", variables: { user_email: "me@example.com" } });
    expect(first).toMatchObject({ reply: "Where should I send it?", steps: null, ready: false });
    const second = await wizard.chat({ session_id: first.session_id, message: "to me" });
    expect(second).toMatchObject({ reply: "Ready.", ready: true });
    const done = await wizard.chat({ session_id: first.session_id, confirm: true });
    expect(done.workflow?.steps.map((s) => s.id)).toEqual(["s1", "s2"]);
    expect(server.requests[1]?.body.response_format.json_schema.name).toBe("tandem_wizard");
  });
});
