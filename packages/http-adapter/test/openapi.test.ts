import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document listing every route", async () => {
    const { call } = setup({ token: "a-long-enough-token" });
    const res = await call("GET", "/api/openapi.json", { headers: { authorization: "Bearer a-long-enough-token" } });
    expect(res.status).toBe(200);
    const doc = await res.json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/agents",
        "/openapi.json",
        "/workflows",
        "/workflows/generate",
        "/workflows/recurring",
        "/workflows/recurring/{schedule_id}",
        "/workflows/recurring/{schedule_id}/firings",
        "/workflows/recurring/{schedule_id}/pause",
        "/workflows/recurring/{schedule_id}/resume",
        "/workflows/recurring/{schedule_id}/run",
        "/workflows/wizard/chat",
        "/workflows/wizard/start",
        "/workflows/{id}",
        "/workflows/{id}/events",
        "/workflows/{id}/interrupt",
        "/workflows/{id}/intervene",
        "/workflows/{id}/resume",
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    // Generated from the zod schemas: the step's unknown-field rule and id pattern are there.
    const stepSchema = doc.components.schemas.Workflow.properties.steps.items;
    expect(stepSchema.properties.id.pattern).toBe("^[A-Za-z0-9_-]{1,64}$");
    expect(doc.components.schemas.Intervention.additionalProperties).toBe(false);
    // Request bodies are described from core's schemas, though the engine (not a route pre-parse) validates them.
    const bodyRef = (path: string) => doc.paths[path].post.requestBody.content["application/json"].schema.$ref;
    expect(bodyRef("/workflows")).toBe("#/components/schemas/WorkflowInput");
    expect(bodyRef("/workflows/{id}/intervene")).toBe("#/components/schemas/Intervention");
    const input = doc.components.schemas.WorkflowInput.anyOf;
    expect(input.map((s: { type: string }) => s.type).sort()).toEqual(["array", "object"]);
    expect(input.find((s: { type: string }) => s.type === "object").properties.steps.items.additionalProperties).toBe(
      false,
    );
  });
});
