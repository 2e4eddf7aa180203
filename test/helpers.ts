// Code blocks are highlighted as the publish script does (the worker asks the federation worker).
import "../src/core/highlight";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { buildSite } from "../src/core/build";
import type { PostSource } from "../src/core/types";
import { MAIN_BLOG } from "../src/core/blogs";
import { keysFor, kvMetadata } from "../src/core/keys";
import { addImports, type ImportedComment } from "../src/core/imports";

let counter = 0;

/** A valid post; every field can be overridden. */
export function makePost(overrides: Partial<PostSource> = {}): PostSource {
  counter++;
  const post: PostSource = {
    slug: `post-${counter}`,
    title: `Post number ${counter}`,
    date: new Date(Date.UTC(2024, 0, 1) + counter * 86_400_000).toISOString(),
    updated: null,
    author: null,
    tags: [],
    summary: null,
    draft: false,
    markdown: `Body of post ${counter}.\n\n## A heading\n\nMore text.`,
    ...overrides,
  };
  // Validated posts always carry `toISOString()` dates.
  post.date = new Date(post.date).toISOString();
  return post;
}

/** Writes exactly what `npm run publish` would write for these posts (and imported comments and old URLs) into the test's KV. */
export async function publish(
  posts: PostSource[],
  now = new Date(),
  blog = MAIN_BLOG,
  imports?: { comments?: Map<string, ImportedComment[]>; redirects?: Map<string, string> },
): Promise<Map<string, string>> {
  const keys = keysFor(blog);
  const entries = buildSite(keys, posts, now);
  if (imports) addImports(keys, entries, { comments: imports.comments ?? new Map(), redirects: imports.redirects ?? new Map() });
  // With the metadata `npm run publish` writes (the sources keys' hashes, for backups).
  await Promise.all(
    [...entries].map(([key, value]) => {
      const metadata = kvMetadata(key, value);
      return env.POSTS.put(key, value, metadata && { metadata });
    }),
  );
  await env.POSTS.put(keys.version, `${Date.now()}.${Math.random()}`);
  return entries;
}

export async function clearKv(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.POSTS.list({ cursor });
    await Promise.all(page.keys.map((k) => env.POSTS.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

const worker = (exports as unknown as { default: Fetcher }).default;

export function request(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`https://blog.example${path}`, { redirect: "manual", ...init }));
}

export function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return request(path, { headers });
}

export async function getJson<T = any>(path: string, headers: Record<string, string> = {}): Promise<{ res: Response; body: T }> {
  const res = await get(path, headers);
  return { res, body: (await res.json()) as T };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Opens a live-comments WebSocket through the worker and collects its JSON messages. */
export async function listen(path: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; messages: any[] }> {
  const res = await get(path, { Upgrade: "websocket", ...headers });
  if (res.status !== 101 || !res.webSocket) throw new Error(`expected a WebSocket upgrade at ${path}, got ${res.status}`);
  const ws = res.webSocket;
  const messages: any[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(e.data as string));
  });
  ws.accept();
  return { ws, messages };
}

/** A request to the app with some vars changed (the moderation mode, the rate limit …), waiting for its waitUntil work. */
export async function requestWith(vars: Partial<Record<keyof Env, string>>, path: string, init: RequestInit = {}): Promise<Response> {
  const { default: app } = await import("../src/app");
  const ctx = createExecutionContext();
  const res = await app.request(`https://blog.example${path}`, { redirect: "manual", ...init }, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The ADMIN_TOKEN the worker tests run with (vitest.config.ts). */
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";

/** Signs in at /admin with the token; answers the session cookie as `name=value`. */
/** Signs in with the admin token at a blog's host (the main blog's by default); answers the session cookie. */
export async function signIn(host = "blog.example"): Promise<string> {
  const res = await at(host, "/admin/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `token=${ADMIN_TOKEN}`,
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

/** Signs in at a blog's host and opens its settings: the cookie and the form's CSRF token. */
export async function settingsSession(host: string): Promise<{ cookie: string; csrf: string }> {
  const cookie = await signIn(host);
  const page = await (await at(host, "/admin/settings", { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]! };
}

/** The settings form as a browser sends it: every field of the first fieldset, with `fields` over them. */
export const settingsForm = (csrf: string, fields: Record<string, string>) =>
  new URLSearchParams({
    csrf,
    title: "Alpha",
    description: "",
    author: "",
    language: "en",
    timeZone: "UTC",
    moderation: "open",
    blockedWords: "",
    rateLimit: "5",
    ...fields,
  }).toString();

/** A request to the worker at another host name (a blog of the platform): `at("alpha.localhost", "/")`. */
export function at(host: string, path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`https://${host}${path}`, { redirect: "manual", ...init }));
}

/** Creates a blog through the operator API; throws unless it answered 201. */
export async function createBlog(name: string, title = `Blog ${name}`, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await request("/api/admin/blogs", {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name, title, ...extra }),
  });
  if (res.status !== 201) throw new Error(`creating ${name} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { blog: unknown }).blog;
}
