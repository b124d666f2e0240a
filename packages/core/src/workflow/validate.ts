/**
 * Validation of a workflow document before anything runs: every problem at once, each with a path.
 * @module
 */
import { z } from "zod";
import type { AgentRegistry } from "../agents/registry.js";
import type { ValidationIssue } from "../errors.js";
import { type Binding, isBindIssue, ReferenceBinder } from "./bind.js";
import { MAX_VALUE_DEPTH, nestsDeeper } from "./depth.js";
import { buildDagIndex, type DagIndex, findCycle } from "./graph.js";
import { collectReferences, containsReference, containsTemplate } from "./references.js";
import { ID_PATTERN, NAME_PATTERN, type StepSpec, stepSpecSchema, type Variables, variablesSchema } from "./schema.js";

export interface ValidatedWorkflow {
  name: string | null;
  steps: StepSpec[];
  variables: Variables;
  start: boolean | undefined;
  /** Per step id, per reference as written: what it binds to. */
  bindings: Map<string, Map<string, Binding>>;
  /** The DAG's adjacency lists, reused by the executor. */
  index: DagIndex;
}

export interface ValidationResult {
  issues: ValidationIssue[];
  /** Present only when `issues` is empty. */
  workflow: ValidatedWorkflow | null;
}

export interface ValidateOptions {
  /** Variables supplied besides the document's own (they win on conflict with none: document first). */
  variables?: Variables;
}

type Path = (string | number)[];

/**
 * The step schema as parsed here: dependency ids are checked against the step ids instead of by a
 * regex per entry (a 10×100 lattice has 100,000 of them); an unknown one is then checked for its
 * format, so the issues are the same as the documented schema's.
 */
const stringList = z.custom<string[]>((v) => Array.isArray(v) && v.every((x) => typeof x === "string"), {
  message: "must be an array of step ids (strings)",
});
const stepParser = stepSpecSchema.extend({ depends_on: stringList.default([]) });

/** Validates a step list or `{ name?, steps, variables?, start? }` against the registered agents. */
export function validateWorkflow(
  input: unknown,
  registry: AgentRegistry,
  options: ValidateOptions = {},
): ValidationResult {
  const issues: ValidationIssue[] = [];
  let rawSteps: unknown;
  let prefix: Path = [];
  let name: string | null = null;
  let start: boolean | undefined;
  let variables: Variables = { ...options.variables };

  if (Array.isArray(input)) rawSteps = input;
  else if (input !== null && typeof input === "object") {
    const doc = input as Record<string, unknown>;
    prefix = ["steps"];
    rawSteps = doc.steps;
    for (const key of Object.keys(doc)) {
      if (!["name", "steps", "variables", "start"].includes(key)) {
        issues.push({ path: [key], code: "unknown_field", message: `Unknown field "${key}"` });
      }
    }
    if (doc.name !== undefined) {
      if (typeof doc.name === "string" && doc.name.length <= 200) name = doc.name;
      else
        issues.push({
          path: ["name"],
          code: "invalid_type",
          message: "name must be a string of at most 200 characters",
        });
    }
    if (doc.start !== undefined) {
      if (typeof doc.start === "boolean") start = doc.start;
      else issues.push({ path: ["start"], code: "invalid_type", message: "start must be a boolean" });
    }
    if (doc.variables !== undefined) {
      const parsed = variablesSchema.safeParse(doc.variables);
      if (parsed.success) variables = { ...variables, ...parsed.data };
      else issues.push({ path: ["variables"], code: "invalid_type", message: "variables must be an object" });
    }
    if (rawSteps === undefined) {
      issues.push({ path: ["steps"], code: "required", message: "steps is required" });
      return { issues, workflow: null };
    }
  } else {
    issues.push({
      path: [],
      code: "invalid_type",
      message: "Expected a step list or an object { name?, steps, variables? }",
    });
    return { issues, workflow: null };
  }
  if (!Array.isArray(rawSteps)) {
    issues.push({ path: prefix, code: "invalid_type", message: "steps must be an array" });
    return { issues, workflow: null };
  }
  if (rawSteps.length === 0) {
    issues.push({ path: prefix, code: "empty_workflow", message: "A workflow needs at least one step" });
    return { issues, workflow: null };
  }

  const { steps, positions, shadows } = parseSteps(rawSteps, prefix, issues);
  const result = checkSteps(steps, registry, variables, (k) => [...prefix, positions[k]], shadows);
  issues.push(...result.issues);
  if (issues.length > 0) return { issues, workflow: null };
  return { issues, workflow: { name, steps, variables, start, bindings: result.bindings, index: result.index! } };
}

