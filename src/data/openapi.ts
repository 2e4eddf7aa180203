/**
 * The OpenAPI document, a static asset (public/openapi.json, written by `npm run openapi`) rather
 * than part of the worker's code: read once per isolate through the ASSETS binding.
 */
export interface OpenApiDocument {
  info: { title: string; description: string };
  paths: Record<string, Record<string, { summary: string; security?: unknown[] }>>;
  [key: string]: unknown;
}

let loaded: Promise<OpenApiDocument> | null = null;

export function openApiDocument(env: Env): Promise<OpenApiDocument> {
  loaded ??= env.ASSETS.fetch("https://assets.invalid/openapi.json").then(async (res) => {
    if (!res.ok) throw new Error(`openapi.json: ${res.status}`);
    return (await res.json()) as OpenApiDocument;
  });
  // A failed read is tried again by the next request, not kept.
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}
