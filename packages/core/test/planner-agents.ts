/** Agents shared by the planner scenarios: a search and an email that always needs a person. */
import { z } from "zod";
import { type AgentPlugin, defineAction, defineAgent } from "../src/index.js";

export interface AgentCalls {
  searches: string[];
  emails: unknown[];
}

export function plannerAgents(calls: AgentCalls = { searches: [], emails: [] }): AgentPlugin[] {
  return [
    defineAgent({
      name: "web_search",
      description: "Searches the web",
      actions: {
        SEARCH_WEB: defineAction({
          description: "Search the web for a query",
          args: z.object({ query: z.string() }),
          outputs: ["results"],
          run: ({ query }) => {
            calls.searches.push(query);
            return { results: [{ title: `About ${query}`, url: "https://example.com" }] };
          },
        }),
      },
    }),
    defineAgent({
      name: "email",
      description: "Sends email",
      actions: {
        SEND_EMAIL: defineAction({
          description: "Send an email",
          args: z.object({ to: z.string(), subject: z.string().optional(), body: z.unknown() }),
          idempotent: false,
          needsHuman: true,
          run: (args) => {
            calls.emails.push(args);
            return { sent: true };
          },
        }),
      },
    }),
  ];
}

export const searchStep = (id: string, dependsOn: string[] = [], query = "AI news") => ({
  id,
  agent: "web_search",
  action: "SEARCH_WEB",
  args: { query },
  depends_on: dependsOn,
  outputs: ["results"],
});

export const emailStep = (id: string, dependsOn: string[], extra: Record<string, unknown> = {}) => ({
  id,
  agent: "email",
  action: "SEND_EMAIL",
  args: { to: "$user_email", body: "$results" },
  depends_on: dependsOn,
  ...extra,
});
