import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { sourceHash } from "./scripts/source-hash";

const root = dirname(fileURLToPath(import.meta.url));
// Committed output: the local server serves this folder at `/` with no build step.
const outDir = resolve(root, "../../examples/local-server/public");

/** Writes build-info.json so a test can tell when the committed bundle is older than src/. */
function buildInfo(): Plugin {
  return {
    name: "tandem-build-info",
    generateBundle() {
      const info = { source_hash: sourceHash(root), built_with: "vite" };
      this.emitFile({ type: "asset", fileName: "build-info.json", source: `${JSON.stringify(info, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  root,
  base: "./",
  // No React plugin: esbuild compiles JSX for Preact's automatic runtime.
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  plugins: [buildInfo()],
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        // cron-parser and luxon are only needed by the schedule form: their own lazily loaded chunk.
        manualChunks: (id) => (/[\\/](cron-parser|luxon)[\\/]/.test(id) ? "cron" : undefined),
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
