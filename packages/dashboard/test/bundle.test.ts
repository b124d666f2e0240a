import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceHash } from "../scripts/source-hash";

const root = resolve(import.meta.dirname, "..");
const publicDir = resolve(root, "../../examples/local-server/public");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe("the committed bundle in examples/local-server/public", () => {
  it("was built from the current source (run `pnpm --filter @tandem/dashboard build` and commit public/)", () => {
    const info = JSON.parse(readFileSync(join(publicDir, "build-info.json"), "utf8")) as { source_hash: string };
    expect(info.source_hash).toBe(sourceHash(root));
  });

  it("references only files it ships, by relative path, and nothing remote", () => {
    const html = readFileSync(join(publicDir, "index.html"), "utf8");
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((r) => r !== "data:,");
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) {
      expect(ref).toMatch(/^\.\/assets\//);
      expect(existsSync(join(publicDir, ref))).toBe(true);
    }
    const css = readdirSync(join(publicDir, "assets")).filter((f) => f.endsWith(".css"));
    for (const file of css) expect(readFileSync(join(publicDir, "assets", file), "utf8")).not.toMatch(/url\(|@import/);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'self'; img-src 'self' data:/);
  });
});

describe("text from agents and models", () => {
  it("is never set as HTML anywhere in the dashboard's source", () => {
    for (const file of sourceFiles(join(root, "src"))) {
      const text = readFileSync(file, "utf8");
      expect({
        file,
        html: /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(text),
      }).toEqual({
        file,
        html: false,
      });
    }
  });
});
