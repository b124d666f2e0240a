/**
 * What a plugin author writes: a plain object with actions, each a function plus metadata.
 * @module
 */
import type { z } from "zod";
import type { Logger } from "../logger.js";

/** What a running action is given besides its args. */
export interface AgentContext {
  workflowId: string;
  stepId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * Stable across retries and crash recovery of the same step (`<workflowId>:<stepId>`), so a
   * plugin can make side effects exactly-once (SPEC spells it idempotency_key on the wire).
   */
  idempotencyKey: string;
  /** Aborted on interrupt, cancel, delete, timeout and engine shutdown. */
  signal: AbortSignal;
  logger: Logger;
  /** The workflow's variables, read-only. */
  variables: Readonly<Record<string, unknown>>;
}

export interface ActionDefinition<Args = Record<string, unknown>> {
  description: string;
  /** Zod schema of the args, checked at validation time against literal args and after resolution. */
  args?: z.ZodType<Args>;
  /** Names of the fields the result usually carries (shown to planners and in the catalog). */
  outputs?: string[];
  /**
   * False for actions with side effects that must not repeat blindly (sending an email). After a
   * crash, such a step found `running` waits for a person (`in_doubt`) instead of re-running.
   * @default true
   */
  idempotent?: boolean;
  /** True when every step of this action needs a person's approval; a workflow cannot turn it off. @default false */
  needsHuman?: boolean;
  run(args: Args, ctx: AgentContext): unknown | Promise<unknown>;
}

export interface AgentPlugin {
  /** The `agent` field of a step, e.g. `web_search`. */
  name: string;
  description?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each action declares its own args type
  actions: Record<string, ActionDefinition<any>>;
}

/** Identity helper for a plugin object (type inference only). */
export function defineAgent(plugin: AgentPlugin): AgentPlugin {
  return plugin;
}

/** Identity helper for one action: infers the type of `args` in `run` from its zod schema. */
export function defineAction<S extends z.ZodType<Record<string, unknown>>>(
  action: Omit<ActionDefinition<z.output<S>>, "args"> & { args: S },
): ActionDefinition<z.output<S>> {
  return action as unknown as ActionDefinition<z.output<S>>;
}

/** The catalog sent to planners and served at GET /api/agents. */
export interface AgentCatalogEntry {
  name: string;
  description: string | null;
  actions: {
    name: string;
    description: string;
    /** JSON Schema of the args (draft 2020-12), or null when the action declares none. */
    args_schema: Record<string, unknown> | null;
    outputs: string[];
    idempotent: boolean;
    needs_human: boolean;
  }[];
}
