/**
 * Hash routes, so the static server needs no fallback: `#/`, `#/workflows/{id}`, `#/new`, `#/schedules`.
 * @module
 */
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "workflows" }
  | { page: "workflow"; id: string; step: string | null }
  | { page: "new" }
  | { page: "schedules" };

/** Reads a hash such as `#/workflows/abc?step=s2`. Unknown hashes show the list. */
export function parseRoute(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "workflows" && parts[1]) {
    return { page: "workflow", id: parts[1], step: new URLSearchParams(query).get("step") };
  }
  if (parts[0] === "new") return { page: "new" };
  if (parts[0] === "schedules") return { page: "schedules" };
  return { page: "workflows" };
}

/** The hash for a route. */
export function href(route: Route): string {
  switch (route.page) {
    case "workflow": {
      const step = route.step ? `?step=${encodeURIComponent(route.step)}` : "";
      return `#/workflows/${encodeURIComponent(route.id)}${step}`;
    }
    case "new":
      return "#/new";
    case "schedules":
      return "#/schedules";
    default:
      return "#/";
  }
}

/** Goes to a route (adds a history entry). */
export function navigate(route: Route): void {
  location.hash = href(route);
}

/** The current route, updated on hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
