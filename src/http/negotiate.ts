import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { BoundedMap } from "../core/maps";

/** The answer per Accept header seen: a handful of distinct values come back on every request. */
const byAccept = new BoundedMap<string, boolean>(256);

/** True when an Accept header prefers JSON to HTML (absent: HTML). */
export function acceptPrefersJson(accept: string | null | undefined): boolean {
  if (!accept) return false;
  let json = byAccept.peek(accept);
  if (json === undefined) {
    json =
      accepts({ req: { header: () => accept } } as unknown as Context, {
        header: "Accept",
        supports: ["text/html", "application/json"],
        default: "text/html",
      }) === "application/json";
    byAccept.set(accept, json);
  }
  return json;
}

/** True when the client's Accept header prefers JSON to HTML. */
export function prefersJson(c: Context): boolean {
  return acceptPrefersJson(c.req.header("Accept"));
}
