import { admin, errors, ok, type Paths } from "./openapi-kit";

const count = { type: "integer", minimum: 0 };
const exportView = {
  type: "object",
  required: ["id", "status", "startedAt", "finishedAt", "expiresAt", "by", "counts", "error", "download"],
  properties: {
    id: { type: "string" },
    status: { enum: ["running", "ready", "failed", "expired"] },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
    expiresAt: { type: ["string", "null"], format: "date-time", description: "Until when it can be downloaded (7 days after it is ready)" },
    by: { type: "string", description: "The address of the owner who started it (mailed when it is ready), or operator" },
    counts: {
      type: "object",
      properties: { posts: count, comments: count, images: count, bytes: { ...count, description: "The zip's size so far" } },
    },
    error: { type: ["string", "null"] },
    download: {
      type: ["string", "null"],
      format: "uri",
      description: "While it is ready: its signed download address (owners only, with their token or session; expires with it)",
    },
  },
};
const id = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9]{1,40}$" } };

/** The OpenAPI description of the routes in export.tsx (assembled by src/openapi.ts; never part of the worker). */
export const exportPaths: Paths = {
  "/api/export": {
    post: {
      summary: "Export the whole blog (owners)",
      description:
        "Starts making one zip of the blog: posts/*.md (posts, pages and drafts as files `npm run publish` reads), posts/comments/*.json, posts/images/*, posts/redirects.txt, subscribers.csv, settings.json and wordpress.xml (WXR 1.2). It is made in steps in the background; follow it with GET /api/export/{id}. `npm run import -- export.zip --posts DIR` takes it back. One at a time (409 while one is being made); the 3 newest are kept.",
      security: admin,
      responses: { "202": ok("Started", { type: "object", properties: { export: exportView } }), ...errors(401, 403, 409) },
    },
    get: {
      summary: "The blog's exports, newest first (owners)",
      security: admin,
      responses: {
        "200": ok("The exports", { type: "object", properties: { exports: { type: "array", items: exportView } } }),
        ...errors(401, 403),
      },
    },
  },
  "/api/export/{id}": {
    get: {
      summary: "One export and how far it is (owners)",
      security: admin,
      parameters: [id],
      responses: { "200": ok("The export", { type: "object", properties: { export: exportView } }), ...errors(401, 403, 404) },
    },
  },
  "/api/export/{id}/download": {
    get: {
      summary: "Download an export's zip (owners; the signed address GET /api/export/{id} gives)",
      description: "Answers the zip (application/zip, with Range support); 410 once it has expired or for a key of another export or blog.",
      security: admin,
      parameters: [id, { name: "key", in: "query", required: true, schema: { type: "string" } }],
      responses: {
        "200": { description: "The zip", content: { "application/zip": { schema: { type: "string", format: "binary" } } } },
        "206": { description: "The range asked for" },
        ...errors(400, 401, 403, 404, 410),
      },
    },
  },
};
