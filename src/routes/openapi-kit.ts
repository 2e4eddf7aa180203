import * as z from "zod/mini";
import { BLOG_NAME } from "../core/blogs";
import { MAX_SLUG_LENGTH, POST_SLUG } from "../core/vocabulary";
import { nullableOf } from "./validation";

/**
 * What the OpenAPI descriptions beside the routes (`*.doc.ts`) are written with: request schemas
 * straight from the validators the routes use, the shared parameters, answers and security. Used
 * at build time only (`npm run openapi`): the worker imports none of it.
 */

/** One path's operations, by method, as OpenAPI writes them. */
export type Paths = Record<string, Record<string, Json>>;

export type Json = Record<string, unknown>;

/** A request schema as JSON Schema, straight from the validator the route uses. */
export const schema = (s: z.ZodMiniType): Json => {
  const out = z.toJSONSchema(s, {
    io: "input",
    unrepresentable: "any",
    override(ctx) {
      const hint = nullableOf.get(ctx.zodSchema as unknown as z.ZodMiniType);
      if (hint) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
        Object.assign(ctx.jsonSchema, {
          anyOf: [{ ...schema(hint.schema as z.ZodMiniType), ...hint.json }, { type: "null" }, { const: "" }],
        });
      }
    },
  }) as Json;
  delete out.$schema;
  return out;
};

/** Query parameters from an object validator. */
export function query(s: z.ZodMiniObject): Json[] {
  const js = schema(s) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({
    name,
    in: "query",
    required: js.required?.includes(name) ?? false,
    schema: p,
  }));
}

export const slug = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", pattern: POST_SLUG.source, maxLength: MAX_SLUG_LENGTH },
};
export const id = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (s: Json) => ({ content: { "application/json": { schema: s } } });
export const ok = (description: string, s?: Json) => (s ? { description, ...json(s) } : { description });
export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: ERRORS[c] ?? "Error", ...json(ref("Error")) }]));
const ERRORS: Record<number, string> = {
  400: "Invalid input",
  401: "Missing or wrong credentials",
  403: "Forbidden (edit token, CSRF)",
  404: "Not found",
  409: "Conflict (something already under way or taken)",
  410: "Gone (expired)",
  413: "Body over 64 KB",
  415: "Wrong content type",
  429: "Rate limited (Retry-After)",
  503: "Temporarily unavailable (Retry-After)",
};
export const admin = [{ bearer: [] }, { session: [] }];
export const operator = [{ bearer: [] }];
export const blogName = { name: "name", in: "path", required: true, schema: { type: "string", pattern: BLOG_NAME.source } };
