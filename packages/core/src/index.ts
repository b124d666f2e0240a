/**
 * @tandem/core: workflow model and validation, `$` references, agent registry, executor,
 * human-in-the-loop, events, the Store seam with an in-memory store, scheduler and planner seams.
 * @module
 */

export { AgentRegistry } from "./agents/registry.js";
export type { ActionDefinition, AgentCatalogEntry, AgentContext, AgentPlugin } from "./agents/types.js";
export { defineAction, defineAgent } from "./agents/types.js";
export { createEngine } from "./engine.js";
export type { CreateWorkflowOptions, Engine, EngineOptions } from "./engine-types.js";
export type { TandemErrorCode, ValidationIssue } from "./errors.js";
export {
  ConflictError,
  InvalidStateError,
  isTandemError,
  NonRetryableError,
  NotFoundError,
  PlanInvalidError,
  PlannerUnavailableError,
  summarizeIssues,
  TandemError,
  toTandemError,
  ValidationError,
} from "./errors.js";
export type { EngineEventMap, EngineEventType, ScheduleEvent, ScheduleEventType } from "./events.js";
export { EngineEmitter, SCHEDULE_EVENT_TYPES, STEP_EVENT_TYPES, safeEmit, WORKFLOW_EVENT_TYPES } from "./events.js";
export type { Logger } from "./logger.js";
export { noopLogger } from "./logger.js";
export type { GenerateWorkflowInput, GenerateWorkflowResult } from "./planner/generate.js";
export { generateWorkflow } from "./planner/generate.js";
export { planJsonSchema, wizardJsonSchema } from "./planner/plan-schema.js";
export type { Planner, PlannerRequest, PlannerResponse, PlannerUsage } from "./planner/planner.js";
export type { Wizard, WizardChatInput, WizardOptions, WizardStartInput, WizardTurn } from "./planner/wizard.js";
export { createWizard } from "./planner/wizard.js";
export type { Clock } from "./scheduler/clock.js";
export { systemClock } from "./scheduler/clock.js";
export type { SchedulerOptions } from "./scheduler/cron-scheduler.js";
export { CronScheduler, createScheduler } from "./scheduler/cron-scheduler.js";
export type { FireTimesLimit } from "./scheduler/next-fire-times.js";
export { nextFireTimes } from "./scheduler/next-fire-times.js";
export type { ScheduleInput, Scheduler } from "./scheduler/scheduler.js";
export type { CatchUpPolicy, OverlapPolicy } from "./scheduler/types.js";
export { decodeCursor, encodeCursor, normalizeLimit } from "./store/cursor.js";
export { MemoryStore } from "./store/memory-store.js";
export type { ListEventsQuery, ListWorkflowsQuery, Store, WorkflowCommit, WorkflowPage } from "./store/store.js";
export { MAX_VALUE_DEPTH } from "./workflow/depth.js";
export type { Reference, TemplatePart } from "./workflow/references.js";
export { parseTemplate } from "./workflow/references.js";
export type {
  ChatMessage,
  EventRecord,
  FiringRecord,
  GenerationInfo,
  Intervention,
  InterventionRecord,
  RetryPolicy,
  ScheduleRecord,
  SessionRecord,
  StepError,
  StepInput,
  StepRecord,
  StepSpec,
  StepStatus,
  Variables,
  WorkflowDocument,
  WorkflowInput,
  WorkflowRecord,
  WorkflowStatus,
  WorkflowSummary,
} from "./workflow/schema.js";
export * as schemas from "./workflow/schema.js";
export {
  emptyStepCounts,
  FINISHED_STATUSES,
  ID_PATTERN,
  NAME_PATTERN,
  STEP_STATUSES,
  WORKFLOW_STATUSES,
} from "./workflow/schema.js";
export type { ValidatedWorkflow, ValidationResult } from "./workflow/validate.js";
export { validateWorkflow } from "./workflow/validate.js";
