/**
 * Keyset cursors for workflow listing: an opaque base64url string naming the last item of a page
 * by `(created_at, id)`. MemoryStore and SqliteStore share it; any store may use it.
 * @module
 */
import { ValidationError } from "../errors.js";

/** Page size when none is given, and the largest one allowed (SPEC: `?limit=` default 50, max 500). */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

/** Clamps a requested page size into `1..500`; a missing or non-finite limit means 50. */
export function normalizeLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.max(1, Math.floor(limit)));
}

export function encodeCursor(createdAt: string, id: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify([createdAt, id]));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @throws ValidationError (`invalid_request`) when the cursor was not produced by `encodeCursor`. */
export function decodeCursor(cursor: string): [createdAt: string, id: string] {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") {
      return [value[0], value[1]];
    }
  } catch {
    // Falls through to the error below.
  }
  throw new ValidationError(
    [{ path: ["cursor"], code: "invalid_cursor", message: "is not a cursor returned by a previous page" }],
    "Invalid cursor: pass the next_cursor of a previous page unchanged",
    "invalid_request",
  );
}
