/**
 * Reading a pasted workflow document before it is sent: a bare step list or the object form.
 * The server validates for real; this only finds the steps to draw and builds the request body.
 * @module
 */
import type { DagStep } from "./dag-node";

/** The documented two-step example (SPEC "The workflow document"). */
export const EXAMPLE_STEPS = [
  {
    id: "s1",
    agent: "web_search",
    action: "SEARCH_WEB",
    args: { query: "AI news" },
    depends_on: [],
    outputs: ["results"],
  },
  {
    id: "s2",
    agent: "email",
    action: "SEND_EMAIL",
    args: { to: "$user_email", body: "$results" },
    depends_on: ["s1"],
    needs_human: true,
  },
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Steps that look drawable (an id, an agent and an action); anything else is left to the server. */
export function drawableSteps(doc: unknown): DagStep[] {
  const list = Array.isArray(doc) ? doc : isRecord(doc) && Array.isArray(doc.steps) ? doc.steps : [];
  return list.filter(isRecord).flatMap((s) =>
    typeof s.id === "string"
      ? [
          {
            id: s.id,
            agent: typeof s.agent === "string" ? s.agent : "?",
            action: typeof s.action === "string" ? s.action : "?",
            depends_on: Array.isArray(s.depends_on) ? s.depends_on.filter((d) => typeof d === "string") : [],
            needs_human: s.needs_human === true,
          },
        ]
      : [],
  );
}

/**
 * The body of `POST /api/workflows`. Fields in a pasted object win over the form's; variables merge,
 * the pasted ones winning.
 */
export function buildCreateBody(
  doc: unknown,
  form: { name: string; variables: Record<string, unknown>; start: boolean },
): unknown {
  const name = form.name.trim() || undefined;
  const hasVariables = Object.keys(form.variables).length > 0;
  if (Array.isArray(doc)) {
    return { name, steps: doc, variables: hasVariables ? form.variables : undefined, start: form.start };
  }
  if (!isRecord(doc)) return doc;
  const pasted = isRecord(doc.variables) ? doc.variables : {};
  const variables = hasVariables || doc.variables !== undefined ? { ...form.variables, ...pasted } : undefined;
  return { ...doc, name: doc.name ?? name, variables, start: doc.start ?? form.start };
}
