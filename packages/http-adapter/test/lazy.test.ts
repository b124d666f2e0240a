import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { jsonResponse, rawJsonOf } from "../src/json-response.js";
import { lazyRequest, nodeBodyOf } from "../src/node-request.js";

describe("lazy Response and Request (the node fast path)", () => {
  it("a jsonResponse is a full Response when read, and raw only while untouched", async () => {
    const response = jsonResponse(201, '{"a":1}', { "content-type": "application/json", "x-test": "1" });
    expect(response).toBeInstanceOf(Response);
    expect(rawJsonOf(response)).toEqual({
      status: 201,
      text: '{"a":1}',
      headers: { "content-type": "application/json", "x-test": "1" },
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-test")).toBe("1");
    expect(rawJsonOf(response)).toBeUndefined(); // touched: the glue must use the real one now
    response.headers.set("x-more", "2");
    const copy = response.clone();
    expect(await response.json()).toEqual({ a: 1 });
    expect(response.bodyUsed).toBe(true);
    expect(copy.headers.get("x-more")).toBe("2");
    expect(rawJsonOf(new Response("{}"))).toBeUndefined();
  });

  it("a lazyRequest reads method, url and headers from node, and builds the real Request on demand", async () => {
    const req = new IncomingMessage(new Socket());
    req.method = "POST";
    req.headers = { host: "127.0.0.1:8000", "content-type": "application/json" };
    let built = 0;
    req.url = "/api/x";
    const request = lazyRequest(req, () => {
      built++;
      return new Request("http://127.0.0.1:8000/api/x", { method: "POST", body: '{"b":2}' });
    });
    expect(request).toBeInstanceOf(Request);
    expect(request.method).toBe("POST");
    expect(request.url).toBe("http://127.0.0.1:8000/api/x");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(nodeBodyOf(request)).toBe(req);
    expect(built).toBe(0);
    expect(await request.json()).toEqual({ b: 2 });
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(built).toBe(1);
    expect(nodeBodyOf(request)).toBeUndefined();
    expect(nodeBodyOf(new Request("http://x/"))).toBeUndefined();
  });
});
