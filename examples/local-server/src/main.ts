/**
 * `pnpm start`: reads the environment, starts the server, and shuts down gracefully on SIGTERM/SIGINT.
 * @module
 */
import { loadConfig } from "./config.js";
import { createLocalServer } from "./server.js";

try {
  const server = await createLocalServer(loadConfig());
  const stop = (signal: string) => {
    console.log(`${signal}: stopping (running steps are aborted; the next start recovers them)`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
} catch (error) {
  console.error(`tandem: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
