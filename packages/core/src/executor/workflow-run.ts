/**
 * In-memory state of one active workflow: the record, integer indices over its DAG, in-degree
 * counters and per-status counts (so nothing rescans the steps), plus the buffer of changes not
 * yet committed. All mutation is synchronous; `flush()` commits the buffer as one atomic change.
 * @module
 */

import type { WorkflowCommit } from "../store/store.js";
import type { Binding } from "../workflow/bind.js";
import { buildDagIndex, type DagIndex } from "../workflow/graph.js";
import {
  type EventRecord,
  emptyStepCounts,
  type InterventionRecord,
  type StepRecord,
  type StepStatus,
  type WorkflowRecord,
  type WorkflowStatus,
} from "../workflow/schema.js";
import type { Attempt } from "./attempt.js";

export type StatusCounts = Record<StepStatus, number>;

export class WorkflowRun {
  readonly record: WorkflowRecord;
  index!: DagIndex;
  /** Per step: dependencies not yet succeeded. */
  remaining!: Int32Array;
  counts: StatusCounts = emptyStepCounts();
  bindings: Map<string, Map<string, Binding>>;
  seq: number;
  /** Why a paused workflow is paused: `interrupted` by a person, or waiting (`awaiting_human`, `blocked`). */
  pauseReason: string | null = null;
  /** Steps handed to the queue and not yet started. */
  readonly queued = new Set<number>();
  /** Running attempts by step index; a result is accepted only from the attempt still listed here. */
  readonly attempts = new Map<number, Attempt>();
  /** Steps waiting out a retry backoff, with the timer's cancel function. */
  readonly retryTimers = new Map<number, () => void>();
  /** Set while a command is being applied, so the engine serialises commands per workflow. */
  commandChain: Promise<unknown> = Promise.resolve();
  /** Commands queued or running on this run: while any is, the engine keeps this one object. */
  commands = 0;

  /** Highest seq emitted to listeners; events wait here until every earlier one was emitted. */
  #emitted: number;
  #outbox: EventRecord[] = [];
  /** Steps to write, by id: indices shift when an intervention removes steps before a flush. */
  readonly #dirtySteps = new Set<string>();
  /** Step ids whose spec changed since the last commit (intervene args, added steps). */
  readonly #specChanged = new Set<string>();
  /** Workflow-level fields changed since the last commit; `updated_at` goes with any of them. */
  #dirtyWorkflow = false;
  #statusChanged = false;
  #variablesChanged = false;
  #events: EventRecord[] = [];
  #interventions: InterventionRecord[] = [];
  #removed: string[] = [];

  constructor(record: WorkflowRecord, bindings: Map<string, Map<string, Binding>>, lastSeq: number, index?: DagIndex) {
    this.record = record;
    this.bindings = bindings;
    this.seq = lastSeq;
    this.#emitted = lastSeq;
    this.reindex(index);
  }

  get id(): string {
    return this.record.id;
  }
  get steps(): StepRecord[] {
    return this.record.steps;
  }

  /** Rebuilds indices and counters from the steps (at load and after the DAG changes). */
  reindex(index?: DagIndex): void {
    this.index = index ?? buildDagIndex(this.record.steps);
    const n = this.record.steps.length;
    this.remaining = new Int32Array(n);
    this.counts = emptyStepCounts();
    for (let i = 0; i < n; i++) this.counts[this.record.steps[i].status]++;
    // A fresh workflow has nothing succeeded: every dependency is unmet, no need to look.
    const fresh = this.counts.succeeded === 0;
    for (let i = 0; i < n; i++) {
      const parents = this.index.parents[i];
      let unmet = parents.length;
      if (!fresh) for (const p of parents) if (this.record.steps[p].status === "succeeded") unmet--;
      this.remaining[i] = unmet;
    }
  }

  indexOf(stepId: string): number | undefined {
    return this.index.indexOf.get(stepId);
  }

  setStepStatus(i: number, status: StepStatus): void {
    const step = this.record.steps[i];
    if (step.status === status) return;
    this.counts[step.status]--;
    this.counts[status]++;
    step.status = status;
    this.#dirtySteps.add(this.record.steps[i].id);
  }

  /** Marks a step whose run state changed in place (not its status) to be written with the next commit. */
  touchState(i: number): void {
    this.#dirtySteps.add(this.record.steps[i].id);
  }

  /** Marks a step whose spec (not just its run state) must be written again. */
  touchSpec(i: number): void {
    this.#dirtySteps.add(this.record.steps[i].id);
    this.#specChanged.add(this.record.steps[i].id);
  }

  setWorkflowStatus(status: WorkflowStatus, pauseReason: string | null = null): void {
    this.record.status = status;
    this.pauseReason = status === "paused" ? pauseReason : null;
    this.#dirtyWorkflow = true;
    this.#statusChanged = true;
  }

