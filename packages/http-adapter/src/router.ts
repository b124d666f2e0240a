/**
 * A tiny segment router. `:name` segments capture a parameter; the words `recurring`, `generate` and
 * `wizard` are never captured, so they can never be read as a workflow id.
 * @module
 */

/** Words that name routes under /workflows and therefore can never be ids. */
export const RESERVED_SEGMENTS: ReadonlySet<string> = new Set(["recurring", "generate", "wizard"]);

export interface Route<H> {
  method: string;
  /** e.g. `/workflows/:id/events` */
  path: string;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: "found"; handler: H; params: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

/** Builds a matcher over the given routes. */
export function createRouter<H>(routes: Route<H>[]): (method: string, path: string) => RouteMatch<H> {
  const compiled = routes.map((r) => ({ ...r, segments: r.path.split("/").filter(Boolean) }));
  return (method, path) => {
    const parts = decodeParts(path);
    if (parts === null) return { kind: "not_found" };
    const allow: string[] = [];
    for (const route of compiled) {
      const params = matchSegments(route.segments, parts);
      if (params === null) continue;
      if (route.method === method) return { kind: "found", handler: route.handler, params };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: "method_not_allowed", allow } : { kind: "not_found" };
  };
}

/** Path segments, percent-decoded once; null when the encoding is broken. */
function decodeParts(path: string): string[] | null {
  try {
    return path
      .split("/")
      .filter(Boolean)
      .map((part) => (part.includes("%") ? decodeURIComponent(part) : part));
  } catch {
    return null;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  let params: Record<string, string> | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(":")) {
      if (RESERVED_SEGMENTS.has(part)) return null;
      params ??= {};
      params[p.slice(1)] = part;
    } else if (p !== part) {
      return null;
    }
  }
  return params ?? {};
}
