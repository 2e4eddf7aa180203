import { admin, errors, ok, type Paths, query } from "./openapi-kit";
import { statsQuery } from "./stats";

const ranked = (name: string, key: Record<string, unknown>) => ({
  type: "array",
  description: `The top ten by views (${name})`,
  items: { type: "object", properties: { ...key, views: { type: "integer" } } },
});

/** The OpenAPI description of the routes in stats.tsx (assembled by src/openapi.ts; never part of the worker). */
export const statsPaths: Paths = {
  "/api/stats": {
    get: {
      summary: "Readership statistics of the last N days (owners and editors)",
      description:
        "Views of reader pages that answered 200 (cached ones too), counted at the edge with no cookie, no script and no personal data: not signed-in members, crawlers, prefetches, HEAD, errors, or readers sending DNT: 1 or Sec-GPC: 1. Days are the blog's time zone's, the last one today; counts arrive within seconds (a queue batch).",
      security: admin,
      parameters: query(statsQuery),
      responses: {
        "200": ok("The numbers", {
          type: "object",
          properties: {
            days: {
              type: "array",
              description: "One entry per day, oldest first (N entries)",
              items: {
                type: "object",
                properties: {
                  date: { type: "string", format: "date" },
                  views: { type: "integer" },
                  visitors: {
                    type: "integer",
                    description: "Estimated (a HyperLogLog sketch per day: about 3% error); nobody is identified",
                  },
                },
              },
            },
            from: { type: "string", format: "date" },
            to: { type: "string", format: "date" },
            timeZone: { type: "string" },
            counting: { type: "boolean", description: "false where the operator turned counting off (STATS=off)" },
            totals: {
              type: "object",
              properties: {
                views: { type: "integer" },
                visitors: { type: "integer", description: "The sum of each day's visitors" },
                feedFetches: { type: "integer", description: "Fetches of the feeds by readers' apps, counted apart" },
              },
            },
            posts: ranked("posts", { slug: { type: "string" }, title: { type: ["string", "null"] } }),
            pages: ranked("every reader page: home, posts, pages, tags, archive", { path: { type: "string" } }),
            referrers: ranked("where readers came from", {
              kind: { enum: ["direct", "internal", "search", "social", "fediverse", "other"] },
              host: { type: ["string", "null"], description: "The referring site's host name only (never its path)" },
            }),
            countries: ranked("countries", { country: { type: "string", description: "ISO 3166-1 alpha-2; XX: unknown" } }),
            devices: ranked("device classes", { device: { enum: ["desktop", "mobile", "tablet"] } }),
          },
        }),
        ...errors(400, 401, 403),
      },
    },
  },
};
