// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is the braced reference form under test, not a template.
import { describe, expect, it } from "vitest";
import {
  collectReferences,
  containsReference,
  followPath,
  parseTemplate,
  type Reference,
  substitute,
} from "./references.js";

const ref = (raw: string, ...segments: string[]): Reference => ({ raw, segments });

/** A resolver over a flat table keyed by the reference's first segment, following the rest as a path. */
const table =
  (values: Record<string, unknown>) =>
  (r: Reference): unknown =>
    followPath(values[r.segments[0]], r.segments, 1);

describe("parseTemplate", () => {
  it("returns null for a string without any $", () => {
    expect(parseTemplate("plain text")).toBeNull();
    expect(parseTemplate("")).toBeNull();
  });

  it("parses a whole-string reference", () => {
    expect(parseTemplate("$results")).toEqual([ref("$results", "results")]);
  });

  it("parses a qualified reference and a path with array indices", () => {
    expect(parseTemplate("$s1.results")).toEqual([ref("$s1.results", "s1", "results")]);
    expect(parseTemplate("$s1.results.items.0.title")).toEqual([
      ref("$s1.results.items.0.title", "s1", "results", "items", "0", "title"),
    ]);
  });

  it("splits several references and the text between them", () => {
    expect(parseTemplate("To $name <$email>: $s1.count items")).toEqual([
      "To ",
      ref("$name", "name"),
      " <",
      ref("$email", "email"),
      ">: ",
      ref("$s1.count", "s1", "count"),
      " items",
    ]);
  });

  it("leaves a trailing dot (end of sentence) out of the reference", () => {
    expect(parseTemplate("Hi $name.")).toEqual(["Hi ", ref("$name", "name"), "."]);
    expect(parseTemplate("See $s1.out. Next")).toEqual(["See ", ref("$s1.out", "s1", "out"), ". Next"]);
    expect(parseTemplate("$a.b..c")).toEqual([ref("$a.b", "a", "b"), "..c"]);
  });

  it("reads $$ as a literal $", () => {
    expect(parseTemplate("$$")).toEqual(["$"]);
    expect(parseTemplate("costs $$5")).toEqual(["costs $5"]);
    expect(parseTemplate("$$name")).toEqual(["$name"]);
    expect(parseTemplate("$$$name")).toEqual(["$", ref("$name", "name")]);
  });

  it("keeps a $ followed by a character that cannot start a name as literal text", () => {
    expect(parseTemplate("$5 off")).toEqual(["$5 off"]);
    expect(parseTemplate("a $ b")).toEqual(["a $ b"]);
    expect(parseTemplate("end$")).toEqual(["end$"]);
    expect(parseTemplate("$.x")).toEqual(["$.x"]);
    expect(parseTemplate("$-x")).toEqual(["$-x"]);
  });

  it("accepts hyphenated step ids and underscores", () => {
    expect(parseTemplate("$fetch-page.body")).toEqual([ref("$fetch-page.body", "fetch-page", "body")]);
    expect(parseTemplate("$_private")).toEqual([ref("$_private", "_private")]);
    expect(parseTemplate("$step_2.out-put")).toEqual([ref("$step_2.out-put", "step_2", "out-put")]);
  });

  it("parses the braced form, which lets text continue with name characters", () => {
    expect(parseTemplate("${a.b}c")).toEqual([ref("${a.b}", "a", "b"), "c"]);
    expect(parseTemplate("${name}s and ${s1.x.0}")).toEqual([
      ref("${name}", "name"),
      "s and ",
      ref("${s1.x.0}", "s1", "x", "0"),
    ]);
    expect(parseTemplate("${a}")).toEqual([ref("${a}", "a")]);
  });

  it("treats an unclosed or malformed brace as literal text", () => {
    expect(parseTemplate("${a.b")).toEqual(["${a.b"]);
    expect(parseTemplate("${}")).toEqual(["${}"]);
    expect(parseTemplate("${1}")).toEqual(["${1}"]);
    expect(parseTemplate("${a b}")).toEqual(["${a b}"]);
  });
});

