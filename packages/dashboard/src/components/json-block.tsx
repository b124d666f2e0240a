import { prettyJson } from "../lib/format";

/**
 * A JSON value shown as text. Strings from agents and models are never parsed as HTML, linked, or
 * loaded as images: Preact puts them in a text node.
 */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" data-label={label}>
      {prettyJson(value)}
    </pre>
  );
}
