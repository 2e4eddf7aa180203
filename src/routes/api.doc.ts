import { type Paths, errors, ok, query, ref, slug } from "./openapi-kit";
import { listQuery } from "./api";

/** The OpenAPI description of the routes in api.ts (assembled by src/openapi.ts; never part of the worker). */
export const readerPaths: Paths = {
  "/api/posts": {
    get: {
      summary: "List public posts, newest first",
      parameters: query(listQuery),
      responses: {
        "200": ok("A page of posts", {
          type: "object",
          properties: {
            posts: { type: "array", items: ref("PostSummary") },
            meta: { type: "object", properties: { pagination: ref("Pagination") } },
          },
        }),
        ...errors(400),
      },
    },
  },
  "/api/posts/{slug}": {
    get: {
      summary: "One public post",
      parameters: [slug],
      responses: { "200": ok("The post", { type: "object", properties: { post: ref("Post") } }), ...errors(400, 404) },
    },
  },
  "/api/openapi.json": { get: { summary: "This document", responses: { "200": ok("OpenAPI 3.1") } } },
};
