import { rememberEditorMode, rememberLanguage, refusalText, wordsFor } from "../http/admin-language";
import { isLanguage, messagesFor, say } from "../core/i18n";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
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
import { formProblems, formText, validate } from "./validation";
import { log } from "../core/log";

const PAGE = { noindex: true } as const;
const page = (c: Context<AppEnv>, title?: string) => ({ ...PAGE, title: title ?? wordsFor(c).signin.title });
const readerWords = (c: Context<AppEnv>) => messagesFor(c.var.adminLanguage ?? "en");
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
      // In the language the person asked in (their choice, else their browser's).
      await mailerFor(c.env, settings.blog.name, settings.mail).send([
        signInMail(settings.blog, email, token, wordsFor(c).mail, c.var.adminLanguage),
      ]);
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
    <MessagePage heading={wordsFor(c).signin.checkInbox} t={readerWords(c)}>
      <p>{say(wordsFor(c).signin.sent, { email })}</p>
    </MessagePage>,
    page(c),
  );

function badLink(c: Context<AppEnv>) {
  c.status(400);
  const w = wordsFor(c).signin;
  return c.render(<BadLinkPage text={w.badLink} retry={{ href: "/signin", label: w.askLink }} t={readerWords(c)} />, page(c));
}

/** Brings back what the person chose for the administration (its language, their editor), on this browser too. */
async function restoreChoices(c: Context<AppEnv>, email: string): Promise<void> {
  const chosen = await (await person(c.env, email)).choices().catch(() => null);
  if (chosen?.language && isLanguage(chosen.language)) rememberLanguage(c, chosen.language);
  if (chosen?.editorMode) rememberEditorMode(c, chosen.editorMode);
}

/** Sign-in by email for the members of a blog (the operator still signs in at /admin with the token). */
export const signInPages = new Hono<AppEnv>()
  .get("/signin", (c) => c.render(<SignInByMailPage />, page(c)))
  .post("/signin", ...formBody, validate("form", z.object({ email: formText() })), async (c) => {
    const parsed = emailSchema.safeParse({ email: c.req.valid("form").email });
    if (!parsed.success) {
      c.status(400);
      const email = wordsFor(c).signin.email;
      const error = formProblems(wordsFor(c), parsed.error.issues, { email }, { email });
      return c.render(<SignInByMailPage error={error} />, page(c));
    }
    try {
      await requestLink(c, parsed.data.email);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "rate_limited") throw err;
      c.status(429);
      if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
      return c.render(<SignInByMailPage error={refusalText(c, err.code, err.message)} />, page(c));
    }
    return sent(c, parsed.data.email);
  })
  .get("/signin/confirm", validate("query", tokenField), async (c) => {
    const { token } = c.req.valid("query");
    const link = token ? await accounts(c.env, c.var.store.name).checkLink(c.var.store.name, token, Date.now()) : { ok: false };
    if (!link.ok) return badLink(c);
    const w = wordsFor(c).signin;
    return c.render(
      <LinkButtonPage
        heading={w.title}
        question={say(w.confirm, { blog: c.var.settings.blog.title, email: link.email ?? "" })}
        action="/signin/confirm"
        token={token}
        button={w.button}
        t={readerWords(c)}
      />,
      page(c),
    );
  })
  .get("/invite/accept", validate("query", tokenField), async (c) => {
    const { token } = c.req.valid("query");
    const invite = token ? await accounts(c.env, c.var.store.name).checkInvite(c.var.store.name, token, Date.now()) : { ok: false };
    if (!invite.ok) return badLink(c);
    const words = wordsFor(c);
    return c.render(
      <LinkButtonPage
        heading={words.signin.joinTitle}
        question={say(words.signin.join, {
          blog: c.var.settings.blog.title,
          role: invite.role ? words.roles[invite.role] : "",
          email: invite.email ?? "",
        })}
        action="/invite/accept"
        token={token}
        button={words.signin.accept}
        t={readerWords(c)}
      />,
      page(c, words.signin.joinTitle),
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
    await restoreChoices(c, used.email);
    return c.redirect("/admin", 303);
  });
