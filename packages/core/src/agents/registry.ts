/**
 * The agents an engine knows. One registry per engine: two engines never share plugins.
 * @module
 */
import { z } from "zod";
import { ConflictError } from "../errors.js";
import type { ActionDefinition, AgentCatalogEntry, AgentPlugin } from "./types.js";

const AGENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

export class AgentRegistry {
  readonly #agents = new Map<string, AgentPlugin>();
  #catalog: AgentCatalogEntry[] | null = null;

  /** @throws ConflictError when the name is taken. @throws TypeError on a malformed plugin. */
  register(plugin: AgentPlugin): void {
    if (!plugin || typeof plugin.name !== "string" || !AGENT_NAME.test(plugin.name)) {
      throw new TypeError(`Expected plugin \`name\` to match ${AGENT_NAME}, got ${JSON.stringify(plugin?.name)}`);
    }
    if (this.#agents.has(plugin.name)) throw new ConflictError(`Agent "${plugin.name}" is already registered`);
    if (!plugin.actions || typeof plugin.actions !== "object" || Object.keys(plugin.actions).length === 0) {
      throw new TypeError(`Expected agent "${plugin.name}" to declare at least one action`);
    }
    for (const [name, action] of Object.entries(plugin.actions)) {
      if (typeof action?.run !== "function") {
        throw new TypeError(`Expected action "${plugin.name}.${name}" to have a \`run\` function`);
      }
    }
    this.#agents.set(plugin.name, plugin);
    this.#catalog = null;
  }

  has(agent: string): boolean {
    return this.#agents.has(agent);
  }

  getAction(agent: string, action: string): ActionDefinition | undefined {
    const plugin = this.#agents.get(agent);
    return plugin && Object.hasOwn(plugin.actions, action) ? plugin.actions[action] : undefined;
  }

  actionNames(agent: string): string[] {
    return Object.keys(this.#agents.get(agent)?.actions ?? {});
  }

  agentNames(): string[] {
    return [...this.#agents.keys()];
  }

  /** Agents, actions and JSON Schemas of their args; computed once per registration change. */
  catalog(): AgentCatalogEntry[] {
    if (this.#catalog) return this.#catalog;
    this.#catalog = [...this.#agents.values()].map((plugin) => ({
      name: plugin.name,
      description: plugin.description ?? null,
      actions: Object.entries(plugin.actions).map(([name, action]) => ({
        name,
        description: action.description,
        args_schema: action.args ? toJsonSchema(action.args) : null,
        outputs: action.outputs ?? [],
        idempotent: action.idempotent !== false,
        needs_human: action.needsHuman === true,
      })),
    }));
    return this.#catalog;
  }
}

function toJsonSchema(schema: z.ZodType): Record<string, unknown> | null {
  try {
    // Input mode: fields with defaults are optional to whoever writes the args.
    return z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
  } catch {
    return null;
  }
}
