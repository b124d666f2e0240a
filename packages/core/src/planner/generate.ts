/**
 * A sentence becomes a validated workflow: plan → the engine's own validator → issues back to the
 * model → bounded attempts → `PlanInvalidError` with the last issues.
 * @module
 */
import type { Engine } from "../engine-types.js";
import { PlanInvalidError, ValidationError, type ValidationIssue } from "../errors.js";
import type { ChatMessage, WorkflowInput, WorkflowRecord } from "../workflow/schema.js";
import { readPlanReply } from "./plan-reply.js";
import { planJsonSchema } from "./plan-schema.js";
import type { Planner, PlannerUsage } from "./planner.js";
import { addUsage, callPlanner } from "./planner-call.js";
import { planSystemPrompt, repairMessage } from "./prompt.js";

export interface GenerateWorkflowInput {
  /** What the workflow should do, in the user's words. */
  prompt: string;
  /** Workflow variables; the model is told their names (never their values) so it can reference them. */
  variables?: Record<string, unknown>;
  /** Start the workflow once created. @default false (status `pending`) */
  start?: boolean;
  /** Model turns allowed, the first one included. @default 3 */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export interface GenerateWorkflowResult {
  workflow: WorkflowRecord;
  /** Model turns used, 1 when the first plan was valid. */
  attempts: number;
}

/** Workflow names are taken from the prompt, shortened for lists. */
const NAME_LENGTH = 80;

function nameFromPrompt(prompt: string): string {
  const oneLine = prompt.replace(/\s+/g, " ").trim();
  return oneLine.length > NAME_LENGTH ? `${oneLine.slice(0, NAME_LENGTH - 1)}…` : oneLine;
}

function checkInput(input: GenerateWorkflowInput): number {
  const maxAttempts = input.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError(`Expected \`maxAttempts\` to be a positive integer, got ${String(maxAttempts)}`);
  }
  if (typeof input.prompt !== "string" || input.prompt.trim() === "") {
    const issue: ValidationIssue = { path: ["prompt"], code: "required", message: "prompt must be a non-empty string" };
    throw new ValidationError([issue], undefined, "invalid_request");
  }
  return maxAttempts;
}

/**
 * Asks `planner` for a plan of `input.prompt` over the engine's catalog, repairs it with the
 * validator's issues up to `maxAttempts` model turns, and creates the workflow (`pending` unless
 * `start`). Engine policy applies as to any workflow: actions that always need a person are gated
 * whatever the plan says. The prompt, attempts and token usage are kept as `workflow.generation`.
 *
 * @example
 * const { workflow, attempts } = await generateWorkflow(engine, planner, { prompt: "Mail me today's AI news" });
 * @throws PlanInvalidError when no plan validated within `maxAttempts` (carries the last issues).
 * @throws PlannerUnavailableError when no model is configured or reachable.
 * @throws ValidationError (`invalid_request`) when the prompt is empty.
 */
export async function generateWorkflow(
  engine: Engine,
  planner: Planner,
  input: GenerateWorkflowInput,
): Promise<GenerateWorkflowResult> {
  const maxAttempts = checkInput(input);
  const variables = input.variables ?? {};
  const catalog = engine.catalog();
  const jsonSchema = planJsonSchema(catalog);
  const messages: ChatMessage[] = [
    { role: "system", content: planSystemPrompt(catalog, variables) },
    { role: "user", content: input.prompt },
  ];
  let usage: PlannerUsage | null = null;
  let issues: ValidationIssue[] = [];

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const turn = await callPlanner(planner, { kind: "plan", messages, catalog, jsonSchema, signal: input.signal });
    if (!turn.ok) {
      issues = [turn.issue];
      messages.push({ role: "user", content: repairMessage(issues) });
      continue;
    }
    usage = addUsage(usage, turn.response.usage);
    const read = readPlanReply(turn.response.value);
    const document = read.ok ? { name: nameFromPrompt(input.prompt), steps: read.value, variables } : null;
    issues = document ? engine.validate(document) : read.ok ? [] : read.issues;
    if (document && issues.length === 0) {
      // `validate` accepted it, so it has the shape of a WorkflowInput.
      const workflow = await engine.createWorkflow(document as WorkflowInput, {
        start: input.start ?? false,
        generation: { prompt: input.prompt, attempts: attempt, usage },
      });
      return { workflow, attempts: attempt };
    }
    messages.push({ role: "assistant", content: JSON.stringify(turn.response.value) ?? "null" });
    messages.push({ role: "user", content: repairMessage(issues) });
  }
  throw new PlanInvalidError(issues, maxAttempts);
}
