import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { SIGNIN_PER_IP_HOUR } from "../core/people";
import { accounts, address, person } from "../data/objects";
import { AppError, nullIfInvalidLink } from "../errors";
import { signInBrowser } from "../http/auth";
import { audit } from "../http/audit";
import { formBody } from "../http/limits";
import { signInMail } from "../mail/messages";
import { mailerFor } from "../mail/mailer";
import type { AppEnv } from "../settings";
import { BadLinkPage, LinkButtonPage, MessagePage } from "../views/pages/message";
import { SignInByMailPage } from "../views/pages/signin";
import { emailSchema } from "./subscribe";
import { describeIssues, formText, validate } from "./validation";
import { log } from "../core/log";

const PAGE = { title: "Sign in", noindex: true } as const;
const tokenField = z.object({ token: z._default(z.string().check(z.maxLength(400)), "") });

/**
 * Asks for a sign-in link. The answer, and its timing, are the same whether or not the address
 * is a member: the Accounts object is asked either way, and a link is mailed after the answer.
 */
async function requestLink(c: Context<AppEnv>, email: string): Promise<void> {
  const { settings } = c.var;
  const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
  const now = Date.now();
  // Per address across blogs, in the address's own object; mail per member is limited by the blog's.
  const wait = await address(c.env, ip).take("signin", 3600_000, SIGNIN_PER_IP_HOUR, now);
  if (wait !== null) throw new AppError("rate_limited", `Too many sign-in requests. Try again in ${wait} seconds.`, wait);
  const { token } = await accounts(c.env, c.var.store.name).signInLink(c.var.store.name, email, now);
  if (!token) return;
  const send = async () => {
    try {
      await mailerFor(c.env, settings.blog.name, settings.mail).send([signInMail(settings.blog, email, token)]);
    } catch (err) {
      log("error", "sign-in mail failed", { code: "mail_unavailable", error: err });
    }
  };
  c.executionCtx.waitUntil(send());
}

/**
 * Accepts an invitation: the invited address's person (made if new, with their id on every
 * blog) learns of the blog first, then the blog makes them a member; null for a link no longer good.
 */
async function acceptInvite(c: Context<AppEnv>, token: string) {
  const blog = c.var.store.name;
  const people = accounts(c.env, blog);
  const invite = await people.checkInvite(blog, token, Date.now());
  if (!invite.ok) return null;
  const invited = await person(c.env, invite.email!);
  const who = await invited.ensure(invite.email!, new Date().toISOString());
  await invited.joined(blog);
  return nullIfInvalidLink(people.acceptInvite(blog, token, who, Date.now()));
}

const sent = (c: Context<AppEnv>, email: string) =>
  c.render(
    <MessagePage heading="Check your inbox">
      <p>If {email} may sign in to this blog, a sign-in link is on its way. It works once, within 15 minutes.</p>
    </MessagePage>,
    PAGE,
  );

function badLink(c: Context<AppEnv>) {
  c.status(400);
  return c.render(
    <BadLinkPage
      text="This link is not valid: it works once, for a limited time, on the blog it was sent for."
      retry={{ href: "/signin", label: "Ask for a sign-in link" }}
    />,
    PAGE,
  );
}

/** Sign-in by email for the members of a blog (the operator still signs in at /admin with the token). */
export const signInPages = new Hono<AppEnv>()
  .get("/signin", (c) => c.render(<SignInByMailPage />, PAGE))
  .post("/signin", ...formBody, validate("form", z.object({ email: formText() })), async (c) => {
    const parsed = emailSchema.safeParse({ email: c.req.valid("form").email });
    if (!parsed.success) {
      c.status(400);
      return c.render(<SignInByMailPage error={describeIssues(parsed.error.issues, { email: "Your email address" })} />, PAGE);
    }
    try {
      await requestLink(c, parsed.data.email);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "rate_limited") throw err;
      c.status(429);
      if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
      return c.render(<SignInByMailPage error={err.message} />, PAGE);
    }
    return sent(c, parsed.data.email);
  })
  .get("/signin/confirm", validate("query", tokenField), async (c) => {
    const { token } = c.req.valid("query");
    const link = token ? await accounts(c.env, c.var.store.name).checkLink(c.var.store.name, token, Date.now()) : { ok: false };
    if (!link.ok) return badLink(c);
    return c.render(
      <MessagePage heading="Sign in">
        <p>
          Sign in to {c.var.settings.blog.title} as {link.email}?
        </p>
        <form method="post" action="/signin/confirm">
          <input type="hidden" name="token" value={token} />
          <button type="submit">Sign in</button>
        </form>
      </MessagePage>,
      PAGE,
    );
  })
  .get("/invite/accept", validate("query", tokenField), async (c) => {
    const { token } = c.req.valid("query");
    const invite = token ? await accounts(c.env, c.var.store.name).checkInvite(c.var.store.name, token, Date.now()) : { ok: false };
    if (!invite.ok) return badLink(c);
    return c.render(
      <LinkButtonPage
        heading="Join this blog"
        question={`Join ${c.var.settings.blog.title} as ${invite.role}, with ${invite.email}?`}
        action="/invite/accept"
        token={token}
        button="Accept the invitation"
      />,
      PAGE,
    );
  })
  .post("/invite/accept", ...formBody, validate("form", tokenField), async (c) => {
    const { token } = c.req.valid("form");
    if (!c.var.settings.adminToken) throw new AppError("admin_disabled", "Administration is disabled on this deployment.");
    const accepted = token ? await acceptInvite(c, token) : null;
    if (!accepted) return badLink(c);
    await signInBrowser(c, accepted.personId);
    await audit(c, "member.joined", `as ${accepted.role}`, { personId: accepted.personId });
    return c.redirect("/admin", 303);
  })
  .post("/signin/confirm", ...formBody, validate("form", tokenField), async (c) => {
    const { token } = c.req.valid("form");
    if (!c.var.settings.adminToken) throw new AppError("admin_disabled", "Administration is disabled on this deployment.");
    const used = token ? await nullIfInvalidLink(accounts(c.env, c.var.store.name).useLink(c.var.store.name, token, Date.now())) : null;
    if (!used) return badLink(c);
    await signInBrowser(c, used.personId);
    return c.redirect("/admin", 303);
  });
