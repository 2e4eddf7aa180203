import { admin, errors, json, ok, type Paths, schema } from "./openapi-kit";
import { erasureInput } from "./erasure";

const erasure = {
  type: "object",
  properties: {
    erasure: {
      type: "object",
      properties: {
        id: { type: "string" },
        status: { enum: ["running", "done"] },
        comments: { enum: ["anonymize", "delete"] },
        startedAt: { type: "string", format: "date-time" },
        finishedAt: { type: ["string", "null"], format: "date-time" },
        threads: { type: "integer", description: "Comment threads erased in so far" },
        anonymized: { type: "integer" },
        deleted: { type: "integer" },
        subscriber: { type: "boolean", description: "The address was a subscriber (now forgotten, with no unsubscribed mark)" },
        replies: { type: "boolean", description: "The address had asked for reply mails (now forgotten)" },
      },
    },
  },
};

/** The OpenAPI description of the routes in erasure.tsx (assembled by src/openapi.ts; never part of the worker). */
export const erasurePaths: Paths = {
  "/api/erasure": {
    post: {
      summary: "Erase a person's data on request (owners)",
      description:
        'The address leaves the subscribers, the reply mails and every comment of the blog (comments sent from a browser that gave it too); their comments are kept as the blog\'s "A former reader" (`anonymize`, the default) or deleted. Runs in steps; follow it with GET /api/erasure/{id}. Its record never holds the address.',
      security: admin,
      requestBody: { required: true, ...json(schema(erasureInput)) },
      responses: { "202": ok("Started", erasure), ...errors(400, 401, 403, 415) },
    },
  },
  "/api/erasure/{id}": {
    get: {
      summary: "How an erasure went (owners)",
      security: admin,
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": ok("The erasure", erasure), ...errors(401, 403, 404) },
    },
  },
};
