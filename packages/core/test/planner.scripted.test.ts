import { describe, expect, it } from "vitest";
import type { PlannerRequest } from "../src/index.js";
import { ScriptedPlanner } from "../src/testing/index.js";

const request = (content: string, signal?: AbortSignal): PlannerRequest => ({
  kind: "plan",
  messages: [{ role: "user", content }],
  catalog: [],
  jsonSchema: { type: "object" },
  signal,
});

describe("ScriptedPlanner", () => {
  it("answers from a list, throws Error items, records copies of requests, and says when it runs out", async () => {
    const planner = new ScriptedPlanner([{ steps: [] }, new Error("boom")], {
      usage: { prompt_tokens: 1, completion_tokens: 2 },
    });
    const first = request("one");
    expect(await planner.complete(first)).toEqual({
      value: { steps: [] },
      usage: { prompt_tokens: 1, completion_tokens: 2 },
    });
    first.messages.push({ role: "user", content: "changed later" });
    expect(planner.requests[0]?.messages).toEqual([{ role: "user", content: "one" }]);
    await expect(planner.complete(request("two"))).rejects.toThrow("boom");
    await expect(planner.complete(request("three"))).rejects.toThrow("no reply scripted for request #3 (2 scripted)");
    expect(planner.transcript(1)).toBe("user: two");
  });

  it("answers from a function of the request and honours abort while delayed", async () => {
    const planner = new ScriptedPlanner((req, index) => ({ echo: req.messages[0]?.content, index }), {
      delayMs: 5_000,
    });
    const controller = new AbortController();
    const pending = planner.complete(request("hi", controller.signal));
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    const fast = new ScriptedPlanner((req, index) => ({ echo: req.messages[0]?.content, index }));
    expect((await fast.complete(request("hi"))).value).toEqual({ echo: "hi", index: 0 });
  });
});
