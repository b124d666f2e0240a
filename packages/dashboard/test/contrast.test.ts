import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { STEP_STATUS_LIST } from "../src/lib/format";

const css = readFileSync(resolve(import.meta.dirname, "../src/styles.css"), "utf8");

/** The hex value of a custom property in styles.css. */
function cssVar(name: string): string {
  const match = css.match(new RegExp(`--${name}:\\s*(#[0-9a-f]{6});`, "i"));
  if (!match) throw new Error(`--${name} is not a #rrggbb colour in styles.css`);
  return match[1];
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe("status colours", () => {
  const statuses = [...STEP_STATUS_LIST, "paused", "completed"];
  it.each(statuses)("%s reads at WCAG AA (4.5:1) on its own background and on white", (status) => {
    const text = cssVar(`s-${status}`);
    expect(contrast(text, cssVar(`s-${status}-bg`))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(text, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
});
