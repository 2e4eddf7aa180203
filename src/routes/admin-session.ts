import { CACHE_POLICY } from "../http/freshness";
import type { Context, MiddlewareHandler } from "hono";
import type { Role } from "../core/people";
import { AppError } from "../errors";
import { administrationEnabled, csrfToken, may, principal, sameSecret, validSession } from "../http/auth";
import type { AppEnv } from "../settings";
import { accounts, person } from "../data/objects";

export type AdminEnv = { Bindings: Env; Variables: AppEnv["Variables"] & { session: string; csrf: string } };

/** The administration's page properties; its title is the person's word for "Administration" unless a route names one. */
export const PAGE = { noindex: true, admin: true } as const;
export const HELD_POSTS = 30;

export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", CACHE_POLICY.never);
};

/**
 * Pages behind the sign-in: a valid session of the operator or of a member whose role includes
 * `need` on this blog, and on writes its CSRF token.
 */
export const signedInAs =
  (need: Role): MiddlewareHandler<AdminEnv> =>
  async (c, next) => {
    administrationEnabled(c);
    const session = await validSession(c);
    const who = session ? await principal(c) : null;
    if (!session || !who) {
      if (c.req.method === "GET") return c.redirect("/admin", 303);
      throw new AppError("unauthorized", "Your session has expired. Sign in again.");
    }
    if (!may(who, need)) throw new AppError("forbidden", `This needs the ${need} role on this blog (or higher).`);
    await checkedForm(c, session.cookie);
    await next();
  };

/** Any member of the blog (moderators included), or the operator. */
export const signedIn = signedInAs("moderator");

async function checkedForm(c: Context<AdminEnv>, session: string) {
  const csrf = await csrfToken(c, session);
  if (c.req.method === "POST") {
    const form = await c.req.parseBody();
    if (typeof form.csrf !== "string" || !(await sameSecret(form.csrf, csrf))) {
      throw new AppError("bad_csrf_token", "This form has expired. Reload the page and try again.");
    }
  }
  c.set("session", session);
  c.set("csrf", csrf);
}

/** The signed-in member: their id, their address, and their person object (where their choices are kept); null for the operator. */
export async function signedInPerson(c: Context<AdminEnv>) {
  const who = await principal(c);
  if (who?.kind !== "person") return null;
  const here = c.var.store.name;
  const email = await accounts(c.env, here).emailOf(here, who.personId);
  if (!email) return null;
  return { personId: who.personId, email, self: await person(c.env, email) };
}
