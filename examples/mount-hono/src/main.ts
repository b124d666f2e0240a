/**
 * `pnpm --filter @tandem/example-mount-hono start`: serves the app with @hono/node-server on
 * 127.0.0.1:PORT (default 8004).
 * @module
 */
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";

const { app, engine } = createApp();
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8004), hostname: "127.0.0.1" }, (info) => {
  const url = `http://127.0.0.1:${info.port}`;
  console.log(`hono app on ${url} (own routes: /health, POST /greet; Tandem at ${url}/api/workflows)`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => server.close(() => void engine.close().then(() => process.exit(0))));
