/**
 * The persistence seam. Asynchronous and coarse: each method is one atomic unit, so better-sqlite3
 * can run it inside one synchronous transaction and a networked store (PostgreSQL) can implement
 * it later without changing core. There is deliberately no generic `transaction(callback)`.
 * @module
 */
import type {
  EventRecord,
  FiringRecord,
  InterventionRecord,
  ScheduleRecord,
  SessionRecord,
  StepRecord,
  StepStatus,
  WorkflowRecord,
  WorkflowStatus,
  WorkflowSummary,
} from "../workflow/schema.js";

/** A change to one workflow, applied all-or-nothing: row updates plus appended events. */
export interface WorkflowCommit {
  workflowId: string;
  /** Workflow-level fields to overwrite. `updated_at` should accompany every change. */
  workflow?: Partial<Pick<WorkflowRecord, "status" | "variables" | "updated_at" | "name">>;
  /** Step rows to insert or replace whole (matched by `id`). Order is the step order for new rows. */
  steps?: StepRecord[];
  /**
   * Ids among `steps` whose spec (agent, action, args, depends_on, …) is new or changed by this
   * commit. Every other row of `steps` changed only its run state (status, result, attempts, …),
   * so a store may write just that part. Absent: treat every row as changed.
   */
  specChanged?: string[];
  /**
   * The workflow's step counts by status once this change is applied, as the engine keeps them. A
   * store that keeps counts may take these; without them it must count for itself.
   */
  stepCounts?: Record<StepStatus, number>;
  /** Step ids to delete (intervene `remove_steps`). */
  removedSteps?: string[];
  /** Interventions to append to the workflow's history. */
  interventions?: InterventionRecord[];
  /** Events to append to the workflow's log; `seq` is assigned by the engine and strictly increases. */
  events: EventRecord[];
}

export interface ListWorkflowsQuery {
  status?: WorkflowStatus;
  scheduleId?: string;
  /** @default 50 */
  limit?: number;
  /** Opaque keyset cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface WorkflowPage {
  items: WorkflowSummary[];
  nextCursor: string | null;
}

export interface ListEventsQuery {
  /** Only events with `seq` greater than this. */
  afterSeq?: number;
  limit?: number;
}

export interface Store {
  /** Inserts a new workflow with all its steps. @throws ConflictError when the id exists. */
  createWorkflow(record: WorkflowRecord, events: EventRecord[]): Promise<void>;
  /** Applies one change atomically. @throws NotFoundError when the workflow does not exist. */
  commit(change: WorkflowCommit): Promise<void>;
  getWorkflow(id: string): Promise<WorkflowRecord | null>;
  /** Newest first (`created_at` then `id`, descending), keyset-paginated. */
  listWorkflows(query?: ListWorkflowsQuery): Promise<WorkflowPage>;
  /** Ids of workflows in any of these statuses (recovery after a restart, overlap checks). */
  findWorkflowIds(statuses: WorkflowStatus[], scheduleId?: string): Promise<string[]>;
  /** Removes the workflow, its steps, interventions and events. @returns false when unknown. */
  deleteWorkflow(id: string): Promise<boolean>;
  /** Events in `seq` order. */
  listEvents(workflowId: string, query?: ListEventsQuery): Promise<EventRecord[]>;

  /** Inserts or replaces a schedule. */
  saveSchedule(schedule: ScheduleRecord): Promise<void>;
  getSchedule(id: string): Promise<ScheduleRecord | null>;
  listSchedules(): Promise<ScheduleRecord[]>;
  /** Removes the schedule and its firing records. @returns false when unknown. */
  deleteSchedule(id: string): Promise<boolean>;
  /**
   * Records a slot's firing or skip. @returns true exactly once per `(schedule_id, scheduled_for)`,
   * across restarts and across engines sharing the store; false when the slot was already claimed.
   */
  claimFiring(firing: FiringRecord): Promise<boolean>;
  /** Sets the workflow created for an already claimed slot. */
  setFiringWorkflow(scheduleId: string, scheduledFor: string, workflowId: string): Promise<void>;
  /** Most recent first. */
  listFirings(scheduleId: string, limit?: number): Promise<FiringRecord[]>;

  getSession(id: string): Promise<SessionRecord | null>;
  saveSession(session: SessionRecord): Promise<void>;
  deleteSession(id: string): Promise<boolean>;

  /**
   * Claims the right to execute workflows from this store for one engine. A store shared by
   * several processes refuses a second executor with a ConflictError. Optional: MemoryStore
   * has a single owner by construction.
   */
  acquireExecutorLease?(ownerId: string): Promise<void>;
  close(): Promise<void>;
}

export type { EventRecord, FiringRecord, ScheduleRecord, SessionRecord, StepRecord, WorkflowRecord };
