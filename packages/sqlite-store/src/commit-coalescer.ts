/**
 * Folds consecutive commits of one workflow, queued before the group transaction runs, into one
 * change: one workflow-row update, one seq check and one savepoint instead of one per step
 * completion, so a wide fan-out finishing dozens of steps in one turn writes them as one change.
 * Only a run of commits to the same workflow with nothing else queued in between is folded; a
 * commit that removes steps closes the run (removals must come after earlier upserts). When the
 * folded change is refused, its parts are written one by one, each in its own savepoint, so a
 * refused commit never takes the others down with it.
 * @module
 */
import type { StepRecord, WorkflowCommit } from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import { isEnvironmental } from "./errors.js";

type Outcome = { ok: true } | { ok: false; error: unknown };

interface Run {
  workflowId: string;
  parts: WorkflowCommit[];
  done: Promise<Outcome[]>;
}

export class CommitCoalescer {
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackTo: Statement;
  #open: Run | null = null;

  constructor(db: Database) {
    this.#savepoint = db.prepare("SAVEPOINT tandem_fold");
    this.#release = db.prepare("RELEASE tandem_fold");
    this.#rollbackTo = db.prepare("ROLLBACK TO tandem_fold");
  }

  /** Another kind of write was queued: later commits must not be folded into earlier ones. */
  interrupt(): void {
    this.#open = null;
  }

  /** Folds `change` into the open run when it can, else queues a new write through `enqueue`. */
  commit(
    change: WorkflowCommit,
    enqueue: (run: () => Outcome[], onTaken: () => void) => Promise<Outcome[]>,
    apply: (change: WorkflowCommit) => void,
  ): Promise<void> {
    const removes = (change.removedSteps?.length ?? 0) > 0;
    let run = this.#open;
    if (!run || run.workflowId !== change.workflowId || removes) {
      const parts: WorkflowCommit[] = [];
      const taken = () => {
        // Taken into a transaction (or refused with it): nothing more may join it.
        if (this.#open?.parts === parts) this.#open = null;
      };
      run = { workflowId: change.workflowId, parts, done: enqueue(() => this.#write(parts, apply), taken) };
      this.#open = removes ? null : run;
    }
    const index = run.parts.push(change) - 1;
    return run.done.then((outcomes) => {
      const outcome = outcomes[index];
      if (!outcome.ok) throw outcome.error;
    });
  }

  #write(parts: WorkflowCommit[], apply: (change: WorkflowCommit) => void): Outcome[] {
    if (parts.length === 1) {
      apply(parts[0]);
      return [{ ok: true }];
    }
    try {
      this.#inSavepoint(() => apply(fold(parts)));
      return parts.map(() => ({ ok: true }));
    } catch (error) {
      if (isEnvironmental(error)) throw error; // disk full, busy, corrupt: the whole write fails
    }
    return parts.map((part) => {
      try {
        this.#inSavepoint(() => apply(part));
        return { ok: true };
      } catch (error) {
        if (isEnvironmental(error)) throw error;
        return { ok: false, error };
      }
    });
  }

  #inSavepoint(fn: () => void): void {
    this.#savepoint.run();
    try {
      fn();
      this.#release.run();
    } catch (error) {
      this.#rollbackTo.run();
      this.#release.run();
      throw error;
    }
  }
}

/** One change equal to applying `parts` in order (none of them removes steps but maybe the first). */
function fold(parts: WorkflowCommit[]): WorkflowCommit {
  const steps = new Map<string, StepRecord>();
  const interventions: NonNullable<WorkflowCommit["interventions"]> = [];
  const folded: WorkflowCommit = { workflowId: parts[0].workflowId, events: [] };
  if (parts[0].removedSteps) folded.removedSteps = parts[0].removedSteps;
  for (const part of parts) {
    if (part.workflow) folded.workflow = { ...folded.workflow, ...part.workflow };
    for (const step of part.steps ?? []) steps.set(step.id, step);
    if (part.interventions) interventions.push(...part.interventions);
    folded.events.push(...part.events);
  }
  if (steps.size) folded.steps = [...steps.values()];
  // The last part's counts describe the state after all of them; any part without counts means recount.
  const counted = parts.filter((p) => p.steps?.length || p.removedSteps?.length);
  if (counted.length && counted.every((p) => p.stepCounts)) folded.stepCounts = counted[counted.length - 1].stepCounts;
  // A part that does not say which specs changed means all of its rows may have.
  if (parts.every((p) => p.specChanged)) folded.specChanged = parts.flatMap((p) => p.specChanged!);
  if (interventions.length) folded.interventions = interventions;
  return folded;
}
