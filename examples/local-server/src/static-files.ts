/**
 * Serves the prebuilt dashboard from a folder: `/` → index.html, a path without an extension →
 * index.html (client-side routes), everything else resolved inside the folder only. Dotfiles, `..`,
 * encoded slashes and NUL bytes are refused. Responses carry a strict Content-Security-Policy: no
 * remote scripts, images or connections.
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export const STATIC_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** The file a URL path names inside `root`, or null when the path tries to leave it. */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || /(^|\/)\.[^/]*/.test(decoded)) return null;
  const file = resolve(root, `.${decoded}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** A handler for GET/HEAD of static files; null when there is nothing to serve. */
export function createStaticFiles(dir: string): (request: Request) => Promise<Response | null> {
  const root = resolve(dir);
  return async (request) => {
    const { pathname } = new URL(request.url);
    let file = resolveInside(root, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (file === null) return null;
    if (extname(file) === "" && !(await isFile(file))) file = join(root, "index.html");
    if (!(await isFile(file))) return null;
    const body = request.method === "HEAD" ? null : await readFile(file);
    const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    const cache = file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
    return new Response(body, {
      status: 200,
      headers: { ...STATIC_HEADERS, "content-type": type, "cache-control": cache },
    });
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
