import { type Paths, errors, ok, query, ref } from "./openapi-kit";
import { searchQuery } from "./search";

/** The OpenAPI description of the routes in search.tsx (assembled by src/openapi.ts; never part of the worker). */
export const searchPaths: Paths = {
  "/api/search": {
    get: {
      summary: "Full-text search over titles, tags and bodies",
      parameters: query(searchQuery),
      responses: {
        "200": ok("Ranked results", {
          type: "object",
          properties: {
            results: {
              type: "array",
              items: {
                allOf: [
                  ref("PostSummary"),
                  {
                    type: "object",
                    properties: { score: { type: "number" }, snippet: { type: "string" }, snippetHtml: { type: "string" } },
                  },
                ],
              },
            },
            meta: { type: "object" },
          },
        }),
        ...errors(400),
      },
    },
  },
};
