import type { BlogConfig } from "../settings";
import document from "../generated/openapi.json";

/** The generated OpenAPI document, with this blog's name and address. */
export function openApiFor(blog: BlogConfig) {
  return { ...document, info: { ...document.info, title: `${blog.title} API` }, servers: [{ url: blog.baseUrl }] };
}
