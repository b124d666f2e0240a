/**
 * The public shape of an engine. `createEngine` in engine.ts builds one.
 * @module
 */
import type { AgentCatalogEntry, AgentPlugin } from "./agents/types.js";
import type { ValidationIssue } from "./errors.js";
import type { EngineEmitter } from "./events.js";
import type { Logger } from "./logger.js";
import type { Clock } from "./scheduler/clock.js";
import type { ListWorkflowsQuery, Store, WorkflowPage } from "./store/store.js";
import type { EventRecord, GenerationInfo, Intervention, WorkflowInput, WorkflowRecord } from "./workflow/schema.js";

export interface EngineOptions {
  /** Where workflows, events, schedules and sessions live. @default new MemoryStore() */
  store?: Store;
  /** Plugins to register at construction. @default [] */
  agents?: AgentPlugin[];
  /** Steps running at once, across all workflows of this engine. @default 16 */
  concurrency?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default a no-op logger */
  logger?: Logger;
  /**
   * Continue workflows found `running` in the store when the engine starts (crash recovery).
   * @default true
   */
  recover?: boolean;
  /**
   * How long a started idempotent step may run before its `running` row (and `step.started`
   * event) is committed on its own. A step finishing sooner commits start and end together: one
   * durable commit per step instead of two. Actions that are not idempotent always commit the
   * start before they run. @default 50
   */
  startedFlushMs?: number;
  /** Random source for retry jitter; inject a fixed one in tests. @default Math.random */
  random?: () => number;
  /** Largest JSON size of one step result, in bytes; larger results fail the step. @default 4 MiB */
  maxResultBytes?: number;
}

export interface CreateWorkflowOptions {
  /** Start at once. @default the document's `start`, else true */
  start?: boolean;
  scheduleId?: string | null;
  scheduledFor?: string | null;
  generation?: GenerationInfo | null;
  /** Use this id instead of a generated one (must match the id pattern). */
  id?: string;
}

export interface Engine {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Typed event emitter: `engine.events.on("step.succeeded", e => …)`, or `"event"` for all. */
  readonly events: EngineEmitter;

  /** @throws ConflictError when an agent of that name is registered already. */
  registerAgent(plugin: AgentPlugin): void;
  /** The agents and actions available, with JSON Schemas of their args. */
  catalog(): AgentCatalogEntry[];
  /** Every problem in a workflow document (empty when valid), without storing anything. */
  validate(input: unknown): ValidationIssue[];

  /** Validates, applies engine policy (actions that always need a human), stores, and maybe starts. @throws ValidationError */
  createWorkflow(input: WorkflowInput, options?: CreateWorkflowOptions): Promise<WorkflowRecord>;
  /** @throws NotFoundError */
  getWorkflow(id: string): Promise<WorkflowRecord>;
  listWorkflows(query?: ListWorkflowsQuery): Promise<WorkflowPage>;
  /** The workflow's persisted events after `afterSeq`. @throws NotFoundError */
  listEvents(id: string, afterSeq?: number): Promise<EventRecord[]>;

  /** Starts a pending workflow (same as resume on a pending one). */
  start(id: string): Promise<WorkflowRecord>;
  /** No new step starts; running steps are aborted and return to pending. @throws InvalidStateError when finished */
  interrupt(id: string): Promise<WorkflowRecord>;
  /** See SPEC Lifecycle. @throws InvalidStateError when completed or cancelled */
  resume(id: string): Promise<WorkflowRecord>;
  /** Atomic human edit/decision. @throws ValidationError, InvalidStateError */
  intervene(id: string, intervention: Intervention): Promise<WorkflowRecord>;
  /** Cancels if running, then removes. @throws NotFoundError */
  deleteWorkflow(id: string): Promise<void>;
  /** Cancels a workflow without deleting it. */
  cancel(id: string): Promise<WorkflowRecord>;

  /**
   * Resolves once start-up is done: the executor lease is held and workflows found `running`
   * were recovered. Rejects (e.g. ConflictError) when another engine executes from the same store.
   */
  ready(): Promise<void>;
  /** Resolves when no workflow of this engine has a step running or ready. */
  onIdle(): Promise<void>;
  /**
   * Stops intake, aborts running attempts and closes the store. Their steps stay `running` in the
   * store, so the next start recovers them as after a crash: idempotent ones run again,
   * non-idempotent ones wait for a person as `in_doubt`.
   */
  close(): Promise<void>;
}
