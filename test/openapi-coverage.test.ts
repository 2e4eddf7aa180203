import { describe, expect, it } from "vitest";
import app from "../src/app";
import document from "../public/openapi.json";

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
/**
 * A route's path as OpenAPI writes it: `/api/posts/:slug{...}` is `/api/posts/{slug}`, and a
 * parameter that takes one of a few words (`:action{approve|hide}`) is one path per word.
 */
function openApiPaths(path: string): string[] {
  const choice = /:\w+\{([a-z]+(?:\|[a-z]+)+)\}/.exec(path);
  if (choice) return choice[1]!.split("|").flatMap((word) => openApiPaths(path.replace(choice[0], word)));
  return [path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")];
}

describe("the OpenAPI document", () => {
  it("documents every /api route the app answers, with its method, and nothing it does not answer", () => {
    const routes = new Set(
      app.routes
        // `/api` itself is the document as a page for people.
        .filter((r) => METHODS.has(r.method) && r.path.startsWith("/api/"))
        .flatMap((r) => openApiPaths(r.path).map((path) => `${r.method.toLowerCase()} ${path}`)),
    );
    expect(routes.size).toBeGreaterThan(30);
    const documented = new Set(
      Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m} ${path}`),
      ),
    );
    expect([...routes].filter((r) => !documented.has(r)).sort(), "answered, not documented").toEqual([]);
    expect([...documented].filter((r) => !routes.has(r)).sort(), "documented, not answered").toEqual([]);
  });
});
