/**
 * The in-memory `Store`: the default of `createEngine`, and the reference every other store's
 * behaviour is compared with through `runStoreContract`.
 * @module
 */
import { ConflictError, NotFoundError } from "../errors.js";
import {
  type EventRecord,
  emptyStepCounts,
  type FiringRecord,
  type InterventionRecord,
  type ScheduleRecord,
  type SessionRecord,
  type StepRecord,
  type StepStatus,
  type WorkflowRecord,
  type WorkflowStatus,
  type WorkflowSummary,
} from "../workflow/schema.js";
import { decodeCursor, encodeCursor, normalizeLimit } from "./cursor.js";
import type { ListEventsQuery, ListWorkflowsQuery, Store, WorkflowCommit, WorkflowPage } from "./store.js";

/** A workflow as kept in memory: steps by id (insertion order = step order), counts kept up to date. */
interface Entry {
  record: Omit<WorkflowRecord, "steps" | "interventions">;
  steps: Map<string, StepRecord>;
  interventions: InterventionRecord[];
  events: EventRecord[];
  counts: Record<StepStatus, number>;
}

/**
 * Deep copy for reads. Records are JSON data, copied by a plain walk (about 6× faster than
 * structuredClone on a typical record, which made it a quarter of a GET's cost); anything that is
 * not a plain object or array (a Date an agent returned, say) goes through structuredClone.
 */
function copy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Event seqs must strictly increase after `last`. @throws ConflictError */
function checkSeq(workflowId: string, events: EventRecord[], last: number): void {
  let previous = last;
  for (const event of events) {
    if (event.seq <= previous) {
      throw new ConflictError(`Event seq ${event.seq} of workflow ${workflowId} does not follow ${previous}`);
    }
    previous = event.seq;
  }
}

