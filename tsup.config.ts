import { defineConfig } from "tsup";

// One config for every package: tsup searches upward from each package directory.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  tsconfig: "tsconfig.json",
});
