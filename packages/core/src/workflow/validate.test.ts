// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is the braced reference form under test, not a template.
import { describe, expect, it } from "vitest";
import { AgentRegistry } from "../agents/registry.js";
import { defineTestAgent } from "../testing/test-agent.js";
import { validateWorkflow } from "./validate.js";

const registry = new AgentRegistry();
registry.register(defineTestAgent("test").plugin);

type Raw = Record<string, unknown>;
const step = (id: string, action = "NOOP", extra: Raw = {}): Raw => ({ id, agent: "test", action, ...extra });
const echo = (id: string, value: unknown, extra: Raw = {}): Raw => step(id, "ECHO", { args: { value }, ...extra });

const issuesOf = (input: unknown, variables?: Record<string, unknown>) =>
  validateWorkflow(input, registry, variables ? { variables } : {}).issues;
/** The (code, path) pairs, which is what callers rely on; messages are for people. */
const codes = (input: unknown, variables?: Record<string, unknown>) =>
  issuesOf(input, variables).map(({ code, path }) => ({ code, path }));

describe("validateWorkflow: valid documents", () => {
  it("accepts the bare-list form and fills defaults", () => {
    const { issues, workflow } = validateWorkflow([step("a"), step("b", "NOOP", { depends_on: ["a"] })], registry);
    expect(issues).toEqual([]);
    expect(workflow?.name).toBeNull();
    expect(workflow?.steps[0]).toMatchObject({ args: {}, depends_on: [], outputs: [], needs_human: false });
    expect(workflow?.index.ids).toEqual(["a", "b"]);
  });

  it("accepts the object form with name, variables and start", () => {
    const { issues, workflow } = validateWorkflow(
      { name: "daily", steps: [echo("a", "$who")], variables: { who: "ann" }, start: false },
      registry,
    );
    expect(issues).toEqual([]);
    expect(workflow).toMatchObject({ name: "daily", variables: { who: "ann" }, start: false });
  });

  it("binds references to ancestors' outputs, qualified names and variables", () => {
    const { issues, workflow } = validateWorkflow(
      {
        steps: [
          echo("s1", "x", { outputs: ["value"] }),
          echo("mid-step", "$value", { depends_on: ["s1"], outputs: ["other"] }),
          echo("s3", "$s1.value.items.0.title for $user_email and ${other}, $mid-step.other", {
            depends_on: ["mid-step"],
          }),
        ],
        variables: { user_email: "a@example.com" },
      },
      registry,
    );
    expect(issues).toEqual([]);
    const s3 = workflow?.bindings.get("s3");
    expect(s3?.get("$s1.value.items.0.title")).toEqual({
      kind: "output",
      step: "s1",
      name: "value",
      path: ["items", "0", "title"],
    });
    expect(s3?.get("$user_email")).toEqual({ kind: "variable", name: "user_email", path: [] });
    expect(s3?.get("${other}")).toEqual({ kind: "output", step: "mid-step", name: "other", path: [] });
    expect(s3?.get("$mid-step.other")).toEqual({ kind: "output", step: "mid-step", name: "other", path: [] });
    expect(workflow?.bindings.get("mid-step")?.get("$value")).toMatchObject({ kind: "output", step: "s1" });
  });

  it("resolves variables given as options as well as the document's", () => {
    expect(codes([echo("a", "$user_email")], { user_email: "x@example.com" })).toEqual([]);
    expect(codes({ steps: [echo("a", "$v.deep.path")], variables: { v: {} } })).toEqual([]);
  });

  it("prefers an ancestor's output over a variable of the same name", () => {
    const { workflow } = validateWorkflow(
      {
        steps: [echo("a", 1, { outputs: ["value"] }), echo("b", "$value", { depends_on: ["a"] })],
        variables: { value: 0 },
      },
      registry,
    );
    expect(workflow?.bindings.get("b")?.get("$value")).toMatchObject({ kind: "output", step: "a" });
  });

  it("a variable wins over an output published by a non-ancestor", () => {
    const { issues, workflow } = validateWorkflow(
      { steps: [echo("a", 1, { outputs: ["value"] }), echo("b", "$value")], variables: { value: 0 } },
      registry,
    );
    expect(issues).toEqual([]);
    expect(workflow?.bindings.get("b")?.get("$value")).toMatchObject({ kind: "variable", name: "value" });
  });

  it("is not confused by $$ and literal $ in args", () => {
    expect(codes([echo("a", "costs $$5, or $5, $$name")])).toEqual([]);
  });

  it("accepts an ambiguous name when it is qualified, and one publisher shadowing none", () => {
    const doc = [
      echo("a", 1, { outputs: ["value"] }),
      echo("b", 2, { outputs: ["value"] }),
      echo("c", "$a.value + $b.value", { depends_on: ["a", "b"] }),
    ];
    expect(codes(doc)).toEqual([]);
  });
});

