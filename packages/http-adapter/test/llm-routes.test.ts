import { ScriptedPlanner } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { errorOf, setup } from "./helpers.js";

const plan = { steps: [{ id: "s1", agent: "test", action: "ECHO", args: { value: "$topic" } }] };
const cyclic = {
  steps: [
    { id: "a", agent: "test", action: "ECHO", args: { value: 1 }, depends_on: ["b"] },
    { id: "b", agent: "test", action: "ECHO", args: { value: 1 }, depends_on: ["a"] },
  ],
};

describe("generate and wizard routes", () => {
  it("503 llm_unavailable without a planner, before reading the body's meaning", async () => {
    const { post } = setup();
    for (const path of ["/api/workflows/generate", "/api/workflows/wizard/start", "/api/workflows/wizard/chat"]) {
      const res = await post(path, { prompt: "x", session_id: "s" });
      expect(res.status).toBe(503);
      expect((await errorOf(res)).code).toBe("llm_unavailable");
    }
  });

  it("generate: 201 { workflow, attempts }, pending by default, default variables merged", async () => {
    const planner = new ScriptedPlanner([cyclic, plan]);
    const { post } = setup({ planner, variables: { topic: "AI" } });
    const res = await post("/api/workflows/generate", { prompt: "echo the topic" });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.attempts).toBe(2);
    expect(body.workflow.status).toBe("pending");
    expect(body.workflow.variables).toEqual({ topic: "AI" });
    expect(JSON.stringify(planner.requests[1]!.messages)).toMatch(/a -> b -> a|b -> a -> b/);
  });

  it("generate: 422 plan_invalid with the last issues when repair gives up; 400 on a bad body", async () => {
    const { post } = setup({ planner: new ScriptedPlanner([cyclic, cyclic, cyclic]) });
    const res = await post("/api/workflows/generate", { prompt: "loop" });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe("plan_invalid");
    expect(error.details!.length).toBeGreaterThan(0);
    const bad = await post("/api/workflows/generate", { prompt: "", extra: 1 });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details).toHaveLength(2);
  });

  it("wizard: start (201), chat, confirm creates the workflow; unknown session 404", async () => {
    const planner = new ScriptedPlanner([
      { reply: "What topic?", steps: null, ready: false },
      { reply: "Here is the plan", steps: plan.steps, ready: true },
    ]);
    const { post } = setup({ planner, variables: { topic: "AI" } });
    const start = await post("/api/workflows/wizard/start", { message: "echo something" });
    expect(start.status).toBe(201);
    const turn1 = await start.json();
    expect(turn1).toMatchObject({ reply: "What topic?", steps: null, ready: false });
    const chat = await post("/api/workflows/wizard/chat", {
      session_id: turn1.session_id,
      message: "the topic variable",
    });
    expect(chat.status).toBe(200);
    expect(await chat.json()).toMatchObject({ ready: true, steps: [expect.objectContaining({ id: "s1" })] });
    const confirm = await post("/api/workflows/wizard/chat", { session_id: turn1.session_id, confirm: true });
    expect(confirm.status).toBe(200);
    expect((await confirm.json()).workflow).toMatchObject({
      status: "pending",
      steps: [expect.objectContaining({ id: "s1" })],
    });
    const unknown = await post("/api/workflows/wizard/chat", { session_id: "nope", message: "hi" });
    expect(unknown.status).toBe(404);
    const bad = await post("/api/workflows/wizard/chat", { message: "no session" });
    expect(bad.status).toBe(400);
  });
});
