/**
 * `createEngine`: the executor, commands and recovery over a Store. An instance, never a
 * singleton; two engines in one process share nothing.
 * @module
 */
import PQueue from "p-queue";
import { AgentRegistry } from "./agents/registry.js";
import type { AgentPlugin } from "./agents/types.js";
import { checkEngineOptions } from "./engine-options.js";
import type { CreateWorkflowOptions, Engine, EngineOptions } from "./engine-types.js";
import { NotFoundError, TandemError, ValidationError } from "./errors.js";
import { EngineEmitter } from "./events.js";
import { Committer } from "./executor/committer.js";
import type { EngineCore } from "./executor/core.js";
import { dispatch } from "./executor/executor.js";
import { applyIntervention } from "./executor/human.js";
import { cancelRun, interruptRun, recoverRun, resumeRun } from "./executor/lifecycle.js";
import { loadRun } from "./executor/load-run.js";
import { newStepRecord, snapshot } from "./executor/records.js";
import { WorkflowRun } from "./executor/workflow-run.js";
import { newId } from "./ids.js";
import { type Logger, noopLogger } from "./logger.js";
import { type Clock, systemClock } from "./scheduler/clock.js";
import { MemoryStore } from "./store/memory-store.js";
import type { ListWorkflowsQuery, Store } from "./store/store.js";
import {
  type EventRecord,
  FINISHED_STATUSES,
  ID_PATTERN,
  type Intervention,
  type WorkflowInput,
  type WorkflowRecord,
} from "./workflow/schema.js";
import { validateWorkflow } from "./workflow/validate.js";

export function createEngine(options: EngineOptions = {}): Engine {
  return new TandemEngine(options);
}

class TandemEngine implements Engine, EngineCore {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events = new EngineEmitter();
  readonly registry = new AgentRegistry();
  readonly queue: PQueue;
  readonly maxResultBytes: number;
  readonly random: () => number;
  closing = false;
  readonly #runs = new Map<string, WorkflowRun>();
  readonly #loading = new Map<string, Promise<WorkflowRun>>();
  readonly #ready: Promise<void>;
  readonly #committer: Committer;

