/**
 * GET /agents: the catalog of registered agents and actions, with JSON Schemas of their args.
 * @module
 */
import { json } from "../errors.js";
import type { RouteContext } from "../types.js";

/** GET /agents → `{ agents: AgentCatalogEntry[] }`. */
export async function listAgents({ options }: RouteContext): Promise<Response> {
  return json(200, { agents: options.engine.catalog() });
}
