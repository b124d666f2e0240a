/**
 * What the executor and the command handlers need from the engine, as one internal object.
 * @module
 */
import type PQueue from "p-queue";
import type { AgentRegistry } from "../agents/registry.js";
import type { EngineEmitter } from "../events.js";
import type { Logger } from "../logger.js";
import type { Clock } from "../scheduler/clock.js";
import type { Store } from "../store/store.js";
import type { WorkflowRun } from "./workflow-run.js";

export interface EngineCore {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EngineEmitter;
  readonly registry: AgentRegistry;
  readonly queue: PQueue;
  readonly maxResultBytes: number;
  readonly random: () => number;
  /** True once close() began: nothing new starts. */
  readonly closing: boolean;
  /** The clock's now as an ISO 8601 string. */
  iso(): string;
  /** Commits the run's buffered changes, then emits their events. Retries transient store errors. */
  persist(run: WorkflowRun): Promise<void>;
  /**
   * Commits the run's buffered changes on the next turn of the event loop, unless something
   * commits them first: a fast step's `running` row then rides along with its completion.
   */
  persistSoon(run: WorkflowRun): void;
  /** Counts work for onIdle(). */
  busy(delta: 1 | -1): void;
}
