/**
 * Small pure helpers for showing records: times, durations, JSON and status words.
 * @module
 */
import type { StepStatus, WorkflowStatus } from "@tandem/core";
import { findJsonError } from "./json-syntax";

export const WORKFLOW_STATUS_LIST: readonly WorkflowStatus[] = [
  "pending",
  "running",
  "paused",
  "completed",
  "failed",
  "cancelled",
];

export const STEP_STATUS_LIST: readonly StepStatus[] = [
  "pending",
  "running",
  "awaiting_human",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
];

/** Workflow statuses after which nothing moves unless a person resumes (failed) or never (the others). */
export function isFinished(status: WorkflowStatus): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}

/** "awaiting_human" → "awaiting human". */
export function statusLabel(status: string): string {
  return status.replace(/_/g, " ");
}

/** Absolute time in the viewer's locale, or an em dash. */
export function formatTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** "3 s ago", "5 min ago", "in 2 h"; falls back to the date beyond a week. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1000, "s"],
  ];
  if (abs > 7 * 86_400_000) return formatTime(iso);
  if (abs < 1000) return "just now";
  const [size, unit] = units.find(([s]) => abs >= s) ?? [1000, "s"];
  const n = Math.floor(abs / size);
  return diff < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** Duration between two ISO times ("1.2 s", "3 min 4 s"); while running, up to now. */
export function formatDuration(start: string | null, end: string | null, now = Date.now()): string {
  if (!start) return "—";
  const ms = (end ? new Date(end).getTime() : now) - new Date(start).getTime();
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Pretty JSON for display; `undefined` becomes an em dash instead of nothing. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return "—";
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Result of {@link parseJson}: the value, or a message that says where the text went wrong. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON.parse with a message that names the line and column of the mistake. */
export function parseJson(text: string): ParsedJson {
  if (text.trim() === "") return { ok: false, message: "Empty: write a JSON value." };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const found = findJsonError(text);
    if (!found) return { ok: false, message: err instanceof Error ? err.message : String(err) };
    const before = text.slice(0, found.offset);
    const line = before.split("\n").length;
    const column = found.offset - before.lastIndexOf("\n");
    const near = text.slice(found.offset, found.offset + 12).split("\n")[0];
    const at = near ? ` near "${near}"` : " at the end";
    return { ok: false, message: `Line ${line}, column ${column}: expected ${found.expected}${at}.` };
  }
}

/** Parses text that must be a JSON object (args, variables); empty text means `{}` when allowed. */
export function parseJsonObject(text: string, emptyIsEmpty = true): ParsedJson {
  if (emptyIsEmpty && text.trim() === "") return { ok: true, value: {} };
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, message: "Must be a JSON object." };
  return parsed;
}
