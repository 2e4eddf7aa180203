import type { OpenApiDocument } from "../data/openapi";
import type { BlogConfig } from "../settings";

/** The OpenAPI document with this blog's name and address. */
export function openApiFor(document: OpenApiDocument, blog: BlogConfig): OpenApiDocument {
  return { ...document, info: { ...document.info, title: `${blog.title} API` }, servers: [{ url: blog.baseUrl }] };
}