/**
 * Parses raw steps one by one. Well-formed ones become specs; a malformed one is reported (at
 * `prefix` + its position) and kept as a shadow of what can be read of it, so its problems do not
 * cascade into the others'. `positions[k]` is the raw position of `steps[k]`.
 */
export function parseSteps(
  rawSteps: readonly unknown[],
  prefix: Path,
  issues: ValidationIssue[],
): { steps: StepSpec[]; positions: number[]; shadows: Set<number> } {
  const steps: StepSpec[] = [];
  const positions: number[] = [];
  const shadows = new Set<number>();
  rawSteps.forEach((raw, i) => {
    const parsed = stepParser.safeParse(raw);
    if (parsed.success) {
      steps.push(parsed.data);
      positions.push(i);
      return;
    }
    issues.push(...zodIssues(parsed.error, [...prefix, i]));
    const shadow = shadowSpec(raw);
    if (shadow) {
      shadows.add(steps.push(shadow) - 1);
      positions.push(i);
    }
  });
  return { steps, positions, shadows };
}

/** What the graph needs of a step that failed to parse: its id, dependencies and outputs. */
function shadowSpec(raw: unknown): StepSpec | null {
  if (raw === null || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== "string") return null;
  // Only well-formed names: a malformed one is already reported by the schema.
  const names = (v: unknown, pattern: RegExp) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && pattern.test(x)) : [];
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    id: r.id,
    // Kept so an unknown agent or action is reported too, not hidden by an unrelated field's problem.
    agent: text(r.agent),
    action: text(r.action),
    args: {},
    depends_on: names(r.depends_on, ID_PATTERN),
    outputs: names(r.outputs, NAME_PATTERN),
    needs_human: false,
  };
}

/**
 * Structural and semantic checks of parsed steps: ids, dependencies, cycles, agents, args,
 * references. `shadows` are steps that failed to parse: they take part in the graph only.
 */
