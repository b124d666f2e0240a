/** A depth limit for the JSON values of a workflow document. */

/**
 * How deep args and variables may nest. The HTTP adapter refuses deeper bodies already; this
 * holds for every caller (a model's plan, the engine API), since deeper values would overflow the
 * recursive walks over args and could not be stored.
 */
export const MAX_VALUE_DEPTH = 64;

/** Whether objects or arrays inside `value` nest deeper than `limit` (walked without recursion). */
export function nestsDeeper(value: unknown, limit: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}
