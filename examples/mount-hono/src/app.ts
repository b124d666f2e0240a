/**
 * An existing Hono app (its own routes, reading their own JSON) with Tandem's fetch handler
 * mounted at `/api` by `app.mount`: no glue needed, Hono speaks Request/Response already.
 * @module
 */
import { createEngine, defineAction, defineAgent, type Engine, MemoryStore } from "@tandem/core";
import { createHandler } from "@tandem/http-adapter";
import { Hono } from "hono";
import { z } from "zod";

/** The agent this app brings: `greeter.HELLO` ({ name } → { text }). */
export const greeter = defineAgent({
  name: "greeter",
  actions: {
    HELLO: defineAction({
      description: "Greets someone",
      args: z.object({ name: z.string().min(1) }),
      outputs: ["text"],
      run: ({ name }) => ({ text: `hello ${name}` }),
    }),
  },
});

const greetBody = z.object({ name: z.string().min(1) });

/** Builds the app around an engine (by default a fresh one on a MemoryStore with the greeter). */
export function createApp(engine: Engine = createEngine({ store: new MemoryStore(), agents: [greeter] })) {
  const app = new Hono();

  // The app's own routes. They read their own bodies; no body-reading middleware runs in front of
  // /api (it would consume the stream the handler reads).
  app.get("/health", (c) => c.json({ ok: true }));
  app.post("/greet", async (c) => {
    const body = greetBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: "expected { name: string }" }, 400);
    // App code can drive the same engine directly; Tandem's routes then show the result.
    const wf = await engine.createWorkflow({
      name: `greet ${body.data.name}`,
      steps: [{ id: "hello", agent: "greeter", action: "HELLO", args: { name: "$name" }, outputs: ["text"] }],
      variables: { name: body.data.name },
    });
    return c.json({ workflow_id: wf.id, status_url: `/api/workflows/${wf.id}` }, 202);
  });

  // Tandem: mount strips "/api"; the handler (basePath "/api") accepts the stripped path.
  app.mount("/api", createHandler({ engine }));
  return { app, engine };
}
