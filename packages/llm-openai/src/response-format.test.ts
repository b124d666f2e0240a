import { type AgentCatalogEntry, wizardJsonSchema } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { stripNulls, toStrictSchema } from "./response-format.js";

const emailCatalog: AgentCatalogEntry[] = [
  {
    name: "email",
    description: null,
    actions: [
      {
        name: "SEND_EMAIL",
        description: "Send an email",
        args_schema: {
          type: "object",
          properties: { to: { type: "string" }, subject: { type: "string" }, body: {} },
          required: ["to", "body"],
          additionalProperties: false,
        },
        outputs: [],
        idempotent: false,
        needs_human: true,
      },
    ],
  },
];

describe("toStrictSchema", () => {
  it("makes every property required and optional ones nullable, without touching the input", () => {
    const input = {
      type: "object",
      properties: { a: { type: "string", minLength: 1 }, b: { type: "integer", default: 3 }, c: { enum: ["x", "y"] } },
      required: ["a"],
    };
    const copy = structuredClone(input);
    const { schema, strict } = toStrictSchema(input);
    expect(strict).toBe(true);
    expect(schema).toEqual({
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: ["integer", "null"] },
        c: { anyOf: [{ enum: ["x", "y"] }, { type: "null" }] },
      },
      required: ["a", "b", "c"],
      additionalProperties: false,
    });
    expect(input).toEqual(copy);
  });

  it("turns oneOf into anyOf and converts every branch", () => {
    const { schema, strict } = toStrictSchema({
      oneOf: [{ type: "object", properties: { k: { type: "string" } } }, { type: "null" }],
    });
    expect(strict).toBe(true);
    expect(schema).toEqual({
      anyOf: [
        {
          type: "object",
          properties: { k: { type: ["string", "null"] } },
          required: ["k"],
          additionalProperties: false,
        },
        { type: "null" },
      ],
    });
  });

  it("says when a schema cannot be strict: free-form objects, records, any-value fields, allOf", () => {
    expect(toStrictSchema({ type: "object" }).strict).toBe(false);
    expect(toStrictSchema({ type: "object", additionalProperties: { type: "string" } }).strict).toBe(false);
    expect(toStrictSchema({ type: "object", properties: { v: {} }, required: ["v"] }).strict).toBe(false);
    expect(toStrictSchema({ allOf: [{ type: "string" }] }).strict).toBe(false);
    expect(toStrictSchema({ type: "array" }).strict).toBe(false);
    // The email action takes any JSON as its body, so its plan schema is sent non-strict.
    expect(toStrictSchema(wizardJsonSchema(emailCatalog)).strict).toBe(false);
  });
});

describe("stripNulls", () => {
  it("drops nulls only where the original schema does not accept null", () => {
    const schema = wizardJsonSchema(emailCatalog);
    expect(stripNulls({ reply: "What address?", steps: null, ready: false }, schema)).toEqual({
      reply: "What address?",
      steps: null,
      ready: false,
    });
    const step = {
      id: "s1",
      agent: "email",
      action: "SEND_EMAIL",
      args: { to: "a@b.c", subject: null, body: null },
      depends_on: [],
      outputs: null,
      needs_human: null,
      description: null,
      retry: null,
      timeout_ms: null,
    };
    expect(stripNulls({ reply: "Done", steps: [step], ready: true }, schema)).toEqual({
      reply: "Done",
      steps: [{ id: "s1", agent: "email", action: "SEND_EMAIL", args: { to: "a@b.c", body: null }, depends_on: [] }],
      ready: true,
    });
  });

  it("picks the union branch whose const discriminators match", () => {
    const schema = {
      type: "array",
      items: {
        anyOf: [
          { type: "object", properties: { kind: { const: "a" }, x: { type: "string" } } },
          { type: "object", properties: { kind: { const: "b" }, x: { type: ["string", "null"] } } },
        ],
      },
    };
    expect(
      stripNulls(
        [
          { kind: "a", x: null },
          { kind: "b", x: null },
        ],
        schema,
      ),
    ).toEqual([{ kind: "a" }, { kind: "b", x: null }]);
  });
});
