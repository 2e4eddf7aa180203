import { type Paths, admin, errors, json, ok, ref, schema } from "./openapi-kit";
import { MEDIA_NAME } from "../core/media";
import { altBody, previewBody } from "./media";

/** The OpenAPI description of the routes in media.tsx (assembled by src/openapi.ts; never part of the worker). */
export const mediaPaths: Paths = {
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
      summary: "Describe an image (alt text, at most 300 characters; empty for none): the editor offers it whenever the image is inserted",
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
};
