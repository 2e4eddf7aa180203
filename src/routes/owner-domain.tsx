import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { MAIN_BLOG } from "../core/blogs";
import { HOST_NAME } from "../core/custom-domain";
import { blogObject } from "../data/blogs";
import { cloudflareConfig } from "../data/custom-domains";
import { addOwnerDomain, checkOwnerDomain, removeOwnerDomain } from "../data/owner-domain";
import { AppError } from "../errors";
import { requireRole } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import { audit } from "../http/audit";
import { type AppEnv, hostsOf } from "../settings";
import { OwnerDomainPage } from "../views/pages/owner-domain";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { validate } from "./validation";

/** A host name as typed ("https://Blog.Example.org/" too): lowercased, without scheme, path or final dot; null when it is none. */
function hostOf(typed: string): string | null {
  const host = typed
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/\.$/, "");
  return HOST_NAME.test(host) ? host : null;
}

/** The platform's own names are never an owner's domain (beta.<BLOGS_DOMAIN> given to alpha would serve alpha at beta's address). */
function ownName(env: Env, host: string): boolean {
  const { main, blogsDomain } = hostsOf(env);
  return host === main || (!!blogsDomain && (host === blogsDomain || host.endsWith(`.${blogsDomain}`)));
}

export const domainInput = z.object({ host: z.string({ error: "host is the domain, such as blog.example.org" }) });

async function add<E extends AppEnv>(c: Context<E>, typed: string) {
  const name = c.var.store.name;
  if (name === MAIN_BLOG) throw new AppError("forbidden", "The platform's main blog is served at the platform's own address.");
  const host = hostOf(typed);
  if (!host) throw new AppError("invalid_domain", "The domain must be a host name such as blog.example.org.");
  if (ownName(c.env, host)) throw new AppError("invalid_domain", `${host} is one of the platform's own addresses, not a custom domain.`);
  const domain = await addOwnerDomain(c.env, name, host, new Date());
  await audit(c, "domain.added", host);
  return domain;
}

async function remove<E extends AppEnv>(c: Context<E>) {
  const name = c.var.store.name;
  const current = await blogObject(c.env, name).ownerDomain();
  if (!current || !(await removeOwnerDomain(c.env, name, new Date()))) return false;
  await audit(c, "domain.removed", current.host);
  return true;
}

async function page(c: Context<AdminEnv>, notes: { error?: string; notice?: string } = {}) {
  const name = c.var.store.name;
  const domain = name === MAIN_BLOG ? null : await blogObject(c.env, name).ownerDomain();
  return c.render(
    <OwnerDomainPage
      csrf={c.get("csrf")}
      offered={!!cloudflareConfig(c.env)}
      main={name === MAIN_BLOG}
      domain={domain}
      timeZone={c.var.settings.blog.timeZone}
      {...notes}
    />,
    { ...PAGE, title: wordsFor(c).domain.title },
  );
}

/** `/admin/domain` (owners): the blog's own domain through Cloudflare for SaaS. */
export const ownerDomainPages = new Hono<AdminEnv>()
  .use("/admin/domain", noStore)
  .use("/admin/domain/*", noStore)
  .get("/admin/domain", signedInAs("owner"), (c) =>
    page(c, c.req.query("removed") !== undefined ? { notice: wordsFor(c).domain.removed } : {}),
  )
  .post("/admin/domain", signedInAs("owner"), async (c) => {
    const { host } = await c.req.parseBody();
    try {
      await add(c, typeof host === "string" ? host : "");
    } catch (error) {
      if (!(error instanceof AppError) || !["invalid_domain", "domain_taken", "domains_not_offered", "forbidden"].includes(error.code))
        throw error;
      c.status(error.code === "domain_taken" || error.code === "domains_not_offered" ? 409 : 400);
      return page(c, {
        error: error.code === "invalid_domain" && !hostOf(String(host ?? "")) ? wordsFor(c).domain.invalid : error.message,
      });
    }
    return c.redirect("/admin/domain", 303);
  })
  // "Check now": the owner has just created the records and need not wait for the job's next turn.
  .post("/admin/domain/check", signedInAs("owner"), async (c) => {
    const current = await blogObject(c.env, c.var.store.name).ownerDomain();
    if (current?.status === "pending") await checkOwnerDomain(c.env, c.var.store.name, current.host, new Date());
    return c.redirect("/admin/domain", 303);
  })
  .post("/admin/domain/remove", signedInAs("owner"), async (c) => {
    await remove(c);
    return c.redirect("/admin/domain?removed", 303);
  });

/** The same for scripts (owners): GET, PUT and DELETE /api/domain. */
export const ownerDomainApi = new Hono<AppEnv>()
  .get("/domain", requireRole("owner"), async (c) => {
    const cfg = cloudflareConfig(c.env);
    const name = c.var.store.name;
    const domain = name === MAIN_BLOG ? null : await blogObject(c.env, name).ownerDomain();
    return c.json({ offered: !!cfg && name !== MAIN_BLOG, target: cfg?.target ?? null, domain });
  })
  .put("/domain", requireRole("owner"), validate("json", domainInput, { code: "invalid_domain" }), async (c) =>
    c.json({ domain: await add(c, c.req.valid("json").host) }, 202),
  )
  .delete("/domain", requireRole("owner"), async (c) => {
    if (!(await remove(c))) throw new AppError("not_found", "The blog has no domain of its own.");
    return c.body(null, 204);
  });
