/**
 * JSON Schemas of the replies planners are asked for, derived from the wire-format zod schemas so
 * field names are spelled in one place only. Agent and action names become `const`s of one step
 * variant per action (so each variant carries that action's args schema); beyond
 * {@link MAX_STEP_VARIANTS} actions the schema falls back to plain enums of names.
 * @module
 */
import { z } from "zod";
import type { AgentCatalogEntry } from "../agents/types.js";
import { stepSpecSchema } from "../workflow/schema.js";

type JsonSchema = Record<string, unknown>;

/** Above this many actions, one variant per action makes the schema too large for most servers. */
export const MAX_STEP_VARIANTS = 64;

/** A whole-value `$` reference (`$name`, `$s1.results.items.0.title`), accepted wherever args expect a non-string. */
const REFERENCE_SCHEMA: JsonSchema = {
  type: "string",
  pattern: "^\\$[A-Za-z_][A-Za-z0-9_.-]*$",
  description: "A $reference to an ancestor step's output or a workflow variable.",
};

/** The step schema as a writer sees it (`io: "input"`: fields with defaults are optional). */
function baseStepSchema(): JsonSchema {
  const schema = z.toJSONSchema(stepSpecSchema, { io: "input" }) as JsonSchema;
  delete schema.$schema;
  return schema;
}

function properties(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

function acceptsString(schema: JsonSchema): boolean {
  if (Object.keys(schema).length === 0) return true;
  const type = schema.type;
  if (type === "string" || (Array.isArray(type) && type.includes("string"))) return true;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  return Array.isArray(branches) && branches.some(acceptsString);
}

/** Copies of a JSON Schema that hold `$ref`s cannot be embedded elsewhere without rewriting them. */
function hasRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasRef);
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, inner]) => key === "$ref" || hasRef(inner));
}

/**
 * An action's args schema as a planner may fill it: each top-level field that does not take a
 * string also accepts a whole-value `$reference`, because references are resolved at run time.
 */
export function argsSchemaForPlanner(argsSchema: JsonSchema | null): JsonSchema {
  if (argsSchema === null || hasRef(argsSchema) || argsSchema.type !== "object") return { type: "object" };
  const { $schema: _ignored, ...schema } = argsSchema;
  const props = properties(schema);
  const widened: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries(props)) {
    widened[name] = acceptsString(prop) ? prop : { anyOf: [prop, REFERENCE_SCHEMA] };
  }
  return { ...schema, properties: widened };
}

/** The schema of one step: one variant per action when the catalog is small enough, else name enums. */
export function stepJsonSchema(catalog: AgentCatalogEntry[]): JsonSchema {
  const base = baseStepSchema();
  const actions = catalog.flatMap((agent) => agent.actions.map((action) => ({ agent: agent.name, action })));
  if (actions.length === 0) return base;
  if (actions.length > MAX_STEP_VARIANTS) {
    const props = properties(base);
    const agentNames = catalog.map((a) => a.name);
    const actionNames = [...new Set(actions.map((a) => a.action.name))];
    return {
      ...base,
      properties: {
        ...props,
        agent: { type: "string", enum: agentNames },
        action: { type: "string", enum: actionNames },
      },
    };
  }
  const variants = actions.map(({ agent, action }) => {
    const props = properties(base);
    return {
      ...base,
      description: `${agent}.${action.name}: ${action.description}`,
      properties: {
        ...props,
        agent: { type: "string", const: agent },
        action: { type: "string", const: action.name },
        args: argsSchemaForPlanner(action.args_schema),
      },
    };
  });
  return variants.length === 1 ? (variants[0] as JsonSchema) : { anyOf: variants };
}

/** Reply of a `plan` turn: `{ steps: [...] }` (SPEC "LLM planning"). */
export function planJsonSchema(catalog: AgentCatalogEntry[]): JsonSchema {
  return {
    type: "object",
    properties: { steps: { type: "array", items: stepJsonSchema(catalog) } },
    required: ["steps"],
    additionalProperties: false,
  };
}

/** Reply of a `wizard` turn: `{ reply, steps | null, ready }` (SPEC "LLM planning"). */
export function wizardJsonSchema(catalog: AgentCatalogEntry[]): JsonSchema {
  return {
    type: "object",
    properties: {
      reply: { type: "string", description: "What to tell the person: a question, or a summary of the draft." },
      steps: {
        anyOf: [{ type: "array", items: stepJsonSchema(catalog) }, { type: "null" }],
        description: "The whole draft workflow, or null to keep the current draft unchanged.",
      },
      ready: { type: "boolean", description: "True when the draft does what the person asked and can be created." },
    },
    required: ["reply", "steps", "ready"],
    additionalProperties: false,
  };
}
