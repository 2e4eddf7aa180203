import { type Paths, admin, errors, id, json, ok, ref, schema } from "./openapi-kit";
import { tokenBody } from "./tokens-api";

/** The OpenAPI description of the routes in tokens-api.ts (assembled by src/openapi.ts; never part of the worker). */
export const tokenPaths: Paths = {
  "/api/tokens": {
    get: {
      summary: "Your personal API tokens on this blog (never the tokens themselves)",
      security: admin,
      responses: {
        "200": ok("Tokens", { type: "object", properties: { tokens: { type: "array", items: ref("ApiToken") } } }),
        ...errors(401),
      },
    },
    post: {
      summary:
        "Create a personal API token with a role no higher than yours; the token is shown once. Only from a signed-in session (a token cannot make tokens: 403)",
      security: admin,
      requestBody: { required: true, ...json(schema(tokenBody)) },
      responses: {
        "201": ok("The token", { allOf: [ref("ApiToken"), { type: "object", properties: { token: { type: "string" } } }] }),
        ...errors(400, 401, 403, 415),
      },
    },
  },
  "/api/tokens/{id}": {
    delete: {
      summary: "Revoke one of your tokens (from a signed-in session)",
      security: admin,
      parameters: [id],
      responses: { "204": ok("Revoked"), ...errors(401, 403, 404) },
    },
  },
};
