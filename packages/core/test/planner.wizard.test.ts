import { describe, expect, it } from "vitest";
import {
  createEngine,
  createWizard,
  InvalidStateError,
  MemoryStore,
  NotFoundError,
  PlanInvalidError,
  wizardJsonSchema,
} from "../src/index.js";
import { FakeClock, ScriptedPlanner } from "../src/testing/index.js";
import { emailStep, plannerAgents, searchStep } from "./planner-agents.js";

const variables = { user_email: "me@example.com" };
const draft = [searchStep("s1"), emailStep("s2", ["s1"], { needs_human: false })];
const question = { reply: "Which address should I send the results to?", steps: null, ready: false };
const ready = { reply: "I search AI news, then email it to you after your approval.", steps: draft, ready: true };

describe("wizard", () => {
  it("treats a reply nested too deep as a failed attempt and asks again", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 6000; i++) deep = [deep];
    const planner = new ScriptedPlanner([{ ...question, reply: deep }, question]);
    const wizard = createWizard({ engine: createEngine({ agents: plannerAgents() }), planner });
    const first = await wizard.start({ message: "Send me AI news every day", variables });
    expect(first.reply).toBe(question.reply);
    expect(planner.requests).toHaveLength(2);
    expect(planner.requests[1]?.messages.at(-1)?.content).toContain("deeper than");
  });

  it("asks, drafts, survives a restart, and confirms into a gated workflow", async () => {
    const store = new MemoryStore();
    const clock = new FakeClock("2026-01-05T10:00:00Z");
    const planner = new ScriptedPlanner([question, ready]);

    const engine1 = createEngine({ store, clock, agents: plannerAgents() });
    const wizard1 = createWizard({ engine: engine1, planner });
    const first = await wizard1.start({ message: "Send me AI news every day", variables });
    expect(first).toEqual({ session_id: first.session_id, reply: question.reply, steps: null, ready: false });
    expect(planner.requests[0]?.kind).toBe("wizard");
    expect(planner.requests[0]?.jsonSchema).toEqual(wizardJsonSchema(engine1.catalog()));
    expect((await store.getSession(first.session_id))?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);

    // Restart: the first engine closes, a new engine and wizard on the same store carry on.
    await engine1.close();
    const engine2 = createEngine({ store, clock, agents: plannerAgents() });
    const wizard2 = createWizard({ engine: engine2, planner });
    await clock.advance(60_000);
    const second = await wizard2.chat({ session_id: first.session_id, message: "To my usual address, $user_email" });
    expect(second.ready).toBe(true);
    expect(second.reply).toBe(ready.reply);
    expect(second.steps?.map((s) => s.id)).toEqual(["s1", "s2"]);
    // The second request carried the whole conversation after the system prompt.
    expect(planner.requests[1]?.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(planner.requests[1]?.messages[0]?.content).toContain("$user_email");

    const confirmed = await wizard2.chat({ session_id: first.session_id, confirm: true });
    const workflow = confirmed.workflow;
    expect(workflow?.status).toBe("pending");
    expect(workflow?.variables).toEqual(variables);
    expect(workflow?.steps.find((s) => s.id === "s2")?.needs_human).toBe(true); // policy, whatever the draft said
    expect(workflow?.generation).toMatchObject({
      prompt: "Send me AI news every day\nTo my usual address, $user_email",
      attempts: 2,
    });
    expect((await store.getSession(first.session_id))?.workflow_id).toBe(workflow?.id);

    // Confirming again (a retried request) returns the same workflow instead of a duplicate.
    const again = await wizard2.chat({ session_id: first.session_id, confirm: true });
    expect(again.workflow?.id).toBe(workflow?.id);
    expect((await engine2.listWorkflows()).items).toHaveLength(1);
    await expect(wizard2.chat({ session_id: first.session_id, message: "one more thing" })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect(planner.requests).toHaveLength(2);
  });

  it("greets without calling the model, and refuses to confirm without a valid draft", async () => {
    const engine = createEngine({ agents: plannerAgents() });
    const planner = new ScriptedPlanner([]);
    const wizard = createWizard({ engine, planner });
    const opened = await wizard.start();
    expect(opened.reply).toBe("What should the workflow do? I can use these agents: web_search, email.");
    expect(opened.steps).toBeNull();
    expect(planner.requests).toHaveLength(0);
    await expect(wizard.chat({ session_id: opened.session_id, confirm: true })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    // Neither message nor confirm: the session as it stands.
    expect(await wizard.chat({ session_id: opened.session_id })).toMatchObject({ reply: opened.reply, ready: false });
  });

  it("feeds an invalid draft's issues back within the turn and keeps the repaired draft", async () => {
    const engine = createEngine({ agents: plannerAgents() });
    const cyclic = { reply: "Here it is", steps: [searchStep("a", ["b"]), searchStep("b", ["a"])], ready: true };
    const fixed = { reply: "Here it is, fixed", steps: [searchStep("a"), searchStep("b", ["a"])], ready: true };
    const planner = new ScriptedPlanner([cyclic, fixed]);
    const wizard = createWizard({ engine, planner });
    const turn = await wizard.start({ message: "two searches" });
    expect(turn).toMatchObject({ reply: "Here it is, fixed", ready: true });
    expect(turn.steps?.map((s) => s.depends_on)).toEqual([[], ["a"]]);
    expect(planner.transcript(1)).toContain("a -> b -> a");
    // Repair exchanges are not kept in the conversation: only the accepted reply is.
    const session = await engine.store.getSession(turn.session_id);
    expect(session?.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("keeps the last valid draft when the repairs run out, and says so", async () => {
    const engine = createEngine({ agents: plannerAgents() });
    const good = { reply: "One search", steps: [searchStep("s1")], ready: true };
    const bad = {
      reply: "Added an agent",
      steps: [searchStep("s1"), { ...searchStep("s2"), agent: "google" }],
      ready: true,
    };
    const planner = new ScriptedPlanner([good, bad, bad]);
    const wizard = createWizard({ engine, planner, maxRepairs: 1 });
    const opened = await wizard.start({ message: "search" });
    const turn = await wizard.chat({ session_id: opened.session_id, message: "also use google" });
    expect(turn.ready).toBe(false);
    expect(turn.steps?.map((s) => s.id)).toEqual(["s1"]);
    expect(turn.reply).toContain("Added an agent");
    expect(turn.reply).toContain("not valid, so the previous draft is kept");
    expect(turn.reply).toMatch(/steps\.1\.agent: .*google/);
    const confirmed = await wizard.chat({ session_id: opened.session_id, confirm: true });
    expect(confirmed.workflow?.steps.map((s) => s.id)).toEqual(["s1"]);
  });

  it("fails the turn, saving nothing, when no reply of the model can be read", async () => {
    const engine = createEngine({ agents: plannerAgents() });
    const planner = new ScriptedPlanner(() => ({ answer: "hi" }));
    const wizard = createWizard({ engine, planner, maxRepairs: 1 });
    const opened = await wizard.start();
    const error = await wizard.chat({ session_id: opened.session_id, message: "hello" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanInvalidError);
    expect(planner.requests).toHaveLength(2);
    expect((await engine.store.getSession(opened.session_id))?.messages).toEqual([]);
  });

  it("answers NotFoundError for unknown and expired sessions", async () => {
    const clock = new FakeClock("2026-01-05T10:00:00Z");
    const engine = createEngine({ clock, agents: plannerAgents() });
    const wizard = createWizard({ engine, planner: new ScriptedPlanner([]), ttlMs: 60_000 });
    await expect(wizard.chat({ session_id: "nope" })).rejects.toBeInstanceOf(NotFoundError);
    const opened = await wizard.start();
    await clock.advance(30_000);
    await wizard.chat({ session_id: opened.session_id }); // still alive
    await clock.advance(60_001);
    await expect(wizard.chat({ session_id: opened.session_id })).rejects.toMatchObject({ code: "not_found" });
    expect(await engine.store.getSession(opened.session_id)).toBeNull();
  });
});