  /** Marks workflow fields changed in place on the record, to be written with the next commit. */
  markWorkflowChanged(field: "status" | "variables"): void {
    this.#dirtyWorkflow = true;
    if (field === "status") this.#statusChanged = true;
    else this.#variablesChanged = true;
  }

  addEvent(type: string, stepId: string | null, at: string, data: Record<string, unknown> = {}): void {
    this.#events.push({ seq: ++this.seq, type, workflow_id: this.record.id, step_id: stepId, at, data });
    this.record.updated_at = at;
    this.#dirtyWorkflow = true;
  }

  addIntervention(intervention: InterventionRecord): void {
    this.record.interventions.push(intervention);
    this.#interventions.push(intervention);
  }

  removeStepIds(ids: string[]): void {
    this.#removed.push(...ids);
  }

  hasChanges(): boolean {
    return this.#events.length > 0 || this.#dirtySteps.size > 0 || this.#dirtyWorkflow || this.#removed.length > 0;
  }

  /** Takes the buffered changes as a commit; step rows are snapshots of their current state. */
  takeChange(): WorkflowCommit {
    const change: WorkflowCommit = { workflowId: this.record.id, events: this.#events };
    if (this.#dirtySteps.size) {
      const steps: StepRecord[] = [];
      for (const id of this.#dirtySteps) {
        const i = this.indexOf(id);
        if (i !== undefined) steps.push({ ...this.record.steps[i] }); // else removed since: nothing to write
      }
      change.steps = steps;
      change.stepCounts = { ...this.counts };
      change.specChanged = [...this.#specChanged];
      this.#dirtySteps.clear();
      this.#specChanged.clear();
    }
    if (this.#dirtyWorkflow) {
      // Only what changed: a store may then leave the rest (and its indexes) untouched.
      const r = this.record;
      const workflow: NonNullable<WorkflowCommit["workflow"]> = { updated_at: r.updated_at };
      if (this.#statusChanged) workflow.status = r.status;
      if (this.#variablesChanged) workflow.variables = r.variables;
      change.workflow = workflow;
      this.#dirtyWorkflow = this.#statusChanged = this.#variablesChanged = false;
    }
    if (this.#interventions.length) {
      change.interventions = this.#interventions;
      this.#interventions = [];
    }
    if (this.#removed.length) {
      change.stepCounts = { ...this.counts };
      change.removedSteps = this.#removed;
      this.#removed = [];
    }
    this.#events = [];
    return change;
  }

  /** Re-snapshots a failed change's rows to the current state before it is retried. */
  refreshChange(change: WorkflowCommit): WorkflowCommit {
    const steps = change.steps?.map((s) => {
      const i = this.indexOf(s.id);
      return i === undefined ? s : { ...this.record.steps[i] };
    });
    const r = this.record;
    return {
      ...change,
      steps,
      stepCounts: change.stepCounts && { ...this.counts },
      workflow: { status: r.status, variables: r.variables, updated_at: r.updated_at, name: r.name },
    };
  }

  /**
   * Takes committed events and returns those that can now be emitted, in seq order. A store may
   * resolve concurrent commits out of order; listeners still see one ordered stream.
   */
  releaseEvents(committed: EventRecord[]): EventRecord[] {
    if (committed.length === 0) return committed;
    if (this.#outbox.length === 0 && committed[0].seq === this.#emitted + 1) {
      this.#emitted = committed[committed.length - 1].seq;
      return committed;
    }
    this.#outbox.push(...committed);
    this.#outbox.sort((a, b) => a.seq - b.seq);
    let n = 0;
    while (n < this.#outbox.length && this.#outbox[n].seq === this.#emitted + 1) this.#emitted = this.#outbox[n++].seq;
    return this.#outbox.splice(0, n);
  }

  /**
   * After the step list changed (an intervention removed steps), moves the index-keyed in-flight
   * state to the new indices. `oldIds` is the step order before the change.
   */
  remapIndices(oldIds: readonly string[]): void {
    const moved = (i: number) => this.indexOf(oldIds[i]);
    const queued = [...this.queued];
    this.queued.clear();
    for (const i of queued) {
      const j = moved(i);
      if (j !== undefined) this.queued.add(j);
    }
    for (const map of [this.attempts, this.retryTimers] as Map<number, unknown>[]) {
      const entries = [...map];
      map.clear();
      for (const [i, value] of entries) {
        const j = moved(i);
        if (j !== undefined) map.set(j, value);
      }
    }
  }

  /** Steps in flight: queued, running, or waiting out a retry backoff. */
  /** Not running, nothing in flight, nothing left to commit: memory may let it go. */
  isSettled(): boolean {
    return this.record.status !== "running" && this.inFlight() === 0 && !this.hasChanges();
  }

  inFlight(): number {
    return this.queued.size + this.attempts.size + this.retryTimers.size;
  }
}
