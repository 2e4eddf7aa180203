import { SESSION_COOKIE } from "./core/vocabulary";
import { postEditingPaths } from "./routes/admin-api.doc";
import { readerPaths } from "./routes/api.doc";
import { platformPaths } from "./routes/blogs-api.doc";
import { commentPaths } from "./routes/comments.doc";
import { mediaPaths } from "./routes/media.doc";
import { memberPaths } from "./routes/members-api.doc";
import type { Json, Paths } from "./routes/openapi-kit";
import { searchPaths } from "./routes/search.doc";
import { closeBlogPaths } from "./routes/close-blog.doc";
import { exportPaths } from "./routes/export.doc";
import { erasurePaths } from "./routes/erasure.doc";
import { backupPaths } from "./routes/backups.doc";
import { ownerDomainPaths } from "./routes/owner-domain.doc";
import { statsPaths } from "./routes/stats.doc";
import { subscribePaths } from "./routes/subscribe.doc";
import { tokenPaths } from "./routes/tokens-api.doc";

/** Each route module's paths, merged by path (a path's methods may come from two modules). */
function merged(...groups: Paths[]): Paths {
  const all: Paths = {};
  for (const group of groups) {
    for (const [path, methods] of Object.entries(group)) {
      for (const method of Object.keys(methods)) {
        if (all[path]?.[method]) throw new Error(`${method.toUpperCase()} ${path} is described twice`);
      }
      all[path] = { ...all[path], ...methods };
    }
  }
  return all;
}

/**
 * The OpenAPI 3.1 description of the JSON API: each route module describes its own paths beside
 * it (`routes/*.doc.ts`, request schemas from the validators it uses); a test checks that every
 * `/api` route is described. Generated at build time (`npm run openapi`) so the JSON Schema code
 * stays out of the worker.
 */
export function openApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Blog API",
      version: "1.0.0",
      description: 'Posts, comments, subscriptions and search, served from the edge. Errors are always {"error": {"code", "message"}}.',
    },
    servers: [{ url: "/" }],
    paths: merged(
      readerPaths,
      postEditingPaths,
      mediaPaths,
      commentPaths,
      subscribePaths,
      searchPaths,
      platformPaths,
      memberPaths,
      tokenPaths,
      statsPaths,
      closeBlogPaths,
      exportPaths,
      erasurePaths,
      backupPaths,
      ownerDomainPaths,
    ),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN secret" },
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "The session of a signed-in editor" },
      },
      schemas: {
        Media: {
          type: "object",
          properties: {
            name: { type: "string" },
            url: { type: "string" },
            type: { type: "string" },
            size: { type: "integer" },
            uploadedAt: { type: "string", format: "date-time" },
            originalName: { type: ["string", "null"] },
            alt: { type: ["string", "null"], description: "Its description for people who cannot see it, offered when it is inserted" },
            usedBy: { type: "array", items: { type: "object", properties: { slug: { type: "string" }, title: { type: "string" } } } },
          },
        },
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } },
          },
        },
        Pagination: {
          type: "object",
          properties: {
            page: { type: "integer" },
            limit: { type: "integer" },
            pages: { type: "integer" },
            total: { type: "integer" },
            next: { type: ["integer", "null"] },
            prev: { type: ["integer", "null"] },
          },
        },
        PostSummary: {
          type: "object",
          properties: {
            slug: { type: "string" },
            title: { type: "string" },
            date: { type: "string", format: "date-time" },
            updated: { type: ["string", "null"], format: "date-time" },
            author: { type: "string" },
            tags: { type: "array", items: { type: "string" } },
            summary: { type: "string" },
            url: { type: "string", format: "uri" },
          },
        },
        Post: { allOf: [{ $ref: "#/components/schemas/PostSummary" }, { type: "object", properties: { html: { type: "string" } } }] },
        Comment: {
          type: "object",
          properties: {
            id: { type: "integer" },
            postSlug: { type: "string" },
            parentId: { type: ["integer", "null"] },
            author: { type: "string" },
            html: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            editedAt: { type: ["string", "null"], format: "date-time" },
          },
        },
        Blog: {
          type: "object",
          properties: {
            name: { type: "string" },
            title: { type: "string" },
            description: { type: "string" },
            url: { type: "string", format: "uri" },
            createdAt: { type: "string", format: "date-time" },
            domains: { type: "array", items: { type: "string" } },
            posts: { type: "integer", description: "Public posts now (in lists)" },
          },
        },
        ApiToken: {
          type: "object",
          properties: {
            id: { type: "integer" },
            name: { type: "string" },
            role: { enum: ["moderator", "editor", "owner"] },
            createdAt: { type: "string", format: "date-time" },
            lastUsedAt: { type: ["string", "null"], format: "date-time" },
          },
        },
        AuditEntry: {
          type: "object",
          properties: {
            id: { type: "integer" },
            at: { type: "string", format: "date-time" },
            actor: { type: "string" },
            action: { type: "string" },
            target: { type: "string" },
          },
        },
        Invitation: {
          type: "object",
          properties: {
            email: { type: "string" },
            role: { enum: ["moderator", "editor", "owner"] },
            expiresAt: { type: "string", format: "date-time" },
          },
        },
        Member: {
          type: "object",
          properties: {
            personId: { type: "integer" },
            email: { type: "string" },
            role: { enum: ["moderator", "editor", "owner"] },
            since: { type: "string", format: "date-time" },
          },
        },
        Message: {
          type: "object",
          properties: {
            from: { type: "string" },
            to: { type: "string" },
            subject: { type: "string" },
            text: { type: "string" },
            html: { type: "string" },
            headers: { type: "object", additionalProperties: { type: "string" } },
            sentAt: { type: "string", format: "date-time" },
          },
        },
      },
    },
  };
}
