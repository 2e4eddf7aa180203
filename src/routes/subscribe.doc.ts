import { type Paths, admin, errors, json, ok, ref, schema } from "./openapi-kit";
import { emailSchema } from "./subscribe";

/** The OpenAPI description of the routes in subscribe.tsx (assembled by src/openapi.ts; never part of the worker). */
export const subscribePaths: Paths = {
  "/api/subscribe": {
    post: {
      summary: "Subscribe an address (double opt-in: a confirmation mail is sent)",
      requestBody: { required: true, ...json(schema(emailSchema)) },
      responses: {
        "202": ok("Pending confirmation", {
          type: "object",
          properties: { status: { const: "pending" }, message: { type: "string" } },
        }),
        ...errors(400, 413, 415, 429, 503),
      },
    },
  },
  "/api/admin/outbox": {
    get: {
      summary: "Mail kept by the outbox driver, newest last (admin)",
      security: admin,
      responses: {
        "200": ok("Messages", { type: "object", properties: { messages: { type: "array", items: ref("Message") } } }),
        ...errors(401),
      },
    },
  },
};
