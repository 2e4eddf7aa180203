import { cacheAs } from "../http/freshness";
import type { Child } from "hono/jsx";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { MAX_EMAIL_LENGTH } from "../core/vocabulary";
import { subscribers } from "../data/objects";
import { AppError } from "../errors";
import { requireRole } from "../http/auth";
import { bodyLimit64k, formBody, jsonBody } from "../http/limits";
import { mailerFor } from "../mail/mailer";
import { confirmationMail } from "../mail/messages";
import { type AppEnv, wordsOf } from "../settings";
import { errorText } from "../core/i18n";
import { isEnglish } from "../core/i18n";
import { FollowPage } from "../views/pages/follow";
import { sayParts } from "../core/i18n/parts";
import { MessagePage } from "../views/pages/message";
import { describeIssues, formText, validate } from "./validation";
import { log } from "../core/log";

export const emailSchema = z.object({
  email: z.pipe(
    z.pipe(
      z
        .string({ error: "email is required" })
        .check(
          z.trim(),
          z.minLength(1, "email is required"),
          z.maxLength(MAX_EMAIL_LENGTH, `email must be at most ${MAX_EMAIL_LENGTH} characters`),
        ),
      z.email("email must be a valid address such as name@example.com"),
    ),
    z.transform((s: string) => s.toLowerCase()),
  ),
});

const tokenQuery = z.object({ token: z.optional(z.string().check(z.maxLength(400))) });

/**
 * Records the request; a confirmation mail that is due is sent after the answer (waitUntil), so a
 * new address and an already confirmed one answer alike and in the same time (no enumeration).
 */
async function requestSubscription(c: Context<AppEnv>, email: string): Promise<void> {
  const store = subscribers(c.env, c.var.store.name);
  const result = await store.subscribe(email, c.req.header("CF-Connecting-IP") ?? null);
  if (result.action !== "confirm") return;
  const { settings } = c.var;
  const send = async () => {
    try {
      await mailerFor(c.env, settings.blog.name, settings.mail).send([confirmationMail(settings.blog, email, result.confirmToken)]);
    } catch (err) {
      log("error", "confirmation mail failed; the address can ask again at once", { code: "mail_unavailable", error: err });
      await store.confirmMailFailed(email);
    }
  };
  c.executionCtx.waitUntil(send());
}

/** The page for a confirmation or unsubscribe link that is not valid. */
function badLink(c: Context<AppEnv>, text: string, extra?: Child) {
  const t = wordsOf(c);
  c.status(400);
  return c.render(
    <MessagePage heading={t.subscription.badLink} t={t}>
      <p>{text}</p>
      {extra}
    </MessagePage>,
    { title: t.subscription.badLink },
  );
}

const badConfirmation = (c: Context<AppEnv>) =>
  badLink(
    c,
    wordsOf(c).subscription.badConfirm,
    <p>
      <a href="/follow">{wordsOf(c).nav.subscribe}</a>
    </p>,
  );

const badUnsubscribe = (c: Context<AppEnv>) => badLink(c, wordsOf(c).subscription.badUnsubscribe);

export const subscribeApi = new Hono<AppEnv>()
  .post("/subscribe", ...jsonBody, validate("json", emailSchema, { code: "invalid_email", whole: "The request" }), async (c) => {
    await requestSubscription(c, c.req.valid("json").email);
    return c.json({ status: "pending", message: wordsOf(c).subscription.checkInboxText }, 202);
  })
  .get("/admin/outbox", requireRole("owner"), async (c) => {
    cacheAs(c, "never");
    return c.json({ messages: await subscribers(c.env, c.var.store.name).outbox() });
  });

