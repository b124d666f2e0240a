/**
 * `$` references: parsing strings into literal text and references, and substituting values.
 * Binding a reference to a step output or a variable needs the DAG and lives in bind.ts.
 *
 * Grammar: `$` + head + (`.` + segment)*, where head starts with a letter or `_` and segments use
 * `[A-Za-z0-9_-]`. `${a.b}` is the braced form for text that continues with a name character.
 * `$$` is a literal `$`, and a `$` not followed by a name start is literal too.
 * @module
 */

export interface Reference {
  /** The reference as written, e.g. `$s1.results.0`. */
  raw: string;
  /** `["s1", "results", "0"]`. */
  segments: string[];
}

/** A string split into literal text and references. */
export type TemplatePart = string | Reference;

const isHeadStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSegmentChar = (c: number) => isHeadStart(c) || (c >= 48 && c <= 57) || c === 45;

function readSegment(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSegmentChar(s.charCodeAt(i))) i++;
  return i;
}

/** Splits a string into parts; returns null when the string holds no reference and no `$$`. */
export function parseTemplate(s: string): TemplatePart[] | null {
  if (s.indexOf("$") === -1) return null;
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch !== "$") {
      text += ch;
      i++;
      continue;
    }
    const next = s.charCodeAt(i + 1);
    if (next === 36 /* $ */) {
      text += "$";
      i += 2;
      continue;
    }
    const braced = next === 123; /* { */
    const start = braced ? i + 2 : i + 1;
    if (!isHeadStart(s.charCodeAt(start))) {
      text += "$";
      i++;
      continue;
    }
    const segments: string[] = [];
    let end = readSegment(s, start);
    segments.push(s.slice(start, end));
    while (s[end] === "." && isSegmentChar(s.charCodeAt(end + 1))) {
      const segEnd = readSegment(s, end + 1);
      segments.push(s.slice(end + 1, segEnd));
      end = segEnd;
    }
    if (braced) {
      if (s[end] !== "}") {
        text += "$";
        i++;
        continue;
      }
      end++;
    }
    if (text) parts.push(text);
    text = "";
    parts.push({ raw: s.slice(i, end), segments });
    i = end;
  }
  if (text) parts.push(text);
  return parts;
}

/** A reference found in args, with where it was found. */
export interface ReferenceSite {
  ref: Reference;
  /** Path inside args, e.g. `["body"]` or `["headers", "x"]`. */
  path: (string | number)[];
}

/** Every reference inside a JSON value (strings in objects and arrays, at any depth). */
export function collectReferences(value: unknown, path: (string | number)[] = [], out: ReferenceSite[] = []) {
  if (typeof value === "string") {
    const parts = parseTemplate(value);
    if (parts) for (const p of parts) if (typeof p !== "string") out.push({ ref: p, path });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collectReferences(value[i], [...path, i], out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) collectReferences(v, [...path, k], out);
  }
  return out;
}

/** True when a JSON value contains at least one reference (used to relax literal schema checks). */
export function containsReference(value: unknown): boolean {
  if (typeof value === "string") {
    const parts = parseTemplate(value);
    return parts?.some((p) => typeof p !== "string") ?? false;
  }
  if (Array.isArray(value)) return value.some(containsReference);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsReference);
  return false;
}

/** True when a JSON value holds a reference or a `$$` escape: it must go through `substitute`. */
export function containsTemplate(value: unknown): boolean {
  if (typeof value === "string") return parseTemplate(value) !== null;
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsTemplate);
  return false;
}

/** Thrown by a resolver when a reference has no value at run time. */
export class UnresolvedReferenceError extends Error {
  /** The step error code it becomes, whether the step was about to run or to wait for a person. */
  readonly code = "unresolved_reference";
  constructor(
    readonly raw: string,
    reason: string,
  ) {
    super(`${raw}: ${reason}`);
    this.name = "UnresolvedReferenceError";
  }
}

/** Substitutes references: a whole-string reference keeps the value's JSON type; others interpolate. */
export function substitute(value: unknown, resolve: (ref: Reference) => unknown): unknown {
  if (typeof value === "string") {
    const parts = parseTemplate(value);
    if (parts === null) return value;
    if (parts.length === 1 && typeof parts[0] !== "string") return resolve(parts[0]);
    let out = "";
    for (const p of parts) out += typeof p === "string" ? p : stringify(resolve(p));
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, resolve));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, resolve);
    return out;
  }
  return value;
}

function stringify(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Follows a path (`items.0.title`) into a JSON value; `undefined` when any step is missing. */
export function followPath(value: unknown, path: readonly string[], from = 0): unknown {
  let cur = value;
  for (let i = from; i < path.length; i++) {
    if (cur === null || typeof cur !== "object") return undefined;
    const key = path[i];
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else {
      if (!Object.hasOwn(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}
