import * as z from "zod/mini";
import { BLOG_NAME } from "./content/blogs";
import { MAX_SLUG_LENGTH, POST_SLUG, SESSION_COOKIE } from "./content/vocabulary";
import { postBody } from "./routes/admin-api";
import { blogListQuery, blogPatchBody, newBlogBody } from "./routes/blogs-api";
import { createBody } from "./routes/create";
import { memberBody } from "./routes/members-api";
import { tokenBody } from "./routes/tokens-api";
import { listQuery } from "./routes/api";
import { commentEdit, commentJson } from "./routes/comment-input";
import { commentListQuery } from "./routes/comments";
import { searchQuery } from "./routes/search";
import { nullableOf } from "./routes/validation";
import { emailSchema } from "./routes/subscribe";
import { altBody, previewBody } from "./routes/media";
import { MEDIA_NAME } from "./content/media";

type Json = Record<string, unknown>;

/** A request schema as JSON Schema, straight from the validator the route uses. */
const schema = (s: z.ZodMiniType): Json => {
  const out = z.toJSONSchema(s, {
    io: "input",
    unrepresentable: "any",
    override(ctx) {
      const hint = nullableOf.get(ctx.zodSchema as unknown as z.ZodMiniType);
      if (hint) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
        Object.assign(ctx.jsonSchema, {
          anyOf: [{ ...schema(hint.schema as z.ZodMiniType), ...hint.json }, { type: "null" }, { const: "" }],
        });
      }
    },
  }) as Json;
  delete out.$schema;
  return out;
};

/** Query parameters from an object validator. */
function query(s: z.ZodMiniObject): Json[] {
  const js = schema(s) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({
    name,
    in: "query",
    required: js.required?.includes(name) ?? false,
    schema: p,
  }));
}

const slug = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", pattern: POST_SLUG.source, maxLength: MAX_SLUG_LENGTH },
};
const id = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: Json) => ({ content: { "application/json": { schema: s } } });
const ok = (description: string, s?: Json) => (s ? { description, ...json(s) } : { description });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: ERRORS[c] ?? "Error", ...json(ref("Error")) }]));
const ERRORS: Record<number, string> = {
  400: "Invalid input",
  401: "Missing or wrong credentials",
  403: "Forbidden (edit token, CSRF)",
  404: "Not found",
  413: "Body over 64 KB",
  415: "Wrong content type",
  429: "Rate limited (Retry-After)",
  503: "Temporarily unavailable (Retry-After)",
};
const admin = [{ bearer: [] }, { session: [] }];
const operator = [{ bearer: [] }];
const blogName = { name: "name", in: "path", required: true, schema: { type: "string", pattern: BLOG_NAME.source } };

