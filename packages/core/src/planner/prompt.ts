/**
 * The words sent to planners. Kept apart from the loops so that prompt wording can change
 * without touching control flow, and so tests can assert on what the model is told.
 * @module
 */
import type { AgentCatalogEntry } from "../agents/types.js";
import type { ValidationIssue } from "../errors.js";

const DOCUMENT_RULES = `A workflow is a list of steps. Each step is an object with:
- "id": unique, letters, digits, "_" or "-", at most 64 characters (for example "search_news").
- "agent" and "action": exactly one of the actions listed in the catalog below.
- "args": an object following that action's args schema.
- "depends_on": ids of the steps that must finish first (default []).
- "outputs": names this step publishes from its result, so later steps can use them (default []).
- "needs_human": true when a person must approve the step before it runs (default false).
- optional "description" (one short sentence), "retry" ({"max_attempts": n, "backoff_ms": n}), "timeout_ms".
Do not add any other field.

References: inside args, "$name" is replaced by the output "name" of an ancestor step (a step reached
through depends_on, directly or transitively), or else by the workflow variable "name".
"$s1.results" names step s1's output explicitly, and a path may follow: "$s1.results.items.0.title".
A string that is exactly one reference becomes the value itself (a list stays a list); a reference
inside a longer string is interpolated. "$$" is a literal "$". Only reference outputs of ancestors
and variables that exist: a step can only use what its depends_on chain produces.

Parallelism: steps without a path between them run at the same time. Add a dependency only when a
step needs another step's output or must happen after it; never chain independent steps. Steps that
gather or combine results (a join) depend on every step they combine. No cycles.`;

function describeCatalog(catalog: AgentCatalogEntry[]): string {
  if (catalog.length === 0) return "(no agents are registered)";
  const lines: string[] = [];
  for (const agent of catalog) {
    lines.push(`Agent "${agent.name}"${agent.description ? `: ${agent.description}` : ""}`);
    for (const action of agent.actions) {
      const flags = [
        action.needs_human ? "always needs a person's approval" : "",
        action.idempotent ? "" : "not idempotent",
      ].filter(Boolean);
      lines.push(`  - action "${action.name}": ${action.description}${flags.length ? ` (${flags.join(", ")})` : ""}`);
      lines.push(`    args schema: ${action.args_schema ? JSON.stringify(action.args_schema) : "any object"}`);
      if (action.outputs.length) lines.push(`    result fields: ${action.outputs.join(", ")}`);
    }
  }
  return lines.join("\n");
}

function describeVariables(variables: Record<string, unknown>): string {
  const names = Object.keys(variables);
  return names.length
    ? `Workflow variables you may reference: ${names.map((n) => `$${n}`).join(", ")}.`
    : "There are no workflow variables.";
}

/** System prompt of a one-shot plan: the document rules, the catalog and the variables. */
export function planSystemPrompt(catalog: AgentCatalogEntry[], variables: Record<string, unknown>): string {
  return `You plan workflows for Tandem, a workflow engine. Turn the user's request into a workflow
that uses only the agents and actions of the catalog, and reply with a JSON object {"steps": [...]}.

${DOCUMENT_RULES}

Catalog:
${describeCatalog(catalog)}

${describeVariables(variables)}`;
}

/** System prompt of the wizard: the same rules, plus the conversational reply format. */
export function wizardSystemPrompt(catalog: AgentCatalogEntry[], variables: Record<string, unknown>): string {
  return `You are Tandem's workflow wizard. Through a short conversation, help the person build a workflow that
uses only the agents and actions of the catalog. Every reply is a JSON object
{"reply": string, "steps": [...] | null, "ready": boolean}:
- "reply": what to tell the person (a question when something is unclear, or a short summary of the draft);
- "steps": the whole current draft whenever you create or change it, or null to leave the draft unchanged;
- "ready": true only when the draft does what the person asked and could be created as it stands.
Ask at most one question at a time. Messages starting with "Validation:" come from the engine, not the person.

${DOCUMENT_RULES}

Catalog:
${describeCatalog(catalog)}

${describeVariables(variables)}`;
}

/** One issue per line, each located by its path, as the repair message lists them. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues
    .map((issue) => `- ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message} [${issue.code}]`)
    .join("\n");
}

/** The user message that asks for a corrected plan. */
export function repairMessage(issues: ValidationIssue[]): string {
  return `Validation: the plan is invalid. Fix every problem below and reply with the whole corrected plan as {"steps": [...]}.
${formatIssues(issues)}`;
}

/** The message that asks the wizard model to correct its draft within the same turn. */
export function wizardRepairMessage(issues: ValidationIssue[]): string {
  return `Validation: the draft in your last reply is invalid and was not kept. Reply again with the same "reply" intent and a corrected "steps" list.
${formatIssues(issues)}`;
}
