import { createEngine, type Engine, type EngineOptions, type StepInput } from "@tandem/core";
import { defineTestAgent, type TestAgent } from "@tandem/core/testing";

export interface Harness {
  engine: Engine;
  agent: TestAgent;
}

export function harness(options: EngineOptions = {}): Harness {
  const agent = defineTestAgent("test");
  const engine = createEngine({ ...options, agents: [agent.plugin, ...(options.agents ?? [])] });
  return { engine, agent };
}

export const step = (id: string, action: string, extra: Partial<StepInput> = {}): StepInput => ({
  id,
  agent: "test",
  action,
  ...extra,
});

export async function statuses(engine: Engine, id: string): Promise<Record<string, string>> {
  const wf = await engine.getWorkflow(id);
  return Object.fromEntries(wf.steps.map((s) => [s.id, s.status]));
}