export const subscribePages = new Hono<AppEnv>()
  .get("/follow", (c) => c.render(<FollowPage blog={c.var.settings.blog} />, { title: wordsOf(c).nav.follow, path: "/follow" }))
  .post("/subscribe", ...formBody, validate("form", z.object({ email: formText() })), async (c) => {
    const raw = c.req.valid("form").email;
    const parsed = z.safeParse(emailSchema, { email: raw });
    const { blog } = c.var.settings;
    const t = wordsOf(c);
    if (!parsed.success) {
      c.status(400);
      // English names the rule the address broke; another language says what a valid one looks like.
      const error = isEnglish(t) ? describeIssues(parsed.error.issues, { email: "Your email address" }) : t.errors.invalid_email;
      return c.render(<FollowPage blog={blog} email={raw} error={error} />, { title: t.nav.follow });
    }
    try {
      await requestSubscription(c, parsed.data.email);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      c.status(err.status);
      if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
      return c.render(<FollowPage blog={blog} email={raw} error={errorText(t, err.code, err.message)} />, { title: t.nav.follow });
    }
    cacheAs(c, "never");
    return c.render(
      <MessagePage heading={t.subscription.checkInbox} t={t}>
        <p>
          {sayParts(t.subscription.askedAt, { email: <strong>{parsed.data.email}</strong> })} {t.subscription.checkInboxText}
        </p>
      </MessagePage>,
      { title: t.subscription.checkInbox },
    );
  })
  // Mail scanners follow links: the link's page only shows a button, and the button's POST confirms.
  .get("/subscribe/confirm", validate("query", tokenQuery), async (c) => {
    const { token } = c.req.valid("query");
    const target = token ? await subscribers(c.env, c.var.store.name).confirmTarget(token) : { ok: false };
    cacheAs(c, "never");
    if (!target.ok || !token) return badConfirmation(c);
    const t = wordsOf(c);
    return c.render(
      <MessagePage heading={t.subscription.confirmTitle} t={t}>
        <form method="post" action="/subscribe/confirm">
          <input type="hidden" name="token" value={token} />
          <p>{sayParts(t.subscription.confirmQuestion, { email: <strong>{target.email}</strong> })}</p>
          <button type="submit">{t.subscription.confirmButton}</button>
        </form>
      </MessagePage>,
      { title: t.subscription.confirmTitle, noindex: true },
    );
  })
  .post("/subscribe/confirm", ...formBody, validate("form", tokenQuery), async (c) => {
    const { token } = c.req.valid("form");
    const result = token ? await subscribers(c.env, c.var.store.name).confirm(token) : { ok: false };
    cacheAs(c, "never");
    if (!result.ok) return badConfirmation(c);
    const t = wordsOf(c);
    return c.render(
      <MessagePage heading={t.subscription.subscribedTitle} t={t}>
        <p>{t.subscription.subscribedText}</p>
      </MessagePage>,
      { title: t.subscription.subscribedTitle, noindex: true },
    );
  })
  .get("/unsubscribe", validate("query", tokenQuery), async (c) => {
    const { token } = c.req.valid("query");
    const target: { ok: boolean; email?: string } = token
      ? await subscribers(c.env, c.var.store.name).unsubscribeTarget(token)
      : { ok: false };
    cacheAs(c, "never");
    if (!target.ok || !token) return badUnsubscribe(c);
    const t = wordsOf(c);
    return c.render(
      <MessagePage heading={t.subscription.unsubscribeTitle} t={t}>
        <form method="post" action={`/unsubscribe?token=${encodeURIComponent(token)}`}>
          <p>{sayParts(t.subscription.unsubscribeQuestion, { email: <strong>{target.email}</strong> })}</p>
          <button type="submit">{t.subscription.unsubscribeButton}</button>
        </form>
      </MessagePage>,
      { title: t.subscription.unsubscribeTitle },
    );
  })
  .post("/unsubscribe", bodyLimit64k, validate("query", tokenQuery), async (c) => {
    // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL.
    const { token } = c.req.valid("query");
    const result = token ? await subscribers(c.env, c.var.store.name).unsubscribe(token) : { ok: false };
    cacheAs(c, "never");
    if (!result.ok) return badUnsubscribe(c);
    const t = wordsOf(c);
    return c.render(
      <MessagePage heading={t.subscription.unsubscribedTitle} t={t}>
        <p>{t.subscription.unsubscribedText}</p>
      </MessagePage>,
      { title: t.subscription.unsubscribedTitle },
    );
  });
