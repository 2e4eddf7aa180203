import type { Context } from "hono";
import { accepts } from "hono/accepts";

/** True when the client's Accept header prefers JSON to HTML. */
export function prefersJson(c: Context): boolean {
  return accepts(c, { header: "Accept", supports: ["text/html", "application/json"], default: "text/html" }) === "application/json";
}
