/** Rebuilds the in-memory state of a stored workflow (after a restart, or once it went idle). */
import type { AgentRegistry } from "../agents/registry.js";
import { NotFoundError } from "../errors.js";
import type { Store } from "../store/store.js";
import { checkSteps } from "../workflow/validate.js";
import { WorkflowRun } from "./workflow-run.js";

export async function loadRun(store: Store, registry: AgentRegistry, id: string): Promise<WorkflowRun> {
  const record = await store.getWorkflow(id);
  if (!record) throw new NotFoundError(`Workflow ${id} not found`);
  // The log says where its seq stands and why a paused workflow paused (a person, or waiting).
  const events = await store.listEvents(id);
  const { bindings } = checkSteps(record.steps, registry, record.variables, (k) => ["steps", k]);
  const run = new WorkflowRun(record, bindings, events.length ? events[events.length - 1].seq : 0);
  if (record.status === "paused") {
    const lastPause = events.findLast((e) => e.type === "workflow.paused");
    run.pauseReason = (lastPause?.data.reason as string | undefined) ?? null;
  }
  return run;
}
