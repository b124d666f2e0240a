/**
 * An existing Express 5 app (its own routes, its own `express.json()` on those routes only) with
 * Tandem's routes mounted at `/api` by `toExpressMiddleware`.
 * @module
 */
import { createEngine, defineAction, defineAgent, type Engine, MemoryStore } from "@tandem/core";
import { createHandler } from "@tandem/http-adapter";
import { toExpressMiddleware } from "@tandem/http-adapter/express";
import express, { type Express } from "express";
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
export function createApp(engine: Engine = createEngine({ store: new MemoryStore(), agents: [greeter] })): {
  app: Express;
  engine: Engine;
} {
  const app = express();

  // The app's own routes. Its JSON parser sits on its own route, not in front of /api.
  app.get("/health", (_req, res) => {
    res.json({ ok: true });
  });
  app.post("/greet", express.json(), async (req, res) => {
    const body = greetBody.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: "expected { name: string }" });
      return;
    }
    // App code can drive the same engine directly; Tandem's routes then show the result.
    const wf = await engine.createWorkflow({
      name: `greet ${body.data.name}`,
      steps: [{ id: "hello", agent: "greeter", action: "HELLO", args: { name: "$name" }, outputs: ["text"] }],
      variables: { name: body.data.name },
    });
    res.status(202).json({ workflow_id: wf.id, status_url: `/api/workflows/${wf.id}` });
  });

  // Tandem: every route of SPEC "HTTP routes" under /api, with its own guards and body parsing.
  app.use("/api", toExpressMiddleware(createHandler({ engine })));
  return { app, engine };
}
