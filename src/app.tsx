import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { etag } from "hono/etag";
import { trimTrailingSlash } from "hono/trailing-slash";
import { configOf, type AppEnv } from "./config";
import { describeError, notFound } from "./errors";
import { adminPages } from "./routes/admin";
import { adminApi } from "./routes/admin-api";
import api from "./routes/api";
import { commentForms, commentsApi } from "./routes/comments";
import feeds from "./routes/feeds";
import { searchApi, searchPages } from "./routes/search";
import { subscribeApi, subscribePages } from "./routes/subscribe";
import { prefersJson } from "./routes/negotiate";
import pages from "./routes/pages";
import { pageCache } from "./cache";
import { sameOriginWrites, securityHeaders } from "./security";
import { Document } from "./views/layout";
import { ErrorPage } from "./views/pages/error";

/** Browsers revalidate every time (a cheap 304 thanks to the ETag); shared caches may keep a page 30 s and serve it stale while refreshing. */
const REVALIDATE = "public, max-age=0, s-maxage=30, stale-while-revalidate=300";

function errorResponse(c: Context<AppEnv>, err: unknown) {
  const { status, code, message, retryAfter } = describeError(err);
  if (status >= 500 && status !== 503) console.error(err);
  const headers: Record<string, string> = { "Cache-Control": status >= 500 ? "no-store" : "public, max-age=0, must-revalidate" };
  if (retryAfter) headers["Retry-After"] = String(retryAfter);
  if (c.req.path.startsWith("/api/") || c.req.path === "/api" || prefersJson(c)) {
    return c.json({ error: { code, message } }, status, headers);
  }
  const page = (
    <Document blog={configOf(c)} title={status === 404 ? "Page not found" : "Error"} noindex>
      <ErrorPage status={status} message={message} />
    </Document>
  );
  return c.html(html`<!DOCTYPE html>${page}`, status, headers);
}

const app = new Hono<AppEnv>();

app.use(securityHeaders);
app.use(sameOriginWrites);
app.use(pageCache);
app.use(trimTrailingSlash());
app.use(etag());
app.use(async (c, next) => {
  await next();
  if ((c.req.method === "GET" || c.req.method === "HEAD") && c.res.ok && !c.res.headers.has("Cache-Control")) {
    c.res.headers.set("Cache-Control", REVALIDATE);
  }
});

app.route("/api", api);
app.route("/api", adminApi);
app.route("/api", commentsApi);
app.route("/api", subscribeApi);
app.route("/api", searchApi);
app.route("/", feeds);
app.route("/", pages);
app.route("/", commentForms);
app.route("/", subscribePages);
app.route("/", searchPages);
app.route("/", adminPages);

app.notFound((c) => errorResponse(c, notFound()));
app.onError((err, c) => errorResponse(c, err));

export default app;
