import { admin, errors, json, ok, type Paths, schema } from "./openapi-kit";
import { restoreInput } from "./backups";

const counts = {
  type: "object",
  properties: { posts: { type: "integer" }, threads: { type: "integer" }, comments: { type: "integer" }, subscribers: { type: "integer" } },
};

const point = {
  type: "object",
  properties: {
    id: { type: "string", pattern: "^\\d{8}T\\d{6}Z$", description: "The point's time (UTC), as its address names it" },
    at: { type: "string", format: "date-time" },
    label: { enum: ["nightly", "manual", "before-restore"] },
    counts,
  },
};

const restore = {
  type: "object",
  properties: {
    id: { type: "string" },
    point: { type: "string" },
    status: { enum: ["running", "done", "failed"] },
    startedAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    before: { type: ["string", "null"], description: "The point made of the blog just before: restoring it undoes this restore" },
    counts: {
      type: "object",
      properties: {
        posts: { type: "integer", description: "Posts saved back" },
        removed: { type: "integer", description: "Posts written since, moved to the trash" },
        threads: { type: "integer", description: "Comment threads put back" },
        settings: { type: "boolean" },
        subscribers: { type: "integer", description: "Subscribers put back on the list" },
      },
    },
    error: { type: ["string", "null"] },
  },
};

const pointParam = { name: "point", in: "path", required: true, schema: point.properties.id };

/** The OpenAPI description of the routes in backups.tsx (assembled by src/openapi.ts; never part of the worker). */
export const backupPaths: Paths = {
  "/api/backups": {
    get: {
      summary: "The blog's backup points and restores (owners)",
      description:
        "Every night each blog gets a point holding what changed since the last one (posts, pages, drafts, comments, settings, subscribers; images stay where they are). Kept: every point of the last 24 hours, the newest of each of the last 7 days, then one a week for the 4 weeks before.",
      security: admin,
      responses: {
        "200": ok("Points newest first, and the latest restores", {
          type: "object",
          properties: { points: { type: "array", items: point }, restores: { type: "array", items: restore } },
        }),
        ...errors(401, 403),
      },
    },
    post: {
      summary: "Back up now (owners)",
      description: "Queues a point made now; it appears in GET /api/backups in a moment.",
      security: admin,
      responses: {
        "202": ok("Queued", {
          type: "object",
          properties: { queued: { type: "object", properties: { at: { type: "string" }, label: { const: "manual" } } } },
        }),
        ...errors(401, 403),
      },
    },
  },
  "/api/backups/{point}/restore": {
    post: {
      summary: "Restore a post, a post's comments, or the whole blog from a point (owners)",
      description:
        '`{"post": slug}` saves the post as the point holds it, as an edit does (its present version stays in its history); `{"comments": slug}` puts its comment thread back; `{"blog": name}` (the blog\'s own name, to confirm) puts the whole blog back in steps — posts written since go to the trash, subscribers who left are back unless they unsubscribed — after making a point of the blog as it is. People erased on request since the point stay erased. One whole-blog restore at a time (409).',
      security: admin,
      parameters: [pointParam],
      requestBody: { required: true, ...json(schema(restoreInput)) },
      responses: {
        "200": ok("The post or thread put back", {
          type: "object",
          properties: {
            post: {
              type: "object",
              properties: { slug: { type: "string" }, title: { type: "string" }, status: { enum: ["published", "draft", "scheduled"] } },
            },
            comments: {
              type: "object",
              properties: { slug: { type: "string" }, restored: { type: "boolean", description: "False: the thread was already so" } },
            },
          },
        }),
        "202": ok("The whole blog's restore, started", { type: "object", properties: { restore } }),
        ...errors(400, 401, 403, 404, 409, 415),
      },
    },
  },
  "/api/backups/restores/{id}": {
    get: {
      summary: "How a whole-blog restore goes (owners)",
      security: admin,
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": ok("The restore", { type: "object", properties: { restore } }), ...errors(401, 403, 404) },
    },
  },
};
