import { describe, expect, it } from "vitest";
import type { AgentCatalogEntry } from "../agents/types.js";
import { readPlanReply, readWizardReply } from "./plan-reply.js";
import { MAX_STEP_VARIANTS, planJsonSchema, stepJsonSchema, wizardJsonSchema } from "./plan-schema.js";
import { mergeConsecutive } from "./planner-call.js";
import { planSystemPrompt, repairMessage } from "./prompt.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests walk JSON Schemas freely
type Loose = any;

const action = (name: string, args_schema: Record<string, unknown> | null = null) => ({
  name,
  description: `does ${name}`,
  args_schema,
  outputs: ["results"],
  idempotent: true,
  needs_human: false,
});

const catalog: AgentCatalogEntry[] = [
  {
    name: "web_search",
    description: "Searches",
    actions: [
      action("SEARCH_WEB", {
        type: "object",
        properties: { query: { type: "string" }, limit: { type: "integer" } },
        required: ["query"],
        additionalProperties: false,
      }),
    ],
  },
  { name: "email", description: null, actions: [{ ...action("SEND_EMAIL"), idempotent: false, needs_human: true }] },
];

describe("planJsonSchema", () => {
  it("has one step variant per action with the names as consts and that action's args", () => {
    const schema = planJsonSchema(catalog) as { properties: { steps: { items: { anyOf: Loose[] } } } };
    const variants = schema.properties.steps.items.anyOf;
    expect(variants.map((v) => [v.properties.agent.const, v.properties.action.const])).toEqual([
      ["web_search", "SEARCH_WEB"],
      ["email", "SEND_EMAIL"],
    ]);
    expect(variants[0]?.required).toEqual(["id", "agent", "action"]);
    expect(variants[0]?.additionalProperties).toBe(false);
    // A non-string arg also takes a whole `$reference`; a string arg already does.
    expect(variants[0]?.properties.args.properties.limit.anyOf[1].pattern).toBe("^\\$[A-Za-z_][A-Za-z0-9_.-]*$");
    expect(variants[0]?.properties.args.properties.query).toEqual({ type: "string" });
    expect(variants[1]?.properties.args).toEqual({ type: "object" });
  });

  it("falls back to name enums for large catalogs", () => {
    const big: AgentCatalogEntry[] = [
      {
        name: "many",
        description: null,
        actions: Array.from({ length: MAX_STEP_VARIANTS + 1 }, (_, i) => action(`A${i}`)),
      },
    ];
    const step = stepJsonSchema(big) as Loose;
    expect(step.anyOf).toBeUndefined();
    expect(step.properties.agent.enum).toEqual(["many"]);
    expect(step.properties.action.enum).toHaveLength(MAX_STEP_VARIANTS + 1);
  });

  it("lets the wizard reply carry null steps", () => {
    const schema = wizardJsonSchema(catalog) as Loose;
    expect(schema.required).toEqual(["reply", "steps", "ready"]);
    expect(schema.properties.steps.anyOf[1]).toEqual({ type: "null" });
  });
});

describe("prompts and replies", () => {
  it("tells the model the rules, the catalog, the human gates and the variable names only", () => {
    const prompt = planSystemPrompt(catalog, { user_email: "secret@example.com" });
    expect(prompt).toContain(
      'action "SEND_EMAIL": does SEND_EMAIL (always needs a person\'s approval, not idempotent)',
    );
    expect(prompt).toContain("never chain independent steps");
    expect(prompt).toContain("$user_email");
    expect(prompt).not.toContain("secret@example.com");
  });

  it("lists every issue with its path in the repair message", () => {
    const text = repairMessage([
      { path: ["steps", 0, "depends_on"], code: "cycle", message: "Cycle: a -> b -> a" },
      { path: [], code: "malformed_reply", message: "not an object" },
    ]);
    expect(text).toContain("- steps.0.depends_on: Cycle: a -> b -> a [cycle]");
    expect(text).toContain("- (root): not an object [malformed_reply]");
  });

  it("reads plan and wizard replies, dropping null step fields and refusing other shapes", () => {
    expect(readPlanReply({ steps: [{ id: "a", description: null, args: { x: null } }] })).toEqual({
      ok: true,
      value: [{ id: "a", args: { x: null } }],
    });
    expect(readPlanReply([1, 2])).toMatchObject({ ok: false, issues: [{ path: [], code: "malformed_reply" }] });
    expect(readPlanReply({ plan: [] })).toMatchObject({ ok: false, issues: [{ path: ["steps"] }] });
    expect(readWizardReply({ reply: "Hi", steps: null, ready: true })).toEqual({
      ok: true,
      value: { reply: "Hi", steps: null, ready: true },
    });
    expect(readWizardReply({ reply: 3 })).toMatchObject({ ok: false, issues: [{ path: ["reply"] }] });
  });

  it("merges consecutive messages of one role for templates that need alternation", () => {
    expect(
      mergeConsecutive([
        { role: "user", content: "a" },
        { role: "user", content: "b" },
        { role: "assistant", content: "c" },
      ]),
    ).toEqual([
      { role: "user", content: "a\n\nb" },
      { role: "assistant", content: "c" },
    ]);
  });
});
