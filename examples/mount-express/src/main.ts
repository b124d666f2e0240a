/**
 * `pnpm --filter @tandem/example-mount-express start`: serves the app on 127.0.0.1:PORT (default 8002).
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";

const { app, engine } = createApp();
const server = createServer(app);
server.listen(Number(process.env.PORT ?? 8002), "127.0.0.1", () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`express app on ${url} (own routes: /health, POST /greet; Tandem at ${url}/api/workflows)`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => server.close(() => void engine.close().then(() => process.exit(0))));
