import { admin, errors, json, ok, type Paths, schema } from "./openapi-kit";
import { closeInput } from "./close-blog";

const closed = {
  type: "object",
  properties: {
    blog: {
      type: "object",
      properties: {
        name: { type: "string" },
        state: { enum: ["active", "closed"] },
        purgeAt: {
          type: ["string", "null"],
          format: "date-time",
          description: "When a closed blog's data goes (until then an owner may restore it)",
        },
      },
    },
  },
};

/** The OpenAPI description of the routes in close-blog.tsx (assembled by src/openapi.ts; never part of the worker). */
export const closeBlogPaths: Paths = {
  "/api/blog": {
    delete: {
      summary: "Delete this blog (owners; not the platform's main blog)",
      description:
        "Readers get 404 at once; its members may still sign in, and an owner may restore it for 7 days (POST /api/blog/restore); then its data is deleted for good and its name becomes free.",
      security: admin,
      requestBody: { required: true, ...json(schema(closeInput)) },
      responses: { "202": ok("Closed", closed), ...errors(400, 401, 403, 415) },
    },
  },
  "/api/blog/restore": {
    post: {
      summary: "Restore this blog within the 7 days after it was deleted (owners)",
      security: admin,
      responses: { "200": ok("Restored", closed), ...errors(401, 403, 404) },
    },
  },
};
