/**
 * Commands that move a whole workflow: start/resume, interrupt, cancel, and crash recovery.
 * Each mutates the run synchronously; the caller persists and then dispatches `ready` steps.
 * @module
 */
import { InvalidStateError } from "../errors.js";
import { FINISHED_STATUSES } from "../workflow/schema.js";
import type { EngineCore } from "./core.js";
import { makeReady } from "./executor.js";
import { settle } from "./transitions.js";
import type { WorkflowRun } from "./workflow-run.js";

/** Re-marks every pending step whose dependencies are done as ready (or gated). */
function collectReady(core: EngineCore, run: WorkflowRun, ready: number[]): void {
  run.steps.forEach((step, i) => {
    if (step.status === "pending" && run.remaining[i] === 0 && !run.queued.has(i) && !run.retryTimers.has(i)) {
      makeReady(core, run, i, ready);
    }
  });
}

/** SPEC resume: pending starts; paused continues and approves gates as they stand; failed re-runs what failed. */
export function resumeRun(core: EngineCore, run: WorkflowRun, ready: number[]): void {
  const status = run.record.status;
  if (status === "completed" || status === "cancelled") {
    throw new InvalidStateError(`Workflow ${run.id} is ${status} and cannot be resumed`);
  }
  if (status === "running") return;
  const at = core.iso();
  if (status === "failed") reopenFailed(run, at);
  run.setWorkflowStatus("running");
  run.addEvent(status === "pending" ? "workflow.started" : "workflow.resumed", null, at);
  if (status === "paused") {
    run.steps.forEach((step, i) => {
      if (step.status !== "awaiting_human" || run.queued.has(i)) return;
      run.addEvent("step.approved", step.id, at, { by: "resume" });
      run.queued.add(i);
      ready.push(i);
    });
  }
  collectReady(core, run, ready);
  settle(core, run);
}

/**
 * Failed steps and what their failure skipped go back to pending. Attempts keep counting (the
 * agent sees attempt n+1), so a resumed step gets one more attempt, not a new retry budget.
 */
function reopenFailed(run: WorkflowRun, at: string): void {
  run.steps.forEach((step, i) => {
    const skippedByFailure = step.status === "skipped" && step.error?.code === "dependency_failed";
    if (step.status !== "failed" && !skippedByFailure) return;
    reopenStep(run, i, at, "resume");
    step.started_at = null;
  });
  run.reindex();
}

/** A failed step, or one a failure skipped, goes back to pending so it can run (an event says so). */
export function reopenStep(run: WorkflowRun, i: number, at: string, by: "resume" | "intervention"): void {
  const step = run.steps[i];
  const from = step.status;
  step.error = null;
  step.finished_at = null;
  run.setStepStatus(i, "pending");
  run.addEvent("step.reopened", step.id, at, { from, by });
}

/** No new step starts; running attempts are aborted and their steps return to pending. */
export function interruptRun(core: EngineCore, run: WorkflowRun): void {
  const status = run.record.status;
  if (FINISHED_STATUSES.has(status)) {
    throw new InvalidStateError(`Workflow ${run.id} is ${status}; only an unfinished workflow can be interrupted`);
  }
  const at = core.iso();
  abortAttempts(run, "interrupted", (i) => {
    const step = run.steps[i];
    step.attempts = Math.max(0, step.attempts - 1);
    step.started_at = null;
    run.setStepStatus(i, "pending");
    run.addEvent("step.interrupted", step.id, at);
  });
  for (const [, cancel] of run.retryTimers) cancel();
  run.retryTimers.clear();
  run.queued.clear();
  if (status !== "paused" || run.pauseReason !== "interrupted") {
    run.setWorkflowStatus("paused", "interrupted");
    run.addEvent("workflow.paused", null, at, { reason: "interrupted" });
  }
}

/** Aborts running attempts and marks every unfinished step cancelled. */
export function cancelRun(core: EngineCore, run: WorkflowRun, reason = "cancelled"): void {
  const status = run.record.status;
  if (FINISHED_STATUSES.has(status)) return;
  const at = core.iso();
  abortAttempts(run, reason, () => {});
  for (const [, cancel] of run.retryTimers) cancel();
  run.retryTimers.clear();
  run.queued.clear();
  run.steps.forEach((step, i) => {
    if (step.status === "pending" || step.status === "running" || step.status === "awaiting_human") {
      step.finished_at = at;
      run.setStepStatus(i, "cancelled");
      run.addEvent("step.cancelled", step.id, at);
    }
  });
  run.setWorkflowStatus("cancelled");
  run.addEvent("workflow.cancelled", null, at, { reason });
}

function abortAttempts(run: WorkflowRun, reason: string, each: (i: number) => void): void {
  for (const [i, attempt] of run.attempts) {
    attempt.abort(new Error(`Step ${reason}`));
    each(i);
  }
  run.attempts.clear();
}

/**
 * After a crash: steps found `running` re-run when their action is idempotent, and wait for a
 * person, marked `in_doubt`, when it is not (approve re-runs, output records it happened).
 */
export function recoverRun(core: EngineCore, run: WorkflowRun, ready: number[]): void {
  const at = core.iso();
  run.steps.forEach((step, i) => {
    if (step.status !== "running") return;
    const action = core.registry.getAction(step.agent, step.action);
    if (action && action.idempotent === false) {
      step.in_doubt = true;
      run.setStepStatus(i, "awaiting_human");
      run.addEvent("step.awaiting_human", step.id, at, { in_doubt: true, resolved_args: step.resolved_args });
    } else {
      run.setStepStatus(i, "pending");
      run.addEvent("step.interrupted", step.id, at, { reason: "recovered" });
    }
  });
  collectReady(core, run, ready);
  settle(core, run);
}
