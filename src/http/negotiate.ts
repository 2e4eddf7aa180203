import type { Context } from "hono";
import { BoundedMap } from "../core/maps";
import { ranked } from "../core/net";

/** Which of HTML and JSON an Accept header asks for first (`*\/*` names neither; nothing named is HTML). */
function preferred(accept: string): "html" | "json" {
  for (const type of ranked(accept)) {
    if (type === "application/json" || type === "application/*") return "json";
    if (type === "text/html" || type === "text/*") return "html";
  }
  return "html";
}

/** The answer per Accept header seen: a handful of distinct values come back on every request. */
const byAccept = new BoundedMap<string, boolean>(256);

/** True when an Accept header prefers JSON to HTML (absent: HTML). */
export function acceptPrefersJson(accept: string | null | undefined): boolean {
  if (!accept) return false;
  let json = byAccept.peek(accept);
  if (json === undefined) {
    json = preferred(accept) === "json";
    byAccept.set(accept, json);
  }
  return json;
}

/** True when the client's Accept header prefers JSON to HTML. */
export function prefersJson(c: Context): boolean {
  return acceptPrefersJson(c.req.header("Accept"));
}
