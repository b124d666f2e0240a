/**
 * Step outputs and argument resolution: how a result becomes named outputs, and how a step's
 * `$` references become concrete args just before it runs (or waits for a person).
 * @module
 */
import { followPath, substitute, UnresolvedReferenceError } from "../workflow/references.js";
import type { StepRecord } from "../workflow/schema.js";
import type { WorkflowRun } from "./workflow-run.js";

/** SPEC: an object result gives each declared output by key; a non-object result with exactly one declared output is bound to it. */
export function outputValue(step: Pick<StepRecord, "result" | "outputs">, name: string): unknown {
  const r = step.result;
  if (r !== null && typeof r === "object" && !Array.isArray(r)) return (r as Record<string, unknown>)[name];
  if (step.outputs.length === 1 && step.outputs[0] === name) return r;
  return undefined;
}

/** Declared outputs a result does not provide (empty when the result satisfies the declaration). */
export function missingOutputs(outputs: readonly string[], result: unknown): string[] {
  if (outputs.length === 0) return [];
  if (result !== null && typeof result === "object" && !Array.isArray(result)) {
    return outputs.filter((name) => (result as Record<string, unknown>)[name] === undefined);
  }
  return outputs.length === 1 && result !== undefined ? [] : [...outputs];
}

/** Resolves a step's args against its ancestors' outputs and the variables. @throws UnresolvedReferenceError */
export function resolveArgs(run: WorkflowRun, i: number): Record<string, unknown> {
  const step = run.steps[i];
  const bindings = run.bindings.get(step.id);
  // Steps without bindings hold no reference and no `$$` escape: their args run as written.
  if (!bindings) return step.args;
  return substitute(step.args, (ref) => {
    const b = bindings.get(ref.raw);
    if (!b) throw new UnresolvedReferenceError(ref.raw, "not bound at validation");
    let value: unknown;
    if (b.kind === "variable") {
      value = followPath(run.record.variables[b.name], b.path);
    } else {
      const source = run.indexOf(b.step);
      if (source === undefined) throw new UnresolvedReferenceError(ref.raw, `step "${b.step}" no longer exists`);
      const from = run.steps[source];
      if (from.status !== "succeeded")
        throw new UnresolvedReferenceError(ref.raw, `step "${b.step}" has not succeeded`);
      value = followPath(outputValue(from, b.name), b.path);
    }
    if (value === undefined) throw new UnresolvedReferenceError(ref.raw, "the value is missing at run time");
    return value;
  }) as Record<string, unknown>;
}
