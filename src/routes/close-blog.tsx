import { Hono } from "hono/tiny";
import type { Context, MiddlewareHandler } from "hono";
import * as z from "zod/mini";
import { CLOSED_GRACE_MS, MAIN_BLOG } from "../core/blogs";
import { blogObject, holdRecord } from "../data/blogs";
import { csrfToken, may, principal, requireRole, validSession } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import { cacheAs } from "../http/freshness";
import { audit } from "../http/audit";
import { say } from "../core/i18n";
import { ClosedBlogPage, CloseBlogPage } from "../views/pages/close-blog";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import type { AppEnv } from "../settings";
import { AppError } from "../errors";
import type { BlogRecord } from "../core/blogs";
import { formText, validate } from "./validation";

function deletePage(c: Context<AdminEnv>, error?: string) {
  const blog = c.var.settings.blog;
  return c.render(
    <CloseBlogPage
      csrf={c.get("csrf")}
      blog={blog.name}
      purgeAt={new Date(Date.now() + CLOSED_GRACE_MS).toISOString()}
      timeZone={blog.timeZone}
      error={error}
      main={blog.name === MAIN_BLOG}
    />,
    { ...PAGE, title: wordsFor(c).closeBlog.title },
  );
}

/**
 * An owner deletes their blog from `/admin/delete`, typing its name: it is closed at once (readers
 * get 404) and its data goes after CLOSED_GRACE_MS (platform/blog.ts), unless an owner restores it
 * from the administration meanwhile.
 */
export const closeBlogPages = new Hono<AdminEnv>()
  .use("/admin/delete", noStore)
  .get("/admin/delete", signedInAs("owner"), (c) => deletePage(c))
  .post("/admin/delete", signedInAs("owner"), validate("form", z.object({ confirm: formText() }), { code: "invalid_input" }), async (c) => {
    const name = c.var.settings.blog.name;
    if (name === MAIN_BLOG) return deletePage(c);
    if (c.req.valid("form").confirm.trim() !== name) {
      c.status(400);
      return deletePage(c, say(wordsFor(c).closeBlog.wrongName, { blog: name }));
    }
    const { blog } = await blogObject(c.env, name).close(name, new Date().toISOString());
    holdRecord(blog);
    await audit(c, "blog.closed", blog.purgeAt ?? "");
    return c.redirect("/admin", 303);
  })
  .post("/admin/restore", signedInAs("owner"), async (c) => {
    const name = c.var.settings.blog.name;
    const { blog } = await blogObject(c.env, name).reopen(name, new Date().toISOString());
    holdRecord(blog);
    await audit(c, "blog.restored", name);
    return c.redirect("/admin?blogRestored", 303);
  });

/** What a closed blog's administration still takes: restoring it, and signing in and out. */
const OPEN_WHILE_CLOSED = new Set(["/admin/restore", "/admin/login", "/admin/logout", "/admin/logout-everywhere"]);

/**
 * The administration of a closed blog: its members (signed in as usual) see when it goes and, for
 * owners, the way back; every other page of it is closed too. Not signed in: the sign-in as usual.
 */
export const closedAdministration: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const until = c.var.settings.blog.closedUntil;
  if (!until) return next();
  if (c.req.method === "POST" && OPEN_WHILE_CLOSED.has(c.req.path)) return next();
  const session = await validSession(c);
  const who = session ? await principal(c) : null;
  if (!session || !who) return c.req.path === "/admin" ? next() : c.redirect("/admin", 303);
  if (c.req.path !== "/admin" || c.req.method !== "GET") return c.redirect("/admin", 303);
  cacheAs(c, "never");
  return c.render(
    <ClosedBlogPage
      csrf={await csrfToken(c, session.cookie)}
      purgeAt={until}
      timeZone={c.var.settings.blog.timeZone}
      owner={may(who, "owner")}
    />,
    { ...PAGE, title: wordsFor(c).closeBlog.closedTitle },
  );
};

export const closeInput = z.object({ confirm: z.string({ error: "confirm must be the blog's name" }) });

const closedView = (blog: BlogRecord) => ({ name: blog.name, state: blog.state, purgeAt: blog.purgeAt ?? null });

/** The same for scripts (owners): `DELETE /api/blog` with the name typed as `confirm`, `POST /api/blog/restore`. */
export const closeBlogApi = new Hono<AppEnv>()
  .delete("/blog", requireRole("owner"), validate("json", closeInput, { code: "invalid_input" }), async (c) => {
    const name = c.var.settings.blog.name;
    if (name === MAIN_BLOG) throw new AppError("forbidden", "The main blog cannot be deleted.");
    if (c.req.valid("json").confirm !== name)
      throw new AppError("invalid_input", `confirm must be the blog's name, "${name}": nothing was deleted.`);
    const { blog } = await blogObject(c.env, name).close(name, new Date().toISOString());
    holdRecord(blog);
    await audit(c, "blog.closed", blog.purgeAt ?? "");
    return c.json({ blog: closedView(blog) }, 202);
  })
  .post("/blog/restore", requireRole("owner"), async (c) => {
    const name = c.var.settings.blog.name;
    const { blog } = await blogObject(c.env, name).reopen(name, new Date().toISOString());
    holdRecord(blog);
    await audit(c, "blog.restored", name);
    return c.json({ blog: closedView(blog) });
  });
