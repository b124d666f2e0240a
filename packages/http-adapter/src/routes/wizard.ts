/**
 * LLM routes: POST /workflows/generate and the wizard (start, chat), wired to core's
 * `generateWorkflow` and `createWizard`. Without a planner they answer 503 `llm_unavailable`.
 * A client that disconnects aborts the model call through `request.signal`.
 * @module
 */
import { createWizard, generateWorkflow, type Planner, type Wizard } from "@tandem/core";
import { parseWith } from "../body.js";
import { HttpError, json } from "../errors.js";
import { generateBodySchema, wizardChatBodySchema, wizardStartBodySchema } from "../schemas.js";
import type { ResolvedOptions, RouteContext } from "../types.js";

function plannerOf({ options }: RouteContext): Planner {
  if (options.planner === undefined) {
    throw new HttpError("llm_unavailable", "No language model is configured (set OPENAI_MODEL or OPENAI_BASE_URL)");
  }
  return options.planner;
}

const wizards = new WeakMap<ResolvedOptions, Wizard>();

function wizardOf(ctx: RouteContext): Wizard {
  const planner = plannerOf(ctx);
  let wizard = wizards.get(ctx.options);
  if (wizard === undefined) {
    wizard = createWizard({ engine: ctx.options.engine, planner });
    wizards.set(ctx.options, wizard);
  }
  return wizard;
}

/** POST /workflows/generate → 201 `{ workflow, attempts }`; 422 `plan_invalid`; 503 `llm_unavailable`. */
export async function generate(ctx: RouteContext): Promise<Response> {
  const planner = plannerOf(ctx);
  const input = parseWith(generateBodySchema, ctx.body, "generate request");
  const variables = { ...ctx.options.variables, ...input.variables };
  const result = await generateWorkflow(ctx.options.engine, planner, {
    ...input,
    variables,
    signal: ctx.request.signal,
  });
  return json(201, { workflow: result.workflow, attempts: result.attempts });
}

/** POST /workflows/wizard/start → 201 `{ session_id, reply, steps, ready }`. */
export async function wizardStart(ctx: RouteContext): Promise<Response> {
  const wizard = wizardOf(ctx);
  const input = parseWith(wizardStartBodySchema, ctx.body, "wizard request") ?? {};
  const variables = { ...ctx.options.variables, ...input.variables };
  return json(201, await wizard.start({ ...input, variables, signal: ctx.request.signal }));
}

/** POST /workflows/wizard/chat → 200 same shape, plus `workflow` after `confirm: true`. */
export async function wizardChat(ctx: RouteContext): Promise<Response> {
  const wizard = wizardOf(ctx);
  const input = parseWith(wizardChatBodySchema, ctx.body, "wizard request");
  return json(200, await wizard.chat({ ...input, signal: ctx.request.signal }));
}
