/**
 * Finds where JSON text goes wrong. JSON.parse messages differ between engines and often omit the
 * position, so the JSON editors locate the first mistake themselves to say "line 3, column 11".
 * @module
 */

/** The first syntax error: offset into the text and what was expected there. */
export interface JsonSyntaxError {
  offset: number;
  expected: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Returns null when the text is one valid JSON value, else the first error. */
export function findJsonError(text: string): JsonSyntaxError | null {
  let pos = 0;
  const fail = (expected: string): never => {
    throw { offset: pos, expected } satisfies JsonSyntaxError;
  };
  const ws = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail("a value");
  };
  const string = () => {
    pos++;
    for (;;) {
      if (pos >= text.length) fail('a closing "');
      const c = text[pos];
      if (c === '"') return void pos++;
      if (c === "\\") {
        const e = text[pos + 1];
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) pos += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else {
          pos++;
          fail("a valid escape");
        }
      } else if (c < " ") fail("no control character in a string");
      else pos++;
    }
  };
  const list = (close: string, item: () => void, what: string) => {
    pos++;
    ws();
    if (text[pos] === close) return void pos++;
    for (;;) {
      ws();
      item();
      ws();
      if (text[pos] === ",") pos++;
      else if (text[pos] === close) return void pos++;
      else fail(`, or ${close} ${what}`);
    }
  };
  const member = () => {
    if (text[pos] !== '"') fail("a quoted key");
    string();
    ws();
    if (text[pos] !== ":") fail(":");
    pos++;
    ws();
    value();
  };
  function value(): void {
    const c = text[pos];
    if (c === "{") list("}", member, "after a member");
    else if (c === "[") list("]", value, "after an item");
    else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else {
      NUMBER.lastIndex = pos;
      if (NUMBER.exec(text)) pos = NUMBER.lastIndex;
      else fail("a value");
    }
  }
  try {
    ws();
    value();
    ws();
    if (pos < text.length) fail("the end of the text");
    return null;
  } catch (err) {
    return err as JsonSyntaxError;
  }
}
