/**
 * The example agents, configured from the server's settings.
 * @module
 */
import { join } from "node:path";
import type { AgentPlugin } from "@tandem/core";
import { createEmailAgent } from "./email.js";
import { createHttpFetchAgent } from "./http-fetch.js";
import { createUtilAgent } from "./util.js";
import { createWebSearchAgent } from "./web-search.js";

export interface AgentSettings {
  dataDir: string;
  searchUrl?: string;
  smtpUrl?: string;
  mailFrom?: string;
  fetchAllowHosts?: string[];
  fetchAllowPrivate?: boolean;
}

/** web_search, email, http and util. */
export function createAgents(settings: AgentSettings): AgentPlugin[] {
  return [
    createWebSearchAgent({ searchUrl: settings.searchUrl }),
    createEmailAgent({
      smtpUrl: settings.smtpUrl,
      from: settings.mailFrom,
      outboxDir: join(settings.dataDir, "outbox"),
    }),
    createHttpFetchAgent({ allowHosts: settings.fetchAllowHosts, allowPrivateNetworks: settings.fetchAllowPrivate }),
    createUtilAgent(),
  ];
}
