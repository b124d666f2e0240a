import { join } from "node:path";
import { createEngine, defineAgent } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir("tandem-result-size-");

describe("a step result above the size cap", () => {
  for (const [name, make] of [
    ["object", () => ({ text: "x".repeat(5 * 1024 * 1024) })],
    ["string", () => "x".repeat(5 * 1024 * 1024)],
  ] as const) {
    it(`fails the step with output_too_large (${name} result) instead of stalling the workflow`, async () => {
      const store = openStore(join(dir, `${name}.db`));
      const agent = defineAgent({ name: "t", actions: { BIG: { description: "big", run: () => make() } } });
      const engine = createEngine({ store, agents: [agent] });
      const wf = await engine.createWorkflow([{ id: "s1", agent: "t", action: "BIG" }]);
      await engine.onIdle();
      const record = await store.getWorkflow(wf.id);
      expect(record?.status).toBe("failed");
      expect(record?.steps[0]?.error?.code).toBe("output_too_large");
      await engine.close();
    });
  }
});
