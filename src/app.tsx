import { CACHE_POLICY, cacheAs } from "./http/freshness";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import { log, requestId, traced } from "./core/log";
import { AppError, describeError, notFound } from "./errors";
import { hasCredentials } from "./http/auth";
import { pageCache, withPageCache } from "./http/cache";
import { etag } from "./http/etag";
import { trimTrailingSlash } from "./http/old-urls";
import { oldUrls } from "./http/old-urls";
import { federationRoutes } from "./http/federation";
import { prefersJson } from "./http/negotiate";
import { sameOriginWrites, securityHeaders } from "./http/security";
import { requireBlog, tenancy } from "./http/tenancy";
import { adminLanguage } from "./http/admin-language";
import { themePreview } from "./http/theme-preview";
import { adminPages } from "./routes/admin";
import { adminEditor } from "./routes/admin-editor";
import { adminModeration } from "./routes/admin-moderation";
import { adminApi } from "./routes/admin-api";
import { blogsApi } from "./routes/blogs-api";
import { membersApi } from "./routes/members-api";
import { tokensApi } from "./routes/tokens-api";
import { settingsPages } from "./routes/blog-settings";
import { signInPages } from "./routes/signin";
import { createPages } from "./routes/create";
import { peoplePages } from "./routes/people-pages";
import { subscriberPages, subscribersApi } from "./routes/subscribers-import";
import { replyPages } from "./routes/replies";
import { statsApi, statsPages } from "./routes/stats";
import { closeBlogApi, closeBlogPages, closedAdministration } from "./routes/close-blog";
import { exportApi, exportPages } from "./routes/export";
import { backupApi, backupPages } from "./routes/backups";
import { erasureApi, erasurePages } from "./routes/erasure";
import { ownerDomainApi, ownerDomainPages } from "./routes/owner-domain";
import { myAccountPages } from "./routes/my-account";
import { countViews, mostReadList } from "./http/stats";
import api from "./routes/api";
import { commentForms, commentsApi } from "./routes/comments";
import feeds from "./routes/feeds";
import { lookRoutes } from "./routes/look";
import { mediaApi, mediaFiles, mediaPages } from "./routes/media";
import { fediversePages } from "./routes/fediverse-pages";
import pages from "./routes/pages";
import { searchApi, searchPages } from "./routes/search";
import { subscribeApi, subscribePages } from "./routes/subscribe";
import type { AppEnv } from "./settings";
import { renderer } from "./views/layout";
import { ErrorPage } from "./views/pages/error";
import { errorText, hasMessages, messagesFor } from "./core/i18n";

const isApi = (c: Context) => c.req.path === "/api" || c.req.path.startsWith("/api/");

/** The one place an error becomes an answer: JSON on the API (and to clients that prefer it), a page elsewhere. */
function errorResponse(c: Context<AppEnv>, err: unknown) {
  const { status, code, message, retryAfter } = describeError(err);
  if (status >= 500 && status !== 503) log("error", "unhandled error", { code, status, error: err });
  // Quoted by a reader or a client, it finds this request's log lines.
  const reference = requestId();
  if (reference) c.header("X-Request-Id", reference);
  cacheAs(c, status >= 500 ? "never" : "refusal");
  if (retryAfter) c.header("Retry-After", String(retryAfter));
  if (err instanceof MethodNotAllowed) c.header("Allow", err.allow.join(", "));
  // The code stays; its words follow the blog's language, or on the administration's pages the
  // person's (English keeps the specific message).
  // Without even English's words (the assets unreachable): the error's own words, unadorned.
  if (!hasMessages("en")) return isApi(c) || prefersJson(c) ? c.json({ error: { code, message } }, status) : c.text(message, status);
  const t = messagesFor(c.var.adminLanguage ?? c.var.settings?.blog.language ?? "en");
  const said = errorText(t, code, message);
  if (isApi(c) || prefersJson(c)) return c.json({ error: { code, message: said } }, status);
  c.status(status);
  const createUrl = code === "blog_not_found" ? c.var.settings.blog.createUrl : null;
  return c.render(<ErrorPage status={status} message={said} createUrl={createUrl} reference={reference} t={t} />, {
    title: status === 404 ? t.errorPage.notFound : t.errorPage.title,
    noindex: true,
    lang: c.var.adminLanguage,
  });
}