  constructor(options: EngineOptions) {
    const { concurrency, startedFlushMs } = checkEngineOptions(options);
    this.store = options.store ?? new MemoryStore();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? noopLogger;
    this.maxResultBytes = options.maxResultBytes ?? 4 * 1024 * 1024;
    this.random = options.random ?? Math.random;
    this.#committer = new Committer({
      store: this.store,
      clock: this.clock,
      logger: this.logger,
      events: this.events,
      startedFlushMs,
      isClosing: () => this.closing,
      onSettled: (run) => {
        if (run.commands === 0 && this.#runs.get(run.id) === run) this.#runs.delete(run.id);
      },
      onLost: (run) => this.#runs.delete(run.id),
    });
    this.queue = new PQueue({ concurrency });
    for (const plugin of options.agents ?? []) this.registry.register(plugin);
    this.#ready = this.#startup(options.recover !== false);
    this.#ready.catch(() => {}); // surfaced by every command that needs it
  }

  async #startup(recover: boolean): Promise<void> {
    await this.store.acquireExecutorLease?.(`engine-${globalThis.crypto.randomUUID()}`);
    if (!recover) return;
    // Agents registered right after createEngine must be known before recovery decides anything.
    await Promise.resolve();
    for (const id of await this.store.findWorkflowIds(["running"])) {
      const run = await this.#load(id);
      const ready: number[] = [];
      recoverRun(this, run, ready);
      await this.persist(run);
      for (const i of ready) dispatch(this, run, i);
    }
  }

  /** Resolves once start-up (executor lease, crash recovery) is done. */
  ready(): Promise<void> {
    return this.#ready;
  }

  registerAgent(plugin: AgentPlugin): void {
    this.registry.register(plugin);
  }
  catalog() {
    return this.registry.catalog();
  }
  validate(input: unknown) {
    return validateWorkflow(input, this.registry).issues;
  }

  #isoMs = Number.NaN;
  #isoText = "";
  iso(): string {
    // Many transitions share a millisecond; formatting a Date each time showed up in profiles.
    const now = this.clock.now();
    if (now !== this.#isoMs) {
      this.#isoMs = now;
      this.#isoText = new Date(now).toISOString();
    }
    return this.#isoText;
  }

  busy(delta: 1 | -1): void {
    this.#committer.busy(delta);
  }
  onIdle(): Promise<void> {
    return this.#committer.onIdle();
  }
  persist(run: WorkflowRun): Promise<void> {
    return this.#committer.persist(run);
  }
  persistSoon(run: WorkflowRun): void {
    this.#committer.persistSoon(run);
  }

  async createWorkflow(input: WorkflowInput, options: CreateWorkflowOptions = {}): Promise<WorkflowRecord> {
    if (this.closing) throw new TandemError("invalid_state", "The engine is closing");
    await this.#ready;
    const { issues, workflow } = validateWorkflow(input, this.registry);
    if (!workflow) throw new ValidationError(issues);
    if (options.id !== undefined && !ID_PATTERN.test(options.id))
      throw new TypeError("Expected `id` to match [A-Za-z0-9_-]{1,64}");
    const at = this.iso();
    const record: WorkflowRecord = {
      id: options.id ?? newId(this.clock.now()),
      name: workflow.name,
      status: "pending",
      variables: workflow.variables,
      created_at: at,
      updated_at: at,
      schedule_id: options.scheduleId ?? null,
      scheduled_for: options.scheduledFor ?? null,
      interventions: [],
      // Engine policy: an action that always needs a person is gated whatever the document says.
      steps: workflow.steps.map((s) =>
        newStepRecord(this.registry.getAction(s.agent, s.action)?.needsHuman ? { ...s, needs_human: true } : s),
      ),
      generation: options.generation ?? null,
    };
    const created: EventRecord = {
      seq: 1,
      type: "workflow.created",
      workflow_id: record.id,
      step_id: null,
      at,
      data: {},
    };
    const run = new WorkflowRun(record, workflow.bindings, 1, workflow.index);
    const ready: number[] = [];
    const start = options.start ?? workflow.start ?? true;
    // Starting is folded into the creation: one commit holds the new workflow and its first moves.
    if (start) resumeRun(this, run, ready);
    const started = run.takeChange().events;
    await this.store.createWorkflow(record, [created, ...started]);
    this.#committer.emit([created, ...run.releaseEvents(started)]);
    if (start && (record.status === "running" || run.inFlight() > 0)) this.#runs.set(record.id, run);
    for (const i of ready) dispatch(this, run, i);
    return snapshot(run);
  }

  async getWorkflow(id: string): Promise<WorkflowRecord> {
    const record = await this.store.getWorkflow(id);
    if (!record) throw new NotFoundError(`Workflow ${id} not found`);
    return record;
  }
  listWorkflows(query?: ListWorkflowsQuery) {
    return this.store.listWorkflows(query);
  }
  async listEvents(id: string, afterSeq?: number): Promise<EventRecord[]> {
    const events = await this.store.listEvents(id, { afterSeq });
    if (events.length === 0 && !(await this.store.getWorkflow(id))) throw new NotFoundError(`Workflow ${id} not found`);
    return events;
  }

  start(id: string) {
    return this.#command(id, (run) => this.#resume(run));
  }
  resume(id: string) {
    return this.#command(id, (run) => this.#resume(run));
  }
  interrupt(id: string) {
    return this.#command(id, async (run) => {
      interruptRun(this, run);
      await this.persist(run);
      return snapshot(run);
    });
  }
  intervene(id: string, intervention: Intervention) {
    return this.#command(id, async (run) => {
      const ready: number[] = [];
      applyIntervention(this, run, intervention, ready);
      await this.persist(run);
      for (const i of ready) dispatch(this, run, i);
      return snapshot(run);
    });
  }
  cancel(id: string) {
    return this.#command(id, async (run) => {
      cancelRun(this, run);
      await this.persist(run);
      return snapshot(run);
    });
  }
  async deleteWorkflow(id: string): Promise<void> {
    await this.#command(id, async (run) => {
      cancelRun(this, run, "deleted");
      await this.persist(run);
      this.#runs.delete(id);
      await this.store.deleteWorkflow(id);
      const at = this.iso();
      this.#committer.emit([
        { seq: run.seq + 1, type: "workflow.deleted", workflow_id: id, step_id: null, at, data: {} },
      ]);
      return snapshot(run);
    });
  }

  async #resume(run: WorkflowRun): Promise<WorkflowRecord> {
    const ready: number[] = [];
    resumeRun(this, run, ready);
    await this.persist(run);
    for (const i of ready) dispatch(this, run, i);
    return snapshot(run);
  }

  /** Serialises commands per workflow and loads the run when it is not active. */
  async #command<T>(id: string, fn: (run: WorkflowRun) => Promise<T>): Promise<T> {
    if (this.closing) throw new TandemError("invalid_state", "The engine is closing");
    await this.#ready;
    const run = await this.#load(id);
    // While commands are pending this object is the workflow's one run, finished or not: a
    // resumed run must be the one the next command finds, not a second copy loaded from the store.
    run.commands++;
    this.#runs.set(id, run);
    const result = run.commandChain.then(() => fn(run));
    run.commandChain = result.catch(() => {});
    return result.finally(() => {
      if (--run.commands === 0 && this.#runs.get(id) === run && run.isSettled()) this.#runs.delete(id);
    });
  }

  async #load(id: string): Promise<WorkflowRun> {
    const active = this.#runs.get(id);
    if (active) return active;
    const pending = this.#loading.get(id);
    if (pending) return pending;
    const loading = loadRun(this.store, this.registry, id).then((run) => {
      if (!FINISHED_STATUSES.has(run.record.status)) this.#runs.set(id, run);
      return run;
    });
    this.#loading.set(id, loading);
    try {
      return await loading;
    } finally {
      this.#loading.delete(id);
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.#ready.catch(() => {});
    this.queue.clear();
    for (const run of this.#runs.values()) {
      // Running steps go back to pending in memory only: the store keeps them `running`, so a
      // restart re-runs them (or asks a person, for actions that are not idempotent).
      for (const [, attempt] of run.attempts) attempt.abort(new Error("Engine closing"));
      run.attempts.clear();
      for (const [, cancel] of run.retryTimers) cancel();
      run.retryTimers.clear();
    }
    // Changes still waiting for their flush (a step's `running` row) are written before the store closes.
    await this.#committer.flushPending();
    await this.onIdle();
    this.#runs.clear();
    await this.store.close();
  }
}
