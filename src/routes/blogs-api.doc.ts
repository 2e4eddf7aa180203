import { type Paths, blogName, errors, json, ok, operator, query, ref, schema } from "./openapi-kit";
import { blogListQuery, blogPatchBody, newBlogBody } from "./blogs-api";
import { createBody } from "./create";

/** The OpenAPI description of the routes in blogs-api.ts (assembled by src/openapi.ts; never part of the worker). */
export const platformPaths: Paths = {
  "/api/admin/blogs": {
    get: {
      summary:
        "The deployment's blogs, main first then by creation, with their public post counts (operator): 100 per page (limit up to 500); pass `next` back as `cursor`",
      security: operator,
      parameters: query(blogListQuery),
      responses: {
        "200": ok("Blogs", {
          type: "object",
          properties: { blogs: { type: "array", items: ref("Blog") }, next: { type: ["string", "null"] } },
        }),
        ...errors(400, 401),
      },
    },
    post: {
      summary: "Create a blog (operator); it answers at <name>.<BLOGS_DOMAIN> and its domains",
      security: operator,
      requestBody: { required: true, ...json(schema(newBlogBody)) },
      responses: {
        "201": ok("Created", { type: "object", properties: { blog: ref("Blog") } }),
        "409": { description: "name_taken or domain_taken", ...json(ref("Error")) },
        ...errors(400, 401, 413, 415),
      },
    },
  },
  "/api/admin/platform": {
    get: {
      summary: "The platform's figures (operator): active blogs, blogs being deleted, blogs created per day over the last 30 days",
      security: operator,
      responses: {
        "200": ok("Figures", {
          type: "object",
          properties: {
            blogs: { type: "integer" },
            deleting: { type: "integer" },
            signupsPerDay: {
              type: "array",
              items: { type: "object", properties: { day: { type: "string", format: "date" }, blogs: { type: "integer" } } },
            },
          },
        }),
        ...errors(401),
      },
    },
  },
  "/api/admin/platform/upgrade": {
    post: {
      summary:
        "Move the blogs of an earlier version's single registry to their own objects, then each blog's people from the single Accounts object to the blog's own (operator; the cron does it too), a batch per call",
      security: operator,
      responses: {
        "200": ok("Progress", {
          type: "object",
          properties: {
            moved: { type: "integer" },
            left: { type: "integer" },
            done: { type: "boolean" },
            people: { type: "object", properties: { moved: { type: "integer" }, left: { type: "integer" } } },
          },
        }),
        ...errors(401),
      },
    },
  },
  "/api/admin/blogs/{name}": {
    get: {
      summary: "One blog (operator)",
      security: operator,
      parameters: [blogName],
      responses: { "200": ok("The blog", { type: "object", properties: { blog: ref("Blog") } }), ...errors(401, 404) },
    },
    patch: {
      summary: "Change a blog's settings or custom domains (operator)",
      security: operator,
      parameters: [blogName],
      requestBody: { required: true, ...json(schema(blogPatchBody)) },
      responses: {
        "200": ok("The blog", { type: "object", properties: { blog: ref("Blog") } }),
        "409": { description: "domain_taken", ...json(ref("Error")) },
        ...errors(400, 401, 404, 415),
      },
    },
    delete: {
      summary: "Delete a blog (operator): it stops answering at once; its data is removed in the background",
      security: operator,
      parameters: [blogName],
      responses: { "204": ok("Deleting"), "403": { description: "The main blog", ...json(ref("Error")) }, ...errors(401, 404) },
    },
  },
  "/api/blogs": {
    post: {
      summary: "+ Create my blog: mails a one-time link that creates the account (if needed) and the blog",
      requestBody: { required: true, ...json(schema(createBody)) },
      responses: {
        "202": ok("A link is on its way", { type: "object", properties: { status: { const: "pending" } } }),
        "403": { description: "signups_closed", ...json(ref("Error")) },
        "409": { description: "name_taken", ...json(ref("Error")) },
        ...errors(400, 415, 429),
      },
    },
  },
};
