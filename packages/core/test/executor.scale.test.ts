/**
 * Scale: 10,000-step workflows validate and run in memory, and validating long reference chains
 * stays near-linear (a quadratic validator would not finish a 20,000-step chain within the timeout).
 */
import { AgentRegistry, createEngine, MemoryStore, type StepInput, validateWorkflow } from "@tandem/core";
import { defineTestAgent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";

const TIMEOUT = 30_000;

/** `s0 <- s1 <- … <- s{n-1}`, each echoing its parent's output through a qualified reference. */
function echoChain(n: number): StepInput[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `s${k}`,
    agent: "test",
    action: "ECHO",
    args: { value: k === 0 ? "origin" : `$s${k - 1}.value` },
    depends_on: k === 0 ? [] : [`s${k - 1}`],
    outputs: ["value"],
  }));
}

async function runToEnd(steps: StepInput[]) {
  const agent = defineTestAgent("test");
  const engine = createEngine({ agents: [agent.plugin], store: new MemoryStore(), concurrency: 16 });
  expect(engine.validate(steps)).toEqual([]);
  const created = await engine.createWorkflow(steps);
  await engine.onIdle();
  const wf = await engine.getWorkflow(created.id);
  const events = await engine.listEvents(created.id);
  await engine.close();
  return { wf, events, agent };
}

describe("scale", () => {
  it(
    "a 10,000-step chain validates and runs to completed, the value travelling the whole chain",
    async () => {
      const n = 10_000;
      const { wf, events, agent } = await runToEnd(echoChain(n));
      expect(wf.status).toBe("completed");
      expect(wf.steps).toHaveLength(n);
      expect(wf.steps.every((s) => s.status === "succeeded" && s.attempts === 1)).toBe(true);
      expect(wf.steps[n - 1].result).toEqual({ value: "origin" });
      expect(agent.calls).toHaveLength(n);
      // A chain runs strictly in order.
      expect(agent.calls.every((c, k) => c.stepId === `s${k}`)).toBe(true);
      expect(events.at(-1)?.seq).toBe(events.length);
      expect(events.at(-1)?.type).toBe("workflow.completed");
    },
    TIMEOUT,
  );

  it(
    "a 1 -> 9,998 -> 1 fan-out validates and runs to completed",
    async () => {
      const width = 9_998;
      const steps: StepInput[] = [
        { id: "root", agent: "test", action: "ECHO", args: { value: 1 }, outputs: ["value"] },
        ...Array.from({ length: width }, (_, k) => ({
          id: `b${k}`,
          agent: "test",
          action: "NOOP",
          depends_on: ["root"],
        })),
        {
          id: "join",
          agent: "test",
          action: "ECHO",
          args: { value: "$root.value" },
          depends_on: Array.from({ length: width }, (_, k) => `b${k}`),
        },
      ];
      const { wf, events, agent } = await runToEnd(steps);
      expect(wf.status).toBe("completed");
      expect(wf.steps).toHaveLength(width + 2);
      expect(wf.steps.every((s) => s.status === "succeeded")).toBe(true);
      expect(wf.steps.at(-1)?.resolved_args).toEqual({ value: 1 });
      expect(agent.calls).toHaveLength(width + 2);
      expect(agent.calls[0].stepId).toBe("root");
      expect(agent.calls.at(-1)?.stepId).toBe("join");
      expect(agent.maxConcurrent).toBeLessThanOrEqual(16);
      expect(events.at(-1)?.type).toBe("workflow.completed");
      expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
    },
    TIMEOUT,
  );

  it(
    "validates a 20,000-step chain of qualified parent references",
    () => {
      const registry = new AgentRegistry();
      registry.register(defineTestAgent("test").plugin);
      const n = 20_000;
      const { issues, workflow } = validateWorkflow({ steps: echoChain(n) }, registry);
      expect(issues).toEqual([]);
      expect(workflow?.steps).toHaveLength(n);
      expect(workflow?.bindings.get(`s${n - 1}`)?.get(`$s${n - 2}.value`)).toEqual({
        kind: "output",
        step: `s${n - 2}`,
        name: "value",
        path: [],
      });
    },
    TIMEOUT,
  );

  // Every step naming the first step's output is a common shape ("$s1.results" everywhere). On a
  // chain, answering "is s0 an ancestor?" by walking up from each step costs O(k) for step k, so
  // O(n^2) in all: 60,000 steps take about a minute that way, while linear validation takes about
  // a second, so the 30 s timeout separates the two with a wide margin on a slow machine.
  it(
    "validates a 60,000-step chain where every step references the first step's output",
    () => {
      const registry = new AgentRegistry();
      registry.register(defineTestAgent("test").plugin);
      const n = 60_000;
      const steps = echoChain(n).map((s, k) => {
        if (k === 0) return { ...s, outputs: ["value", "origin"] };
        // Half qualified, half by output name alone: both must bind without walking the chain.
        return { ...s, args: { value: k % 2 ? "$s0.value" : "$origin" }, outputs: [] };
      });
      const { issues, workflow } = validateWorkflow(steps, registry);
      expect(issues).toEqual([]);
      expect(workflow?.bindings.get(`s${n - 1}`)?.get("$s0.value")).toMatchObject({ step: "s0", name: "value" });
      expect(workflow?.bindings.get(`s${n - 2}`)?.get("$origin")).toMatchObject({ step: "s0", name: "origin" });
    },
    TIMEOUT,
  );

  it(
    "reports problems deep in a 20,000-step chain without stalling",
    () => {
      const registry = new AgentRegistry();
      registry.register(defineTestAgent("test").plugin);
      const steps = echoChain(20_000);
      // The last step names the first one's output: an ancestor 19,999 steps up, still valid.
      steps[19_999].args = { value: "$s0.value" };
      // A reference to a later step is not an ancestor.
      steps[10_000].args = { value: "$s15000.value" };
      const codes = validateWorkflow(steps, registry).issues.map(({ code, path }) => ({ code, path }));
      expect(codes).toEqual([{ code: "not_ancestor", path: [10_000, "args", "value"] }]);
    },
    TIMEOUT,
  );
});
