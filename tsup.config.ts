import { defineConfig } from "tsup";

// One config for every package: tsup searches upward from each package directory.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  // composite (needed by tsc -b) makes tsup's dts build reject files outside the entry list.
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  target: "node20",
  tsconfig: "tsconfig.json",
});
