/**
 * Turns any JSON value into readable plain text for an email body. The documented workflow passes
 * `"body": "$results"`, a list of search results, so lists of `{ title, url }` become title and link
 * lines; other objects become indented JSON. Never `[object Object]`.
 * @module
 */

function isLink(value: unknown): value is { title?: unknown; url: unknown; snippet?: unknown } {
  return typeof value === "object" && value !== null && "url" in value && typeof value.url === "string";
}

function renderItem(item: unknown, index: number): string {
  if (isLink(item)) {
    const title = typeof item.title === "string" && item.title !== "" ? item.title : item.url;
    const snippet = typeof item.snippet === "string" && item.snippet !== "" ? `\n   ${item.snippet}` : "";
    return `${index + 1}. ${title}\n   ${item.url}${snippet}`;
  }
  return `${index + 1}. ${renderBody(item).replace(/\n/g, "\n   ")}`;
}

/** Plain text for any JSON value. */
export function renderBody(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (typeof body === "number" || typeof body === "boolean") return String(body);
  if (Array.isArray(body)) return body.length === 0 ? "(no items)" : body.map(renderItem).join("\n\n");
  if (typeof body === "object" && "results" in body && Array.isArray(body.results)) return renderBody(body.results);
  return JSON.stringify(body, null, 2);
}
