import { type Paths, admin, errors, json, ok, ref, schema, slug } from "./openapi-kit";
import { postBody } from "./admin-api";

/** The OpenAPI description of the routes in admin-api.ts (assembled by src/openapi.ts; never part of the worker). */
export const postEditingPaths: Paths = {
  "/api/posts/{slug}": {
    put: {
      summary: "Create or replace a post (admin). HTML from anyone but an owner is filtered; `filtered` lists what was removed",
      security: admin,
      parameters: [slug],
      requestBody: { required: true, ...json(schema(postBody)) },
      responses: {
        "200": ok("Replaced", {
          type: "object",
          properties: {
            post: ref("Post"),
            status: { enum: ["published", "draft", "scheduled"] },
            filtered: { type: "array", items: { type: "string" }, description: "What the HTML filter removed (absent when nothing)" },
          },
        }),
        "201": ok("Created"),
        ...errors(400, 401, 413, 415, 503),
      },
    },
    delete: {
      summary: "Delete a post (editor): it goes to the trash, restorable for 30 days",
      security: admin,
      parameters: [slug],
      responses: { "204": ok("Moved to the trash"), ...errors(401, 404, 503) },
    },
  },
  "/api/posts/{slug}/revisions": {
    get: {
      summary: "A post's earlier versions, newest first (the last 20; each save keeps the one it replaces)",
      security: admin,
      parameters: [slug],
      responses: { "200": ok("Versions", { type: "object", properties: { revisions: { type: "array" } } }), ...errors(401) },
    },
  },
  "/api/trash": {
    get: {
      summary: "Posts deleted in the last 30 days",
      security: admin,
      responses: { "200": ok("Trash", { type: "object", properties: { posts: { type: "array" } } }), ...errors(401) },
    },
  },
  "/api/trash/{slug}/restore": {
    post: {
      summary: "Put a deleted post back as it was (published, scheduled or draft)",
      security: admin,
      parameters: [slug],
      responses: {
        "200": ok("The post", { type: "object" }),
        "409": { description: "slug_taken", ...json(ref("Error")) },
        ...errors(401, 404),
      },
    },
  },
};
