import { type Paths, admin, query, errors, id, json, ok, ref, schema, slug } from "./openapi-kit";
import { commentEdit, commentJson } from "./comment-input";
import { commentListQuery } from "./comments";

/** The OpenAPI description of the routes in comments.tsx (assembled by src/openapi.ts; never part of the worker). */
export const commentPaths: Paths = {
  "/api/posts/{slug}/comments": {
    get: {
      summary: "Comments, oldest first (status=held|hidden: admin)",
      parameters: [slug, ...query(commentListQuery)],
      responses: {
        "200": ok("A page of comments", {
          type: "object",
          properties: {
            comments: { type: "array", items: ref("Comment") },
            meta: {
              type: "object",
              properties: {
                pagination: {
                  type: "object",
                  properties: { limit: { type: "integer" }, total: { type: "integer" }, next: { type: ["string", "null"] } },
                },
              },
            },
          },
        }),
        ...errors(400, 401, 404, 503),
      },
    },
    post: {
      summary: "Add a comment",
      parameters: [slug],
      requestBody: { required: true, ...json(schema(commentJson)) },
      responses: {
        "201": ok("Stored", {
          type: "object",
          properties: {
            comment: ref("Comment"),
            moderation: { enum: ["published", "held"] },
            editToken: { type: "string" },
            editableUntil: { type: "string", format: "date-time" },
          },
        }),
        ...errors(400, 404, 413, 415, 429, 503),
      },
    },
  },
  "/api/posts/{slug}/comments/{id}": {
    patch: {
      summary: "Edit a comment (its edit token for 15 minutes, or admin)",
      parameters: [slug, id, { name: "X-Edit-Token", in: "header", required: false, schema: { type: "string" } }],
      requestBody: { required: true, ...json(schema(commentEdit)) },
      responses: {
        "200": ok("Edited", { type: "object", properties: { comment: ref("Comment") } }),
        ...errors(400, 401, 403, 404, 503),
      },
    },
    delete: {
      summary: "Delete a comment (edit token or admin)",
      parameters: [slug, id, { name: "X-Edit-Token", in: "header", required: false, schema: { type: "string" } }],
      responses: { "204": ok("Deleted"), ...errors(401, 403, 404, 503) },
    },
  },
  "/api/posts/{slug}/comments/{id}/approve": {
    post: {
      summary: "Publish a held or hidden comment (admin)",
      security: admin,
      parameters: [slug, id],
      responses: { "200": ok("Approved", { type: "object", properties: { comment: ref("Comment") } }), ...errors(401, 404) },
    },
  },
  "/api/posts/{slug}/comments/{id}/hide": {
    post: {
      summary: "Hide a comment (admin)",
      security: admin,
      parameters: [slug, id],
      responses: { "200": ok("Hidden", { type: "object", properties: { comment: ref("Comment") } }), ...errors(401, 404) },
    },
  },
  "/api/posts/{slug}/comments/live": {
    get: {
      summary: "WebSocket: comment.created, comment.edited, comment.approved and comment.removed events as JSON",
      parameters: [slug],
      responses: { "101": ok("Switching to WebSocket"), ...errors(404, 426) },
    },
  },
};
