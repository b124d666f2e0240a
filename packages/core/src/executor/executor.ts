/**
 * Running steps: ready steps go to the engine's p-queue; each attempt gets an AbortSignal and a
 * token, so a result from an aborted or timed-out attempt is discarded; a step's completion and
 * its dependents becoming ready are committed together before any dependent starts.
 * @module
 */
import type { AgentContext } from "../agents/types.js";
import { NonRetryableError } from "../errors.js";
import type { StepError } from "../workflow/schema.js";
import { Attempt } from "./attempt.js";
import type { EngineCore } from "./core.js";
import { missingOutputs, resolveArgs } from "./outputs.js";
import { backoffDelay } from "./retry.js";
import { settle, skipDescendants } from "./transitions.js";
import type { WorkflowRun } from "./workflow-run.js";

export class StepTimeoutError extends Error {
  constructor(ms: number) {
    super(`Step timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** Hands a ready step to the queue (once). */
export function enqueueStep(core: EngineCore, run: WorkflowRun, i: number): void {
  if (run.queued.has(i)) return;
  run.queued.add(i);
  dispatch(core, run, i);
}

/**
 * Adds an already-marked queued step to the p-queue. The task finds the step by id when it runs:
 * an intervention may have removed steps before it, shifting indices.
 */
export function dispatch(core: EngineCore, run: WorkflowRun, i: number): void {
  const id = run.steps[i].id;
  core.busy(1);
  core.queue
    .add(() => runStep(core, run, id))
    .catch((error) => core.logger.error("step task failed", { workflow_id: run.id, error: String(error) }))
    .finally(() => core.busy(-1));
}

/** Marks the dependents a finished step unblocks; returns those that should run (gated ones wait). */
export function unblockChildren(core: EngineCore, run: WorkflowRun, i: number, ready: number[]): void {
  for (const c of run.index.children[i]) {
    if (--run.remaining[c] === 0 && run.steps[c].status === "pending") makeReady(core, run, c, ready);
  }
}

/** A step whose dependencies are all done: gate it for a person, or mark it queued. */
export function makeReady(core: EngineCore, run: WorkflowRun, i: number, ready: number[]): void {
  const step = run.steps[i];
  if (step.needs_human) {
    try {
      step.resolved_args = resolveArgs(run, i);
    } catch (error) {
      failStep(core, run, i, toStepError(error, "unresolved_reference"));
      return;
    }
    run.setStepStatus(i, "awaiting_human");
    run.addEvent("step.awaiting_human", step.id, core.iso(), { resolved_args: step.resolved_args });
    return;
  }
  run.queued.add(i);
  ready.push(i);
}

async function runStep(core: EngineCore, run: WorkflowRun, id: string): Promise<void> {
  let i = run.indexOf(id);
  if (i === undefined) return; // removed by an intervention while queued
  run.queued.delete(i);
  const step = run.steps[i];
  const approved = step.status === "awaiting_human";
  if (core.closing || run.record.status !== "running" || !(step.status === "pending" || approved)) {
    settle(core, run);
    if (run.hasChanges()) await core.persist(run);
    return;
  }
  const action = core.registry.getAction(step.agent, step.action);
  let args: Record<string, unknown>;
  try {
    if (!action) throw new NonRetryableError(`Agent action ${step.agent}.${step.action} is not registered`);
    // An approved gate runs exactly the args the person was shown.
    args = approved && step.resolved_args !== null ? step.resolved_args : resolveArgs(run, i);
    step.resolved_args = args;
    if (action.args) {
      const parsed = action.args.safeParse(args);
      if (!parsed.success)
        throw new NonRetryableError(`Invalid args: ${parsed.error.issues.map((x) => x.message).join("; ")}`);
      args = parsed.data;
    }
  } catch (error) {
    failStep(core, run, i, toStepError(error, "invalid_args"));
    settle(core, run);
    return core.persist(run);
  }
  step.attempts++;
  step.in_doubt = false; // a person decided to run it (again): the question is answered
  step.started_at = core.iso();
  step.finished_at = null;
  step.error = null;
  run.setStepStatus(i, "running");
  run.addEvent("step.started", step.id, step.started_at, { attempt: step.attempts });
  const attempt = new Attempt();
  run.attempts.set(i, attempt);
  // A side effect that must not repeat is only attempted once its attempt row is durable.
  if (action.idempotent === false) await core.persist(run);
  else core.persistSoon(run);
  i = run.indexOf(id)!; // a running step is never removed, but others may have been
  if (run.attempts.get(i) !== attempt) return;
  if (step.timeout_ms !== undefined) {
    const ms = step.timeout_ms;
    attempt.cancelTimeout = core.clock.setTimer(core.clock.now() + ms, () => attempt.abort(new StepTimeoutError(ms)));
  }
  const ctx: AgentContext = {
    workflowId: run.id,
    stepId: step.id,
    attempt: step.attempts,
    idempotencyKey: `${run.id}:${step.id}`,
    get signal() {
      return attempt.signal;
    },
    logger: core.logger,
    variables: run.record.variables,
  };
  let result: unknown;
  let failure: unknown;
  let failed = false;
  try {
    const out = action.run(args, ctx);
    result = isPromiseLike(out) ? await attempt.race(out) : out;
  } catch (error) {
    failed = true;
    failure = error;
  }
  attempt.cancelTimeout?.();
  i = run.indexOf(id)!;
  if (run.attempts.get(i) !== attempt) return; // interrupted or cancelled: this attempt's result is void
  run.attempts.delete(i);
  if (!failed && attempt.aborted) {
    failed = true;
    failure = attempt.reason;
  }
  if (!failed) {
    const problem = checkResult(core, step.outputs, result);
    if (problem) {
      failed = true;
      failure = problem;
    }
  }
  // The agent is done, so its concurrency slot is freed now; the commit (and the dependents it
  // unblocks) completes in the background. More steps then finish while a commit is in flight, and
  // a store with group commit writes them in fewer, larger transactions.
  core.busy(1);
  const settled = failed ? onFailure(core, run, i, failure) : onSuccess(core, run, i, result);
  settled
    .catch((error) => core.logger.error("step completion failed", { workflow_id: run.id, error: String(error) }))
    .finally(() => core.busy(-1));
}

async function onSuccess(core: EngineCore, run: WorkflowRun, i: number, result: unknown): Promise<void> {
  const step = run.steps[i];
  step.result = result === undefined ? null : result;
  step.finished_at = core.iso();
  run.setStepStatus(i, "succeeded");
  run.addEvent("step.succeeded", step.id, step.finished_at, { attempt: step.attempts });
  const ready: number[] = [];
  unblockChildren(core, run, i, ready);
  settle(core, run);
  const readyIds = ready.map((c) => run.steps[c].id);
  await core.persist(run);
  // By id: an intervention during the commit may have removed steps and shifted indices.
  for (const readyId of readyIds) {
    const c = run.indexOf(readyId);
    if (c !== undefined && run.queued.has(c)) dispatch(core, run, c);
  }
}

async function onFailure(core: EngineCore, run: WorkflowRun, i: number, failure: unknown): Promise<void> {
  const step = run.steps[i];
  const error = toStepError(failure);
  const maxAttempts = step.retry?.max_attempts ?? 1;
  const retryable = !(failure as { nonRetryable?: boolean })?.nonRetryable && step.attempts < maxAttempts;
  if (retryable && !core.closing) {
    const delay = backoffDelay(step.retry?.backoff_ms ?? 1000, step.attempts, core.random);
    step.error = error;
    run.setStepStatus(i, "pending");
    run.addEvent("step.retrying", step.id, core.iso(), { attempt: step.attempts, delay_ms: delay, error });
    const id = step.id;
    run.retryTimers.set(
      i,
      core.clock.setTimer(core.clock.now() + delay, () => {
        const j = run.indexOf(id);
        if (j === undefined) return;
        run.retryTimers.delete(j);
        if (run.record.status === "running") enqueueStep(core, run, j);
        else settle(core, run);
      }),
    );
    return core.persist(run);
  }
  failStep(core, run, i, error);
  settle(core, run);
  return core.persist(run);
}

/** Marks a step failed and skips everything downstream of it that has not run. */
export function failStep(core: EngineCore, run: WorkflowRun, i: number, error: StepError): void {
  const step = run.steps[i];
  step.error = error;
  step.finished_at = core.iso();
  run.setStepStatus(i, "failed");
  run.addEvent("step.failed", step.id, step.finished_at, { attempt: step.attempts, error });
  skipDescendants(core, run, i, "dependency_failed");
}

function checkResult(core: EngineCore, outputs: string[], result: unknown): Error | null {
  const missing = missingOutputs(outputs, result);
  if (missing.length) {
    return new NonRetryableError(`The result lacks declared output(s): ${missing.join(", ")}`);
  }
  // Measured for every kind of result, as the store would serialise it: a 5 MiB string counts too.
  // (A plain string's JSON length is at least its own; its length alone decides the cheap case.)
  if (result === undefined || result === null || typeof result === "number" || typeof result === "boolean") return null;
  let size: number;
  try {
    size =
      typeof result === "string" && result.length <= core.maxResultBytes / 6
        ? result.length
        : (JSON.stringify(result)?.length ?? 0);
  } catch (error) {
    // Circular, a BigInt, or nested deeper than the stack: it could never be stored.
    const e = new NonRetryableError(`The result cannot be stored as JSON: ${(error as Error).message}`);
    (e as Error & { code?: string }).code = "invalid_result";
    return e;
  }
  if (size > core.maxResultBytes) {
    const e = new NonRetryableError(`The result is ${size} bytes, over the ${core.maxResultBytes}-byte limit`);
    (e as Error & { code?: string }).code = "output_too_large";
    return e;
  }
  return null;
}

export function toStepError(error: unknown, fallbackCode?: string): StepError {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const out: StepError = { name: error.name, message: error.message };
    if (typeof code === "string") out.code = code;
    else if (fallbackCode) out.code = fallbackCode;
    return out;
  }
  return { name: "Error", message: String(error), ...(fallbackCode ? { code: fallbackCode } : {}) };
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as PromiseLike<unknown>).then === "function";
}