class MethodNotAllowed extends AppError {
  constructor(readonly allow: string[]) {
    super("method_not_allowed", `This address accepts ${allow.join(", ")}.`);
  }
}

const app = new Hono<AppEnv>();

// The blog and its settings first: every later middleware and route reads them from the context.
app.use(tenancy);
app.use(securityHeaders);
app.use(renderer);
app.use(requireBlog);
for (const path of ["/admin", "/admin/*", "/signin", "/signin/*", "/invite/*", "/create", "/create/*"]) app.use(path, adminLanguage);
// A blog its owner deleted: its administration only says so, and lets an owner restore it.
for (const path of ["/admin", "/admin/*"]) app.use(path, closedAdministration);
app.use(themePreview);
app.use(federationRoutes);
app.use(sameOriginWrites);
app.use(oldUrls);
// Counts reader pages that answer 200, the shared cache's too (the memory's are counted in withPageCache).
app.use(countViews);
app.use(pageCache);
app.use(trimTrailingSlash);
app.use(etag);
app.use(mostReadList);
app.use(async (c, next) => {
  await next();
  // An answer to a request with credentials depended on them: no shared cache may keep it.
  if (hasCredentials(c)) c.res.headers.set("Cache-Control", CACHE_POLICY.personal);
  else if ((c.req.method === "GET" || c.req.method === "HEAD") && c.res.ok && !c.res.headers.has("Cache-Control")) {
    c.res.headers.set("Cache-Control", CACHE_POLICY.revalidate);
  }
});

app.route("/api", api);
app.route("/api", blogsApi);
app.route("/api", membersApi);
app.route("/api", tokensApi);
app.route("/api", adminApi);
app.route("/api", commentsApi);
app.route("/api", subscribeApi);
app.route("/api", subscribersApi);
app.route("/api", searchApi);
app.route("/api", mediaApi);
app.route("/api", statsApi);
app.route("/api", closeBlogApi);
app.route("/api", exportApi);
app.route("/api", backupApi);
app.route("/api", erasureApi);
app.route("/api", ownerDomainApi);
app.route("/", mediaFiles);
app.route("/", feeds);
app.route("/", lookRoutes);
app.route("/", pages);
app.route("/", commentForms);
app.route("/", subscribePages);
app.route("/", replyPages);
app.route("/", searchPages);
app.route("/", adminPages);
app.route("/", adminEditor);
app.route("/", adminModeration);
app.route("/", settingsPages);
app.route("/", signInPages);
app.route("/", createPages);
app.route("/", peoplePages);
app.route("/", subscriberPages);
app.route("/", mediaPages);
app.route("/", fediversePages);
app.route("/", statsPages);
app.route("/", closeBlogPages);
app.route("/", exportPages);
app.route("/", backupPages);
app.route("/", erasurePages);
app.route("/", ownerDomainPages);
app.route("/", myAccountPages);

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** The handlers of real routes (not middleware), to tell "no such path" from "not with this method". */
const routeHandlers = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => r.handler));

function allowedMethods(path: string): string[] {
  const allowed = METHODS.filter((m) => {
    const [matches] = app.router.match(m, path) as unknown as [[[unknown, unknown]][]];
    return matches.some(([[handler]]) => routeHandlers.has(handler as never));
  });
  return allowed.includes("GET") ? [...allowed, "HEAD"] : allowed;
}

app.notFound((c) => {
  const allow = allowedMethods(c.req.path);
  return errorResponse(c, allow.length && !allow.includes(c.req.method) ? new MethodNotAllowed(allow) : notFound());
});
app.onError((err, c) => errorResponse(c, err));
// Answers kept in memory are sent before routing; what the page cache keeps is kept as it leaves.
// A request answered from memory logs nothing: only the rest is traced (see core/log.ts).
const route = app.fetch;
app.fetch = withPageCache((request, env, ctx) => traced(request, undefined, () => route(request, env, ctx)));

export default app;
