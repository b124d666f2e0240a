/**
 * `intervene`: human edits and decisions, applied all-or-nothing. Every check runs against the
 * would-be state first; only when the whole edit validates does anything change.
 * @module
 */

import { z } from "zod";
import { InvalidStateError, ValidationError, type ValidationIssue } from "../errors.js";
import { interventionSchema, type StepRecord, type StepSpec } from "../workflow/schema.js";
import { checkSteps, parseSteps, zodIssues } from "../workflow/validate.js";
import type { EngineCore } from "./core.js";
import { makeReady, unblockChildren } from "./executor.js";
import { reopenStep } from "./lifecycle.js";
import { missingOutputs, resolveArgs } from "./outputs.js";
import { newStepRecord, specOf } from "./records.js";
import { settle, skipDescendants } from "./transitions.js";
import type { WorkflowRun } from "./workflow-run.js";

const NOT_STARTED = new Set(["pending", "awaiting_human"]);

/**
 * The intervention's envelope. Added steps are parsed later, one by one with the document's
 * rules, so a malformed one is reported next to every other problem of the would-be workflow.
 */
const envelopeSchema = interventionSchema.extend({ add_steps: z.array(z.unknown()).optional() });

export function applyIntervention(core: EngineCore, run: WorkflowRun, input: unknown, ready: number[]): void {
  const parsed = envelopeSchema.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, []);
    // Added steps are still read with the document's rules: one request shows every problem.
    const raw = input !== null && typeof input === "object" ? (input as { add_steps?: unknown }).add_steps : undefined;
    if (Array.isArray(raw)) parseSteps(raw, ["add_steps"], issues);
    throw new ValidationError(issues, undefined, "invalid_request");
  }
  const { add_steps: rawAdded, ...rest } = parsed.data;
  const issues: ValidationIssue[] = [];
  const addedParse = parseSteps(rawAdded ?? [], ["add_steps"], issues);
  const iv: z.output<typeof interventionSchema> =
    rawAdded === undefined ? rest : { ...rest, add_steps: addedParse.steps };
  const status = run.record.status;
  if (status === "completed" || status === "cancelled") {
    throw new InvalidStateError(`Workflow ${run.id} is ${status}; interventions are closed`);
  }
  const acts = ["args", "approve", "output", "variables", "add_steps", "remove_steps"] as const;
  if (!acts.some((k) => iv[k] !== undefined)) {
    throw new ValidationError(
      [{ path: [], code: "empty_intervention", message: `Give one of: ${acts.join(", ")}` }],
      undefined,
      "invalid_request",
    );
  }
  const needsStep = iv.args !== undefined || iv.approve !== undefined || iv.output !== undefined;
  let target: number | undefined;
  if (needsStep) {
    if (!iv.step_id) throw requestError(["step_id"], "required", "step_id is required with args, approve or output");
    target = run.indexOf(iv.step_id);
    if (target === undefined) throw requestError(["step_id"], "unknown_step", `Unknown step "${iv.step_id}"`);
  }
  const t = target === undefined ? undefined : run.steps[target];
  if (t && iv.args !== undefined && !NOT_STARTED.has(t.status)) {
    throw new InvalidStateError(`Step ${t.id} is ${t.status}; args can only change before it starts`);
  }
  if (t && iv.approve !== undefined && t.status !== "awaiting_human") {
    throw new InvalidStateError(`Step ${t.id} is ${t.status}, not awaiting_human`);
  }
  if (t && iv.approve !== undefined && iv.output !== undefined) {
    throw requestError(["approve"], "conflicting_fields", "Give either approve or output, not both");
  }
  if (t && iv.output !== undefined) {
    if (!["pending", "awaiting_human", "failed"].includes(t.status) || run.attempts.has(target!)) {
      throw new InvalidStateError(`Step ${t.id} is ${t.status}; an output can be supplied only before it succeeds`);
    }
    const missing = missingOutputs(t.outputs, iv.output);
    if (missing.length) throw requestError(["output"], "missing_output", `The output lacks: ${missing.join(", ")}`);
  }
  const removed = new Set(iv.remove_steps ?? []);
  for (const id of removed) {
    const i = run.indexOf(id);
    if (i === undefined) throw requestError(["remove_steps"], "unknown_step", `Unknown step "${id}"`);
    const s = run.steps[i];
    if (!NOT_STARTED.has(s.status) || s.attempts > 0 || run.attempts.has(i)) {
      throw new InvalidStateError(
        `Step ${id} is ${s.status} and has already run; only steps not started can be removed`,
      );
    }
  }

  // The would-be document, re-validated as a whole.
  const variables = iv.variables ? { ...run.record.variables, ...iv.variables } : run.record.variables;
  const specs: StepSpec[] = [];
  // Issues name a kept step by its place in the workflow as it stands, not in the filtered list.
  const positions: number[] = [];
  run.steps.forEach((s, i) => {
    if (removed.has(s.id)) return;
    specs.push(specOf(s));
    positions.push(i);
  });
  if (t && iv.args !== undefined) {
    const k = specs.findIndex((s) => s.id === t.id);
    specs[k] = { ...specs[k], args: { ...specs[k].args, ...iv.args } };
  }
  const added = addedParse.steps.map((s) => applyPolicy(core, s));
  specs.push(...added);
  if (specs.length === 0) {
    throw new ValidationError([
      { path: ["remove_steps"], code: "empty_workflow", message: "A workflow needs at least one step" },
    ]);
  }
  const shadows = new Set([...addedParse.shadows].map((k) => positions.length + k));
  const checked = checkSteps(
    specs,
    core.registry,
    variables,
    (k) => (k < positions.length ? ["steps", positions[k]] : ["add_steps", addedParse.positions[k - positions.length]]),
    shadows,
  );
  issues.push(...checked.issues);
  if (issues.length) throw new ValidationError(issues);

  // Everything checks out: apply.
  const at = core.iso();
  // A decision can unblock a workflow that only waited for people, and an output supplied for the
  // failed step of a failed workflow lets what its failure held back run: both continue it.
  const continues =
    (status === "paused" && run.pauseReason !== "interrupted") ||
    (status === "failed" && t !== undefined && iv.output !== undefined && t.status === "failed");
  const structural = removed.size > 0 || added.length > 0 || iv.args !== undefined || iv.variables !== undefined;
  if (iv.variables) {
    run.record.variables = variables;
    run.markWorkflowChanged("variables");
  }
  if (structural) {
    const before = run.steps.map((s) => s.id);
    const next: StepRecord[] = run.steps.filter((s) => !removed.has(s.id));
    if (t && iv.args !== undefined) t.args = specs.find((s) => s.id === t.id)!.args;
    for (const s of added) next.push(newStepRecord(s));
    run.record.steps = next;
    run.removeStepIds([...removed]);
    run.bindings = checked.bindings;
    run.reindex();
    run.remapIndices(before);
    for (const s of added) run.touchSpec(run.indexOf(s.id)!);
    if (t && iv.args !== undefined) run.touchSpec(run.indexOf(t.id)!);
  }
  run.addIntervention({ at, intervention: iv });
  run.addEvent("workflow.intervened", iv.step_id ?? null, at, { intervention: iv });
  if (iv.variables) refreshGates(run, at);
  const ti = t ? run.indexOf(t.id)! : -1;
  if (t && iv.args !== undefined && t.status === "awaiting_human") {
    // A gate shows exactly what will run: refresh its resolved args after the edit.
    run.setStepStatus(ti, "pending");
    makeReady(core, run, ti, ready);
  }
  if (t && iv.approve === true) {
    run.addEvent("step.approved", t.id, at, { comment: iv.comment ?? null });
    run.queued.add(ti);
    ready.push(ti);
  } else if (t && iv.approve === false) {
    t.error = {
      name: "Rejected",
      message: iv.comment ? `Rejected: ${iv.comment}` : "Rejected by a person",
      code: "rejected",
    };
    t.finished_at = at;
    t.in_doubt = false;
    run.setStepStatus(ti, "skipped");
    run.addEvent("step.rejected", t.id, at, { comment: iv.comment ?? null });
    skipDescendants(core, run, ti, "dependency_rejected");
  }
  if (t && iv.output !== undefined) supplyOutput(core, run, ti, iv.output, at, ready);
  if (added.length && (status === "running" || continues)) {
    for (const s of added) {
      const i = run.indexOf(s.id)!;
      if (run.remaining[i] === 0) makeReady(core, run, i, ready);
    }
  }
  if (continues) {
    run.record.status = "running";
    settle(core, run);
    if (run.record.status === "running") {
      run.markWorkflowChanged("status");
      run.addEvent("workflow.resumed", null, at, { by: "intervention" });
    }
  } else if (status === "running") settle(core, run);
  if (run.record.status !== "running") {
    for (const i of ready) run.queued.delete(i);
    ready.length = 0;
  }
}