describe("substitute", () => {
  const values = {
    n: 42,
    f: 1.5,
    yes: true,
    no: false,
    nil: null,
    obj: { a: 1, b: [2, 3] },
    list: [{ title: "A" }, { title: "B" }],
    s: "text",
    s1: { results: { items: [{ title: "first" }, { title: "second" }] }, count: 2 },
  };
  const resolve = table(values);

  it("keeps the JSON type of a whole-value reference", () => {
    expect(substitute("$n", resolve)).toBe(42);
    expect(substitute("$f", resolve)).toBe(1.5);
    expect(substitute("$yes", resolve)).toBe(true);
    expect(substitute("$no", resolve)).toBe(false);
    expect(substitute("$nil", resolve)).toBeNull();
    expect(substitute("$obj", resolve)).toEqual({ a: 1, b: [2, 3] });
    expect(substitute("$list", resolve)).toEqual([{ title: "A" }, { title: "B" }]);
    expect(substitute("$s", resolve)).toBe("text");
    expect(substitute("${n}", resolve)).toBe(42);
  });

  it("follows qualified paths into arrays and objects", () => {
    expect(substitute("$s1.results", resolve)).toEqual(values.s1.results);
    expect(substitute("$s1.results.items.0.title", resolve)).toBe("first");
    expect(substitute("$s1.results.items.1", resolve)).toEqual({ title: "second" });
    expect(substitute("$obj.b.1", resolve)).toBe(3);
  });

  it("interpolates several references into one string, objects and arrays as JSON", () => {
    expect(substitute("n=$n f=$f yes=$yes nil=$nil s=$s", resolve)).toBe("n=42 f=1.5 yes=true nil=null s=text");
    expect(substitute("obj: $obj; list: $list", resolve)).toBe(
      `obj: {"a":1,"b":[2,3]}; list: [{"title":"A"},{"title":"B"}]`,
    );
    expect(substitute("$s1.count results, first: $s1.results.items.0.title.", resolve)).toBe(
      "2 results, first: first.",
    );
    expect(substitute("${s}s", resolve)).toBe("texts");
  });

  it("a single reference with surrounding text is interpolated, not kept as a value", () => {
    expect(substitute(" $n", resolve)).toBe(" 42");
    expect(substitute("$n.", resolve)).toBe("42.");
  });

  it("unescapes $$ and leaves strings without references untouched", () => {
    expect(substitute("$$", resolve)).toBe("$");
    expect(substitute("price: $$$n", resolve)).toBe("price: $42");
    expect(substitute("$$n", resolve)).toBe("$n");
    expect(substitute("$5 and a $ sign", resolve)).toBe("$5 and a $ sign");
    expect(substitute("plain", resolve)).toBe("plain");
  });

  it("walks objects and arrays at any depth and leaves non-string values alone", () => {
    const args = { to: "$s", meta: { count: "$s1.count", tags: ["$yes", "x-$n", 7, null, false] }, n: 3 };
    const out = substitute(args, resolve);
    expect(out).toEqual({ to: "text", meta: { count: 2, tags: [true, "x-42", 7, null, false] }, n: 3 });
    // The input is not mutated.
    expect(args.meta.tags[0]).toBe("$yes");
  });

  it("calls the resolver once per reference occurrence, with the parsed reference", () => {
    const seen: string[] = [];
    substitute({ a: "$x and $y.z", b: ["$x"] }, (r) => {
      seen.push(r.raw);
      return 1;
    });
    expect(seen).toEqual(["$x", "$y.z", "$x"]);
  });

  it("interpolates an undefined value as empty text", () => {
    expect(substitute("[$missing]", () => undefined)).toBe("[]");
  });
});

describe("followPath", () => {
  const doc = { items: [{ title: "A", tags: ["x"] }], n: 0, nil: null };

  it("walks object keys and array indices", () => {
    expect(followPath(doc, ["items", "0", "title"])).toBe("A");
    expect(followPath(doc, ["items", "0", "tags", "0"])).toBe("x");
    expect(followPath(doc, ["n"])).toBe(0);
    expect(followPath(doc, ["nil"])).toBeNull();
    expect(followPath(doc, [])).toBe(doc);
  });

  it("starts at `from`", () => {
    expect(followPath(doc, ["s1", "items", "0", "title"], 1)).toBe("A");
    expect(followPath(doc, ["s1", "out"], 2)).toBe(doc);
  });

  it("returns undefined for anything missing instead of throwing", () => {
    expect(followPath(doc, ["items", "1", "title"])).toBeUndefined();
    expect(followPath(doc, ["items", "first"])).toBeUndefined();
    expect(followPath(doc, ["items", "-1"])).toBeUndefined();
    expect(followPath(doc, ["nope", "deeper"])).toBeUndefined();
    expect(followPath(doc, ["nil", "x"])).toBeUndefined();
    expect(followPath(doc, ["n", "x"])).toBeUndefined();
    expect(followPath("text", ["length"])).toBeUndefined();
  });

  it("reads own properties only, never the prototype chain", () => {
    expect(followPath(doc, ["toString"])).toBeUndefined();
    expect(followPath(doc, ["constructor"])).toBeUndefined();
    expect(followPath(doc, ["__proto__"])).toBeUndefined();
    expect(followPath(doc, ["items", "length"])).toBeUndefined();
  });
});

describe("collectReferences", () => {
  it("finds references at any depth with their path inside args", () => {
    const sites = collectReferences({
      to: "$user_email",
      body: "Found $s1.count: $s1.results",
      headers: { x: "${token}" },
      list: ["plain", ["$deep.0"]],
      n: 5,
      literal: "$$not",
    });
    expect(sites.map((s) => [s.ref.raw, s.path])).toEqual([
      ["$user_email", ["to"]],
      ["$s1.count", ["body"]],
      ["$s1.results", ["body"]],
      ["${token}", ["headers", "x"]],
      ["$deep.0", ["list", 1, 0]],
    ]);
    expect(sites[4].ref.segments).toEqual(["deep", "0"]);
  });

  it("returns nothing for values without references", () => {
    expect(collectReferences({ a: "$$", b: "$5", c: [1, null, true], d: {} })).toEqual([]);
    expect(collectReferences(null)).toEqual([]);
  });
});

describe("containsReference", () => {
  it("is true only when a real reference occurs somewhere", () => {
    expect(containsReference("$x")).toBe(true);
    expect(containsReference("a ${b}c")).toBe(true);
    expect(containsReference({ a: [{ b: "x $y" }] })).toBe(true);
    expect(containsReference("$$x")).toBe(false);
    expect(containsReference("$5")).toBe(false);
    expect(containsReference("plain")).toBe(false);
    expect(containsReference({ a: [1, "b", null], c: { d: false } })).toBe(false);
    expect(containsReference(42)).toBe(false);
    expect(containsReference(null)).toBe(false);
  });
});
