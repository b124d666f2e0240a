import { useMemo } from "preact/hooks";
import { type ParsedJson, parseJson, parseJsonObject } from "../lib/format";

export interface JsonEditorProps {
  value: string;
  onInput: (text: string) => void;
  /** `object` refuses arrays and scalars (args, variables); `any` accepts every JSON value. */
  kind?: "object" | "any";
  rows?: number;
  label?: string;
  name?: string;
  placeholder?: string;
}

/** Validates the text as the person types; the parse result is shared with the caller. */
export function checkJson(text: string, kind: "object" | "any"): ParsedJson {
  return kind === "object" ? parseJsonObject(text) : parseJson(text);
}

/** A textarea for JSON with a live validation message under it. */
export function JsonEditor({ value, onInput, kind = "any", rows = 8, label, name, placeholder }: JsonEditorProps) {
  const parsed = useMemo(() => checkJson(value, kind), [value, kind]);
  return (
    <label>
      {label}
      <textarea
        name={name}
        rows={rows}
        spellcheck={false}
        value={value}
        placeholder={placeholder}
        class={parsed.ok ? "" : "invalid"}
        aria-invalid={!parsed.ok}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <span class="small" style={{ color: parsed.ok ? "var(--s-succeeded)" : "var(--danger)" }}>
        {parsed.ok ? "Valid JSON" : parsed.message}
      </span>
    </label>
  );
}