/**
 * The OpenAPI 3.1 description of the JSON API; request schemas come from the route validators.
 * Generated at build time (`npm run openapi`) so the JSON Schema code stays out of the worker.
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
    paths: {
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
      "/api/media": {
        get: {
          summary: "The blog's images, newest first, with the posts that use each",
          security: admin,
          responses: {
            "200": ok("Images", { type: "object", properties: { media: { type: "array", items: ref("Media") } } }),
            ...errors(401),
          },
        },
        post: {
          summary:
            "Upload an image (PNG, JPEG, WebP, AVIF or GIF, checked from its bytes; at most 10 MB): the raw bytes, or multipart with a `file` field. Stored once per content; served at `url` with immutable caching",
          security: admin,
          parameters: [{ name: "X-File-Name", in: "header", required: false, schema: { type: "string" } }],
          requestBody: { required: true, content: { "image/*": { schema: { type: "string", format: "binary" } } } },
          responses: {
            "201": ok("Stored", { type: "object", properties: { media: ref("Media") } }),
            "200": ok("Already stored (same bytes)", { type: "object", properties: { media: ref("Media") } }),
            "413": { description: "Over 10 MB", ...json(ref("Error")) },
            ...errors(400, 401),
          },
        },
      },
      "/api/media/{name}": {
        patch: {
          summary:
            "Describe an image (alt text, at most 300 characters; empty for none): the editor offers it whenever the image is inserted",
          security: admin,
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string", pattern: MEDIA_NAME.source } }],
          requestBody: { required: true, ...json(schema(altBody)) },
          responses: { "200": ok("Described", { type: "object", properties: { media: ref("Media") } }), ...errors(400, 401, 404) },
        },
        delete: {
          summary: "Delete an image no post uses (409 media_in_use names the posts that do)",
          security: admin,
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string", pattern: MEDIA_NAME.source } }],
          responses: { "204": ok("Deleted"), "409": { description: "media_in_use", ...json(ref("Error")) }, ...errors(401, 404) },
        },
      },
      "/api/preview": {
        post: {
          summary: "Render Markdown as publishing does (the editor's live preview)",
          security: admin,
          requestBody: { required: true, ...json(schema(previewBody)) },
          responses: {
            "200": ok("HTML", { type: "object", properties: { html: { type: "string" }, toc: { type: "array" } } }),
            ...errors(400, 401, 415),
          },
        },
      },
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
      "/api/subscribe": {
        post: {
          summary: "Subscribe an address (double opt-in: a confirmation mail is sent)",
          requestBody: { required: true, ...json(schema(emailSchema)) },
          responses: {
            "202": ok("Pending confirmation", {
              type: "object",
              properties: { status: { const: "pending" }, message: { type: "string" } },
            }),
            ...errors(400, 413, 415, 429, 503),
          },
        },
      },
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
      "/api/admin/outbox": {
        get: {
          summary: "Mail kept by the outbox driver, newest last (admin)",
          security: admin,
          responses: {
            "200": ok("Messages", { type: "object", properties: { messages: { type: "array", items: ref("Message") } } }),
            ...errors(401),
          },
        },
      },
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
      "/api/members": {
        get: {
          summary: "The blog's members and their roles, and the open invitations (owner)",
          security: admin,
          responses: {
            "200": ok("Members", {
              type: "object",
              properties: {
                members: { type: "array", items: ref("Member") },
                invitations: { type: "array", items: ref("Invitation") },
              },
            }),
            ...errors(401, 403),
          },
        },
        post: {
          summary: "Invite a person (by email) with a role no higher than yours; they join when they accept the mailed link (owner)",
          security: admin,
          requestBody: { required: true, ...json(schema(memberBody)) },
          responses: {
            "202": ok("Invited", { type: "object", properties: { invitation: ref("Invitation") } }),
            ...errors(400, 401, 403, 415),
          },
        },
      },
      "/api/members/{id}": {
        patch: {
          summary: "Change a member's role (owner); the last owner stays one",
          security: admin,
          parameters: [id],
          requestBody: {
            required: true,
            ...json({ type: "object", required: ["role"], properties: { role: { enum: ["moderator", "editor", "owner"] } } }),
          },
          responses: {
            "200": ok("The member"),
            "409": { description: "last_owner", ...json(ref("Error")) },
            ...errors(400, 401, 403, 404),
          },
        },
        delete: {
          summary: "Remove a member (owner); the last owner cannot be removed",
          security: admin,
          parameters: [id],
          responses: { "204": ok("Removed"), "409": { description: "last_owner", ...json(ref("Error")) }, ...errors(401, 403, 404) },
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
      "/api/audit": {
        get: {
          summary: "The blog's audit log, newest first, 50 a page (owner)",
          security: admin,
          parameters: [{ name: "before", in: "query", required: false, schema: { type: "integer", minimum: 1 } }],
          responses: {
            "200": ok("Entries", {
              type: "object",
              properties: { entries: { type: "array", items: ref("AuditEntry") }, meta: { type: "object" } },
            }),
            ...errors(401, 403),
          },
        },
      },
      "/api/openapi.json": { get: { summary: "This document", responses: { "200": ok("OpenAPI 3.1") } } },
    },
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