/** `(created_at, id)` ascending, the order of `MemoryStore`'s listing index. */
function compareKey(aCreated: string, aId: string, bCreated: string, bId: string): number {
  if (aCreated !== bCreated) return aCreated < bCreated ? -1 : 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/**
 * Keeps everything in process memory; nothing survives a restart.
 *
 * Ownership: to keep `commit` O(size of the change) the store keeps the nested values it is
 * handed (args, results, event data) without cloning them; only the top level of each step is
 * copied. Callers must treat objects passed to `createWorkflow`/`commit` as given away. Everything
 * returned by a read is a deep copy, so mutating it never changes the store.
 *
 * @example
 * const engine = createEngine({ store: new MemoryStore(), agents: [myAgent] });
 */
export class MemoryStore implements Store {
  #workflows = new Map<string, Entry>();
  /** Workflow ids sorted by `(created_at, id)` ascending; listing walks it backwards. */
  #order: { created: string; id: string }[] = [];
  #schedules = new Map<string, ScheduleRecord>();
  #firings = new Map<string, FiringRecord>();
  #sessions = new Map<string, SessionRecord>();

  async createWorkflow(record: WorkflowRecord, events: EventRecord[]): Promise<void> {
    if (this.#workflows.has(record.id)) throw new ConflictError(`Workflow ${record.id} already exists`);
    checkSeq(record.id, events, 0);
    const { steps, interventions, ...rest } = record;
    const entry: Entry = {
      record: { ...rest },
      steps: new Map(),
      interventions: [...interventions],
      events: [],
      counts: emptyStepCounts(),
    };
    for (const step of steps) this.#putStep(entry, step);
    for (const event of events) entry.events.push(event);
    this.#workflows.set(record.id, entry);
    this.#insertOrder(rest.created_at, rest.id);
  }

  async commit(change: WorkflowCommit): Promise<void> {
    const entry = this.#workflows.get(change.workflowId);
    if (!entry) throw new NotFoundError(`Workflow ${change.workflowId} not found`);
    const events = entry.events;
    const last = events.length ? events[events.length - 1]!.seq : 0;
    // Validate before touching anything: a refused commit leaves no trace.
    checkSeq(change.workflowId, change.events, last);
    if (change.removedSteps) {
      for (const id of change.removedSteps) {
        const step = entry.steps.get(id);
        if (step) {
          entry.counts[step.status]--;
          entry.steps.delete(id);
        }
      }
    }
    if (change.steps) for (const step of change.steps) this.#putStep(entry, step);
    if (change.workflow) Object.assign(entry.record, change.workflow);
    if (change.interventions) for (const i of change.interventions) entry.interventions.push(i);
    for (const event of change.events) events.push(event);
  }

  async getWorkflow(id: string): Promise<WorkflowRecord | null> {
    const entry = this.#workflows.get(id);
    if (!entry) return null;
    return copy({ ...entry.record, interventions: entry.interventions, steps: [...entry.steps.values()] });
  }

  async listWorkflows(query: ListWorkflowsQuery = {}): Promise<WorkflowPage> {
    const limit = normalizeLimit(query.limit);
    let index = this.#order.length - 1;
    if (query.cursor !== undefined) {
      const [created, id] = decodeCursor(query.cursor);
      // First position whose key is >= the cursor; everything before it is strictly older.
      index = this.#lowerBound(created, id) - 1;
    }
    const items: WorkflowSummary[] = [];
    let lastKey: { created: string; id: string } | undefined;
    for (; index >= 0; index--) {
      const key = this.#order[index]!;
      const entry = this.#workflows.get(key.id)!;
      if (query.status !== undefined && entry.record.status !== query.status) continue;
      if (query.scheduleId !== undefined && entry.record.schedule_id !== query.scheduleId) continue;
      if (items.length === limit) {
        return { items, nextCursor: encodeCursor(lastKey!.created, lastKey!.id) };
      }
      items.push(this.#summary(entry));
      lastKey = key;
    }
    return { items, nextCursor: null };
  }

  async findWorkflowIds(statuses: WorkflowStatus[], scheduleId?: string): Promise<string[]> {
    const ids: string[] = [];
    for (const key of this.#order) {
      const record = this.#workflows.get(key.id)!.record;
      if (!statuses.includes(record.status)) continue;
      if (scheduleId !== undefined && record.schedule_id !== scheduleId) continue;
      ids.push(key.id);
    }
    return ids;
  }

  async deleteWorkflow(id: string): Promise<boolean> {
    const entry = this.#workflows.get(id);
    if (!entry) return false;
    this.#workflows.delete(id);
    const at = this.#lowerBound(entry.record.created_at, id);
    this.#order.splice(at, 1);
    return true;
  }

  async listEvents(workflowId: string, query: ListEventsQuery = {}): Promise<EventRecord[]> {
    const events = this.#workflows.get(workflowId)?.events;
    if (!events) return [];
    const after = query.afterSeq ?? 0;
    // Binary search for the first event with seq > after.
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (events[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    const end = query.limit === undefined ? events.length : Math.min(events.length, lo + Math.max(0, query.limit));
    return copy(events.slice(lo, end));
  }

  async saveSchedule(schedule: ScheduleRecord): Promise<void> {
    this.#schedules.set(schedule.id, copy(schedule));
  }

  async getSchedule(id: string): Promise<ScheduleRecord | null> {
    const schedule = this.#schedules.get(id);
    return schedule ? copy(schedule) : null;
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    const all = [...this.#schedules.values()];
    all.sort((a, b) => compareKey(a.created_at, a.id, b.created_at, b.id));
    return copy(all);
  }

  /** Deletes the schedule and its firing records. */
  async deleteSchedule(id: string): Promise<boolean> {
    for (const [key, firing] of this.#firings) if (firing.schedule_id === id) this.#firings.delete(key);
    return this.#schedules.delete(id);
  }

  async claimFiring(firing: FiringRecord): Promise<boolean> {
    const key = `${firing.schedule_id}\u0000${firing.scheduled_for}`;
    if (this.#firings.has(key)) return false;
    this.#firings.set(key, copy(firing));
    return true;
  }

  async setFiringWorkflow(scheduleId: string, scheduledFor: string, workflowId: string): Promise<void> {
    const firing = this.#firings.get(`${scheduleId}\u0000${scheduledFor}`);
    if (!firing) throw new NotFoundError(`No firing of schedule ${scheduleId} at ${scheduledFor}`);
    firing.workflow_id = workflowId;
  }

  async listFirings(scheduleId: string, limit = 100): Promise<FiringRecord[]> {
    const firings = [...this.#firings.values()].filter((f) => f.schedule_id === scheduleId);
    firings.sort((a, b) => (a.scheduled_for < b.scheduled_for ? 1 : a.scheduled_for > b.scheduled_for ? -1 : 0));
    return copy(firings.slice(0, Math.max(0, limit)));
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const session = this.#sessions.get(id);
    return session ? copy(session) : null;
  }

  async saveSession(session: SessionRecord): Promise<void> {
    this.#sessions.set(session.id, copy(session));
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.#sessions.delete(id);
  }

  async close(): Promise<void> {}

  #putStep(entry: Entry, step: StepRecord): void {
    const previous = entry.steps.get(step.id);
    if (previous) entry.counts[previous.status]--;
    entry.counts[step.status]++;
    // A shallow copy: the caller may go on mutating its own step object's fields.
    entry.steps.set(step.id, { ...step });
  }

  #summary(entry: Entry): WorkflowSummary {
    const r = entry.record;
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      created_at: r.created_at,
      updated_at: r.updated_at,
      schedule_id: r.schedule_id,
      scheduled_for: r.scheduled_for,
      step_counts: { ...entry.counts },
    };
  }

  #lowerBound(created: string, id: string): number {
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const key = this.#order[mid]!;
      if (compareKey(key.created, key.id, created, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #insertOrder(created: string, id: string): void {
    const order = this.#order;
    const last = order[order.length - 1];
    // Fast path: workflows are usually created in time order.
    if (!last || compareKey(last.created, last.id, created, id) < 0) order.push({ created, id });
    else order.splice(this.#lowerBound(created, id), 0, { created, id });
  }
}
