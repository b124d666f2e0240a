/**
 * `pnpm --filter @tandem/example-mount-fastify start`: serves the app on 127.0.0.1:PORT (default 8003).
 * @module
 */
import { createApp } from "./app.js";

const { app } = createApp();
const address = await app.listen({ port: Number(process.env.PORT ?? 8003), host: "127.0.0.1" });
console.log(`fastify app on ${address} (own routes: /health, POST /greet; Tandem at ${address}/api/workflows)`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void app.close().then(() => process.exit(0)));