export function checkSteps(
  steps: StepSpec[],
  registry: AgentRegistry,
  variables: Variables,
  pathOf: (k: number) => Path,
  shadows: ReadonlySet<number> = new Set(),
): { issues: ValidationIssue[]; bindings: Map<string, Map<string, Binding>>; index: DagIndex | null } {
  const issues: ValidationIssue[] = [];
  const bindings = new Map<string, Map<string, Binding>>();
  // Args too deep to walk are reported once and then left alone, like a step that failed to parse.
  const unreadable = new Set(shadows);
  steps.forEach((s, k) => {
    if (shadows.has(k) || !nestsDeeper(s.args, MAX_VALUE_DEPTH)) return;
    issues.push({
      path: [...pathOf(k), "args"],
      code: "too_deep",
      message: `args nest deeper than ${MAX_VALUE_DEPTH} levels`,
    });
    unreadable.add(k);
  });
  if (nestsDeeper(variables, MAX_VALUE_DEPTH)) {
    issues.push({
      path: ["variables"],
      code: "too_deep",
      message: `variables nest deeper than ${MAX_VALUE_DEPTH} levels`,
    });
  }
  const index = buildDagIndex(steps, {
    duplicateId: (k) =>
      issues.push({
        path: [...pathOf(k), "id"],
        code: "duplicate_id",
        message: `Step id "${steps[k].id}" is used more than once`,
      }),
    badDependency: (k, d, self) => {
      const { id, depends_on } = steps[k];
      const dep = depends_on[d];
      const path = [...pathOf(k), "depends_on", d];
      if (self) issues.push({ path, code: "self_dependency", message: `Step "${id}" depends on itself` });
      else if (!ID_PATTERN.test(dep))
        issues.push({ path, code: "invalid_format", message: "must match [A-Za-z0-9_-]{1,64}" });
      else issues.push({ path, code: "unknown_dependency", message: `Step "${id}" depends on unknown step "${dep}"` });
    },
  });
  const firstPos = (id: string) => index.first[index.indexOf.get(id)!];
  steps.forEach((s, k) => {
    if (s.outputs.length > 1) {
      const seen = new Set<string>();
      s.outputs.forEach((o, j) => {
        if (seen.has(o))
          issues.push({
            path: [...pathOf(k), "outputs", j],
            code: "duplicate_output",
            message: `Output "${o}" is declared twice`,
          });
        seen.add(o);
      });
    }
    if (!shadows.has(k)) checkAction(s, registry, k, pathOf, issues, !unreadable.has(k));
    else if (s.agent && s.action) checkAction(s, registry, k, pathOf, issues, false);
  });
  const cycle = findCycle(index);
  if (cycle) {
    const at = firstPos(cycle[0]);
    issues.push({ path: [...pathOf(at), "depends_on"], code: "cycle", message: `Cycle: ${cycle.join(" -> ")}` });
    // Without a DAG, ancestry means nothing; still report references that name nothing at all.
    const names = new Set(steps.flatMap((s) => [s.id, ...s.outputs]));
    steps.forEach((s, k) => {
      if (unreadable.has(k)) return;
      for (const site of collectReferences(s.args)) {
        const head = site.ref.segments[0];
        if (names.has(head) || Object.hasOwn(variables, head)) continue;
        const message = `${site.ref.raw} resolves to nothing: no step publishes "${head}" and there is no variable "${head}"`;
        issues.push({ path: [...pathOf(k), "args", ...site.path], code: "unknown_reference", message });
      }
    });
    return { issues, bindings, index: null };
  }
  let binder: ReferenceBinder | null = null; // built on the first reference: many workflows have none
  steps.forEach((s, k) => {
    if (firstPos(s.id) !== k || unreadable.has(k)) return;
    const sites = collectReferences(s.args);
    if (sites.length === 0) {
      // No reference, but `$$` escapes still have to become `$` when the step runs.
      if (containsTemplate(s.args)) bindings.set(s.id, new Map());
      return;
    }
    binder ??= new ReferenceBinder(
      index,
      index.first.map((k) => steps[k].outputs),
      variables,
    );
    const own = new Map<string, Binding>();
    for (const site of sites) {
      const bound = binder.bind(index.indexOf.get(s.id)!, site.ref);
      if (isBindIssue(bound)) issues.push({ path: [...pathOf(k), "args", ...site.path], ...bound });
      else own.set(site.ref.raw, bound);
    }
    bindings.set(s.id, own);
  });
  return { issues, bindings, index };
}

function checkAction(
  s: StepSpec,
  registry: AgentRegistry,
  k: number,
  pathOf: (k: number) => Path,
  issues: ValidationIssue[],
  checkArgs: boolean,
): void {
  const action = registry.getAction(s.agent, s.action);
  if (action && !action.args) return;
  const path = pathOf(k);
  if (!registry.has(s.agent)) {
    const known = registry.agentNames().join(", ") || "none registered";
    issues.push({
      path: [...path, "agent"],
      code: "unknown_agent",
      message: `Unknown agent "${s.agent}" (known: ${known})`,
    });
    return;
  }
  if (!action) {
    const known = registry.actionNames(s.agent).join(", ");
    issues.push({
      path: [...path, "action"],
      code: "unknown_action",
      message: `Agent "${s.agent}" has no action "${s.action}" (known: ${known})`,
    });
    return;
  }
  if (!action.args || !checkArgs) return;
  const parsed = action.args.safeParse(s.args);
  if (parsed.success) return;
  for (const issue of zodIssues(parsed.error, [...path, "args"])) {
    // A value holding a reference is only known at run time, where args are checked again.
    const inArgs = issue.path.slice(path.length + 1);
    if (!pathHoldsReference(s.args, inArgs)) issues.push(issue);
  }
}

function pathHoldsReference(args: unknown, path: Path): boolean {
  let cur = args;
  for (const key of path) {
    if (containsReference(cur) && typeof cur === "string") return true;
    if (cur === null || typeof cur !== "object") return false;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return containsReference(cur);
}

/** Converts zod issues to ours; unknown keys become one issue per key, at the key's path. */
export function zodIssues(error: z.ZodError, prefix: Path): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...(issue.path as Path)];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        out.push({ path: [...path, key], code: "unknown_field", message: `Unknown field "${key}"` });
    } else out.push({ path, code: issue.code === "custom" ? "invalid_value" : issue.code, message: issue.message });
  }
  return out;
}
