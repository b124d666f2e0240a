/**
 * Structured outputs: turning core's JSON Schema into one OpenAI accepts with `strict: true`
 * (every property required, `additionalProperties: false`, optional fields nullable, no
 * unsupported keywords), and taking the extra nulls back out of the reply.
 * @module
 */

export type JsonSchema = { [key: string]: unknown };

export interface StrictSchema {
  schema: JsonSchema;
  /**
   * False when some part cannot be expressed in strict mode (a free-form object such as args of an
   * action without a schema, an `{}` "any value" field, `allOf`/`not`/`if`): the schema is then
   * sent with `strict: false`, as guidance, and core's validation does the rest.
   */
  strict: boolean;
}

/** Keywords strict mode rejects; they only narrow values, and core's validator still checks them. */
const DROPPED = new Set([
  "$schema",
  "default",
  "examples",
  "minLength",
  "maxLength",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "uniqueItems",
]);
/** Keywords with no strict-mode equivalent at all. */
const UNSUPPORTED = ["allOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas", "prefixItems"];
const ANNOTATIONS = new Set(["description", "title", "$comment"]);

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeIncludes(schema: JsonSchema, type: string): boolean {
  return schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));
}

/** Makes a converted schema also accept null (how strict mode spells "optional"). */
function nullable(schema: JsonSchema): JsonSchema {
  if (acceptsNull(schema)) return schema;
  if (typeof schema.type === "string" && !("enum" in schema) && !("const" in schema)) {
    return { ...schema, type: [schema.type, "null"] };
  }
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: "null" }] };
  return { anyOf: [schema, { type: "null" }] };
}

/** Converts `schema` for `strict: true`; `strict` in the result tells whether that fully worked. */
export function toStrictSchema(schema: JsonSchema): StrictSchema {
  let strict = true;
  const convert = (node: unknown): unknown => {
    if (!isObject(node)) {
      strict = false;
      return node;
    }
    if (UNSUPPORTED.some((k) => k in node)) strict = false;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) if (!DROPPED.has(key)) out[key] = value;
    if (Array.isArray(out.oneOf)) {
      out.anyOf = out.oneOf;
      delete out.oneOf;
    }
    if (Array.isArray(out.anyOf)) out.anyOf = out.anyOf.map(convert);
    for (const defs of ["$defs", "definitions"]) {
      if (isObject(out[defs])) {
        out[defs] = Object.fromEntries(Object.entries(out[defs]).map(([k, v]) => [k, convert(v)]));
      }
    }
    const constrained = Object.keys(out).some((k) => !ANNOTATIONS.has(k) && k !== "$defs" && k !== "definitions");
    if (!constrained) strict = false; // `{}`: any value, which strict mode cannot say
    if (typeIncludes(out, "object") || isObject(out.properties)) convertObject(out, convert, () => (strict = false));
    if (typeIncludes(out, "array")) {
      if (out.items === undefined) strict = false;
      else out.items = convert(out.items);
    }
    return out;
  };
  const converted = convert(schema) as JsonSchema;
  return { schema: converted, strict };
}

function convertObject(out: JsonSchema, convert: (node: unknown) => unknown, notStrict: () => void): void {
  const properties = isObject(out.properties) ? out.properties : {};
  const names = Object.keys(properties);
  const extra = out.additionalProperties;
  // A record (`{ [key]: value }`) or a free-form object has no fixed keys: strict mode cannot say it.
  if (extra !== undefined && extra !== false && (names.length === 0 || isObject(extra) || extra === true)) notStrict();
  if (names.length === 0 && extra === undefined) notStrict();
  const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
  out.properties = Object.fromEntries(
    names.map((name) => {
      const converted = convert(properties[name]) as JsonSchema;
      return [name, required.has(name) ? converted : nullable(converted)];
    }),
  );
  out.required = names;
  out.additionalProperties = false;
  if (!out.type) out.type = "object";
}

/** True when `schema` lets a value be null (so a null in the reply is meant, not a stand-in for "absent"). */
export function acceptsNull(schema: unknown): boolean {
  if (!isObject(schema)) return true;
  if ("$ref" in schema) return true;
  if (typeIncludes(schema, "null") || schema.const === null) return true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches)) return branches.some(acceptsNull);
  return schema.type === undefined && !("enum" in schema) && !("const" in schema);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return value === null ? "null" : typeof value;
}

/** The branch of a union that describes `value`: right type, and matching `const`/`enum` discriminators. */
function branchFor(value: unknown, schema: unknown): JsonSchema | undefined {
  if (!isObject(schema)) return undefined;
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (!Array.isArray(branches)) return schema;
  const kind = kindOf(value);
  const candidates = branches
    .filter(isObject)
    .filter((b) => typeIncludes(b, kind) || (kind === "object" && isObject(b.properties)));
  if (kind === "object" && isObject(value)) {
    const matching = candidates.find((b) =>
      Object.entries(isObject(b.properties) ? b.properties : {}).every(([key, prop]) => {
        if (!isObject(prop)) return true;
        if ("const" in prop) return value[key] === prop.const;
        if (Array.isArray(prop.enum)) return prop.enum.includes(value[key]);
        return true;
      }),
    );
    if (matching) return matching;
  }
  return candidates[0];
}

/**
 * Removes the nulls strict mode made the model write for optional fields, walking the reply
 * alongside the ORIGINAL schema: a null stays wherever that schema accepts null (`steps: null`).
 */
export function stripNulls(value: unknown, schema: unknown): unknown {
  const branch = branchFor(value, schema);
  if (!branch) return value;
  if (Array.isArray(value)) return value.map((item) => stripNulls(item, branch.items));
  if (!isObject(value)) return value;
  const properties = isObject(branch.properties) ? branch.properties : {};
  const extra = isObject(branch.additionalProperties) ? branch.additionalProperties : undefined;
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(value)) {
    const propSchema = properties[key] ?? extra;
    if (inner === null && propSchema !== undefined && !acceptsNull(propSchema)) continue;
    out[key] = propSchema === undefined ? inner : stripNulls(inner, propSchema);
  }
  return out;
}
