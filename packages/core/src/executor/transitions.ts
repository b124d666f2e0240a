/**
 * Workflow-level transitions that follow from step states: skipping downstream of a failed or
 * rejected step, and deciding paused / failed / completed once nothing is in flight.
 * @module
 */
import type { EngineCore } from "./core.js";
import type { WorkflowRun } from "./workflow-run.js";

export type SkipReason = "dependency_failed" | "rejected" | "dependency_rejected" | "dependency_skipped";

/** Skips every not-yet-run step downstream of `i`, breadth-first, each visited once. */
export function skipDescendants(core: EngineCore, run: WorkflowRun, i: number, reason: SkipReason): void {
  const source = run.steps[i].id;
  const seen = new Set<number>([i]);
  const queue = [...run.index.children[i]];
  const at = core.iso();
  for (let head = 0; head < queue.length; head++) {
    const c = queue[head];
    if (seen.has(c)) continue;
    seen.add(c);
    const step = run.steps[c];
    if (step.status !== "pending" && step.status !== "awaiting_human") continue;
    run.queued.delete(c);
    const cancel = run.retryTimers.get(c);
    if (cancel) {
      cancel();
      run.retryTimers.delete(c);
    }
    const message =
      reason === "dependency_failed"
        ? `Skipped: upstream step "${source}" failed`
        : `Skipped: upstream step "${source}" was rejected`;
    step.error = { name: "Skipped", message, code: reason };
    step.finished_at = at;
    run.setStepStatus(c, "skipped");
    run.addEvent("step.skipped", step.id, at, { reason, source });
    for (const g of run.index.children[c]) queue.push(g);
  }
}

/** When a running workflow has nothing in flight, decides whether it is paused, failed or completed. */
export function settle(core: EngineCore, run: WorkflowRun): void {
  if (run.record.status !== "running" || run.inFlight() > 0) return;
  const counts = run.counts;
  const at = core.iso();
  if (counts.awaiting_human > 0) {
    run.setWorkflowStatus("paused", "awaiting_human");
    run.addEvent("workflow.paused", null, at, { reason: "awaiting_human", awaiting: counts.awaiting_human });
  } else if (counts.failed > 0) {
    run.setWorkflowStatus("failed");
    run.addEvent("workflow.failed", null, at, { failed: counts.failed, skipped: counts.skipped });
  } else if (counts.pending === 0 && counts.running === 0) {
    run.setWorkflowStatus("completed");
    run.addEvent("workflow.completed", null, at, { succeeded: counts.succeeded, skipped: counts.skipped });
  } else {
    // Pending steps whose dependencies can no longer finish by themselves.
    run.setWorkflowStatus("paused", "blocked");
    run.addEvent("workflow.paused", null, at, { reason: "blocked", pending: counts.pending });
  }
}
