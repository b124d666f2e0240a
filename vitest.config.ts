import { existsSync, readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

const dirs = ["packages", "examples"]
  .flatMap((d) => readdirSync(d).map((n) => `${d}/${n}`))
  .filter((dir) => existsSync(`${dir}/package.json`));
// Replaces Vite's default conditions, so the defaults are listed again after ours.
const conditions = ["@tandem/source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // In CI a JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    ...(process.env.CI ? { reporters: ["default", "json"], outputFile: { json: "test-results/vitest.json" } } : {}),
    projects: dirs.map((dir) => ({
      extends: true,
      test: { name: dir.split("/")[1], include: [`${dir}/test/**/*.test.ts`, `${dir}/src/**/*.test.ts`] },
    })),
  },
});