function supplyOutput(core: EngineCore, run: WorkflowRun, i: number, output: unknown, at: string, ready: number[]) {
  const step = run.steps[i];
  const wasFailed = step.status === "failed";
  step.result = output ?? null;
  step.error = null;
  step.in_doubt = false;
  step.finished_at = at;
  run.setStepStatus(i, "succeeded");
  run.addEvent("step.succeeded", step.id, at, { by: "human" });
  if (wasFailed) {
    // Its failure had skipped what follows; with an output supplied those steps can run after all.
    for (const [k, s] of run.steps.entries()) {
      if (s.status === "skipped" && s.error?.code === "dependency_failed") reopenStep(run, k, at, "intervention");
    }
    run.reindex();
    for (const c of run.index.children[i])
      if (run.remaining[c] === 0 && run.steps[c].status === "pending") makeReady(core, run, c, ready);
    return;
  }
  unblockChildren(core, run, i, ready);
}

/**
 * Steps waiting for a person show the args they would run with; new variable values change those,
 * so each gate is resolved again and announced when it differs. An in-doubt gate keeps the args
 * its interrupted attempt ran with: that is what a person must judge.
 */
function refreshGates(run: WorkflowRun, at: string): void {
  for (let i = 0; i < run.steps.length; i++) {
    const step = run.steps[i];
    if (step.status !== "awaiting_human" || step.in_doubt) continue;
    let resolved: Record<string, unknown>;
    try {
      resolved = resolveArgs(run, i);
    } catch {
      continue; // validated references always resolve here; keep what was shown if one does not
    }
    if (JSON.stringify(resolved) === JSON.stringify(step.resolved_args)) continue;
    step.resolved_args = resolved;
    run.touchState(i);
    run.addEvent("step.awaiting_human", step.id, at, { resolved_args: resolved, refreshed: true });
  }
}

function applyPolicy(core: EngineCore, spec: StepSpec): StepSpec {
  return core.registry.getAction(spec.agent, spec.action)?.needsHuman ? { ...spec, needs_human: true } : spec;
}

function requestError(path: ValidationIssue["path"], code: string, message: string): ValidationError {
  return new ValidationError([{ path, code, message }], message, "invalid_request");
}