describe("validateWorkflow: every rule, with code and path", () => {
  it("duplicate ids", () => {
    expect(codes([step("a"), step("b"), step("a")])).toEqual([{ code: "duplicate_id", path: [2, "id"] }]);
  });

  it("unknown depends_on", () => {
    expect(codes([step("a"), step("b", "NOOP", { depends_on: ["a", "zz"] })])).toEqual([
      { code: "unknown_dependency", path: [1, "depends_on", 1] },
    ]);
  });

  it("self-dependency", () => {
    expect(codes([step("a", "NOOP", { depends_on: ["a"] })])).toEqual([
      { code: "self_dependency", path: [0, "depends_on", 0] },
    ]);
  });

  it("a 2-cycle named a -> b -> a", () => {
    const issues = issuesOf([step("a", "NOOP", { depends_on: ["b"] }), step("b", "NOOP", { depends_on: ["a"] })]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "cycle", path: [0, "depends_on"] });
    expect(issues[0].message).toContain("a -> b -> a");
  });

  it("a 3-cycle named in execution order, without the steps leading into it", () => {
    const issues = issuesOf([
      step("start"),
      step("a", "NOOP", { depends_on: ["start", "c"] }),
      step("b", "NOOP", { depends_on: ["a"] }),
      step("c", "NOOP", { depends_on: ["b"] }),
      step("after", "NOOP", { depends_on: ["c"] }),
    ]);
    expect(issues.map((i) => i.code)).toEqual(["cycle"]);
    expect(issues[0].path).toEqual([1, "depends_on"]);
    expect(issues[0].message).toContain("a -> b -> c -> a");
    expect(issues[0].message).not.toContain("start");
    expect(issues[0].message).not.toContain("after");
  });

  it("unknown agent and unknown action", () => {
    expect(codes([{ id: "a", agent: "nobody", action: "X" }, step("b", "NOPE")])).toEqual([
      { code: "unknown_agent", path: [0, "agent"] },
      { code: "unknown_action", path: [1, "action"] },
    ]);
  });

  it("args failing the action's schema (TYPED takes { count: number })", () => {
    expect(codes([step("a", "TYPED", { args: { count: "three" } }), step("b", "TYPED")])).toEqual([
      { code: "invalid_type", path: [0, "args", "count"] },
      { code: "invalid_type", path: [1, "args", "count"] },
    ]);
    expect(codes([step("a", "TYPED", { args: { count: 3 } })])).toEqual([]);
  });

  it("a $reference in place of a typed arg is accepted at validation time", () => {
    expect(codes({ steps: [step("a", "TYPED", { args: { count: "$n" } })], variables: { n: 3 } })).toEqual([]);
    expect(
      codes([
        echo("s1", 3, { outputs: ["value"] }),
        step("a", "TYPED", { args: { count: "$s1.value" }, depends_on: ["s1"] }),
      ]),
    ).toEqual([]);
  });

  it("...but the reference itself must still resolve", () => {
    expect(codes([step("a", "TYPED", { args: { count: "$nothing" } })])).toEqual([
      { code: "unknown_reference", path: [0, "args", "count"] },
    ]);
  });

  it("unresolved references", () => {
    expect(codes([echo("a", "$nothing"), echo("b", { deep: ["x", "hello $who"] })])).toEqual([
      { code: "unknown_reference", path: [0, "args", "value"] },
      { code: "unknown_reference", path: [1, "args", "value", "deep", 1] },
    ]);
  });

  it("ambiguous references: two ancestors publish the same name, used unqualified", () => {
    const issues = issuesOf([
      echo("a", 1, { outputs: ["value"] }),
      echo("b", 2, { outputs: ["value"] }),
      echo("c", "$value", { depends_on: ["a", "b"] }),
    ]);
    expect(issues.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: "ambiguous_reference", path: [2, "args", "value"] },
    ]);
    expect(issues[0].message).toMatch(/\ba\b.*\bb\b/);
  });

  it("ambiguity counts transitive ancestors too", () => {
    const doc = [
      echo("a", 1, { outputs: ["value"] }),
      echo("b", 2, { depends_on: ["a"], outputs: ["value"] }),
      echo("c", "$value", { depends_on: ["b"] }),
    ];
    expect(codes(doc)).toEqual([{ code: "ambiguous_reference", path: [2, "args", "value"] }]);
  });

  it("reference to a non-ancestor step's output, qualified or not", () => {
    const doc = [
      echo("a", 1, { outputs: ["value"] }),
      echo("b", "$a.value"),
      echo("c", "$value", { depends_on: ["b"] }),
      echo("d", "$e.value"),
      echo("e", 1, { outputs: ["value"], depends_on: ["d"] }),
    ];
    expect(codes(doc)).toEqual([
      { code: "not_ancestor", path: [1, "args", "value"] },
      { code: "not_ancestor", path: [2, "args", "value"] },
      { code: "not_ancestor", path: [3, "args", "value"] },
    ]);
  });

  it("qualified reference to an output the step does not declare", () => {
    const doc = [
      echo("s1", 1, { outputs: ["value"] }),
      echo("s2", "$s1.results", { depends_on: ["s1"] }),
      echo("s3", "$s1", { depends_on: ["s1"] }),
    ];
    expect(codes(doc)).toEqual([
      { code: "unknown_output", path: [1, "args", "value"] },
      { code: "unknown_output", path: [2, "args", "value"] },
    ]);
  });

  it("unknown fields in a step and in the document", () => {
    expect(codes([step("a", "NOOP", { bogus: 1, dependsOn: [] })])).toEqual([
      { code: "unknown_field", path: [0, "bogus"] },
      { code: "unknown_field", path: [0, "dependsOn"] },
    ]);
    expect(codes({ steps: [step("a")], extra: true })).toEqual([{ code: "unknown_field", path: ["extra"] }]);
    expect(codes({ steps: [step("a", "NOOP", { retry: { max_attempts: 2, wait: 1 } })] })).toEqual([
      { code: "unknown_field", path: ["steps", 0, "retry", "wait"] },
    ]);
  });

  it("an output declared twice by one step", () => {
    expect(codes([step("a", "ECHO", { args: { value: 1 }, outputs: ["value", "other", "value"] })])).toEqual([
      { code: "duplicate_output", path: [0, "outputs", 2] },
    ]);
  });

  it("an unknown field does not hide the step's unknown agent or action", () => {
    expect(codes([{ id: "a", agent: "nosuch", action: "X", bogus: 1 }, step("b", "NOPE", { extra: 2 })])).toEqual(
      expect.arrayContaining([
        { code: "unknown_field", path: [0, "bogus"] },
        { code: "unknown_agent", path: [0, "agent"] },
        { code: "unknown_field", path: [1, "extra"] },
        { code: "unknown_action", path: [1, "action"] },
      ]),
    );
  });

  it("bad ids, in id and in depends_on", () => {
    expect(codes([step("bad id!"), step("x".repeat(65)), step("ok", "NOOP", { depends_on: ["no/slash"] })])).toEqual([
      { code: "invalid_format", path: [0, "id"] },
      { code: "invalid_format", path: [1, "id"] },
      { code: "invalid_format", path: [2, "depends_on", 0] },
    ]);
    expect(codes([step("x".repeat(64)), step("A-b_9")])).toEqual([]);
  });

  it("empty step list, in both forms", () => {
    expect(codes([])).toEqual([{ code: "empty_workflow", path: [] }]);
    expect(codes({ steps: [] })).toEqual([{ code: "empty_workflow", path: ["steps"] }]);
  });

  it("steps that are not an array, missing steps, and input of the wrong type", () => {
    expect(codes({ steps: "s1" })).toEqual([{ code: "invalid_type", path: ["steps"] }]);
    expect(codes({ steps: { id: "a" } })).toEqual([{ code: "invalid_type", path: ["steps"] }]);
    expect(codes({ name: "x" })).toEqual([{ code: "required", path: ["steps"] }]);
    expect(codes("a string")).toEqual([{ code: "invalid_type", path: [] }]);
    expect(codes(null)).toEqual([{ code: "invalid_type", path: [] }]);
    expect(validateWorkflow(42, registry).workflow).toBeNull();
  });

  it("wrong types of name, start, variables, args and of a step itself", () => {
    expect(codes({ steps: [step("a")], name: 5, start: "yes", variables: [1] })).toEqual([
      { code: "invalid_type", path: ["name"] },
      { code: "invalid_type", path: ["start"] },
      { code: "invalid_type", path: ["variables"] },
    ]);
    expect(codes([step("a", "NOOP", { args: "x" }), "not a step"])).toEqual([
      { code: "invalid_type", path: [0, "args"] },
      { code: "invalid_type", path: [1] },
    ]);
  });

  it("paths are prefixed with steps only in the object form", () => {
    const bad = [step("a"), step("a", "NOOP", { depends_on: ["zz"] }), echo("c", "$nothing")];
    const bare = codes(bad);
    const wrapped = codes({ steps: bad });
    expect(bare).toEqual([
      { code: "duplicate_id", path: [1, "id"] },
      { code: "unknown_dependency", path: [1, "depends_on", 0] },
      { code: "unknown_reference", path: [2, "args", "value"] },
    ]);
    expect(wrapped).toEqual(bare.map(({ code, path }) => ({ code, path: ["steps", ...path] })));
  });

  it("reports every problem at once: 4 different problems give 4 issues", () => {
    const { issues, workflow } = validateWorkflow(
      [
        echo("a", "$missing"),
        step("a"),
        { id: "c", agent: "ghost", action: "X" },
        step("d", "NOOP", { depends_on: ["a"], colour: "red" }),
      ],
      registry,
    );
    expect(workflow).toBeNull();
    expect(issues.map(({ code, path }) => ({ code, path }))).toEqual(
      expect.arrayContaining([
        { code: "unknown_reference", path: [0, "args", "value"] },
        { code: "duplicate_id", path: [1, "id"] },
        { code: "unknown_agent", path: [2, "agent"] },
        { code: "unknown_field", path: [3, "colour"] },
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it("every issue carries a readable message", () => {
    const issues = issuesOf([echo("a", "$missing"), step("a", "NOPE")]);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
  });
});

describe("validateWorkflow: issues do not cascade", () => {
  // A step refused for one field still exists: its dependents must not be told it is unknown.
  it("a step with an unknown field is reported once, not as an unknown dependency of its dependents", () => {
    const doc = [
      echo("a", 1, { outputs: ["value"], colour: "red" }),
      echo("b", "$a.value", { depends_on: ["a"] }),
      echo("c", "$value", { depends_on: ["a"] }),
    ];
    expect(codes(doc)).toEqual([{ code: "unknown_field", path: [0, "colour"] }]);
  });

  it("a dependency listed twice does not make its output look ambiguous", () => {
    // With three or more publishers of "value" the binder walks ancestors and met "a" twice.
    const doc = [
      echo("a", 1, { outputs: ["value"] }),
      echo("x", 1, { outputs: ["value"] }),
      echo("y", 1, { outputs: ["value"] }),
      echo("c", "$value", { depends_on: ["a", "a"] }),
    ];
    expect(codes(doc)).toEqual([]);
    expect(validateWorkflow(doc, registry).workflow?.bindings.get("c")?.get("$value")).toMatchObject({ step: "a" });
  });

  it("a cycle does not hide an unrelated problem elsewhere in the document", () => {
    const doc = [
      step("a", "NOOP", { depends_on: ["b"] }),
      step("b", "NOOP", { depends_on: ["a"] }),
      { id: "c", agent: "ghost", action: "X" },
      step("d", "NOOP", { depends_on: ["zz"] }),
    ];
    expect(codes(doc)).toEqual(
      expect.arrayContaining([
        { code: "unknown_agent", path: [2, "agent"] },
        { code: "unknown_dependency", path: [3, "depends_on", 0] },
        { code: "cycle", path: [0, "depends_on"] },
      ]),
    );
    expect(codes(doc)).toHaveLength(3);
  });

  it("a cycle does not hide a reference that resolves to nothing in any graph", () => {
    const doc = [
      step("a", "NOOP", { depends_on: ["b"] }),
      step("b", "NOOP", { depends_on: ["a"] }),
      echo("c", "$nothing"),
    ];
    expect(codes(doc)).toEqual(
      expect.arrayContaining([
        { code: "cycle", path: [0, "depends_on"] },
        { code: "unknown_reference", path: [2, "args", "value"] },
      ]),
    );
  });
});

describe("validateWorkflow: values nested too deep", () => {
  const nest = (levels: number): unknown => {
    let v: unknown = "$x";
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };

  it("reports args and variables deeper than 64 levels with every other problem, without overflowing", () => {
    // 6,000 levels overflowed the recursive reference walk before the limit existed.
    const found = codes(
      { steps: [echo("deep", nest(6000)), step("other", "NOPE"), echo("fine", nest(60))], variables: { v: nest(100) } },
      { x: 1 },
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { code: "too_deep", path: ["steps", 0, "args"] },
        { code: "unknown_action", path: ["steps", 1, "action"] },
        { code: "too_deep", path: ["variables"] },
      ]),
    );
    expect(found.filter((i) => i.code === "too_deep")).toHaveLength(2);
  });

  it("draws the line at 64 levels below args", () => {
    // args itself is level 0; nest(n) adds n objects below `value`.
    expect(issuesOf([echo("a", nest(63))], { x: 1 })).toEqual([]);
    expect(codes([echo("a", nest(64))], { x: 1 })).toEqual([{ code: "too_deep", path: [0, "args"] }]);
  });
});
