import { cacheAs } from "../http/freshness";
import type { Child } from "hono/jsx";
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { MAX_EMAIL_LENGTH } from "../core/vocabulary";
import { subscribers } from "../data/objects";
import { AppError } from "../errors";
import { requireRole } from "../http/auth";
import { bodyLimit64k, formBody, jsonBody } from "../http/limits";
import { mailerFor } from "../mail/mailer";
import { confirmationMail } from "../mail/messages";
import type { AppEnv } from "../settings";
import { FollowPage } from "../views/pages/follow";
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

/** The subscribe form's label, so its errors name the field as the reader sees it. */
const EMAIL_LABELS = { email: "Your email address" };

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
  c.status(400);
  return c.render(
    <MessagePage heading="This link does not work">
      <p>{text}</p>
      {extra}
    </MessagePage>,
    { title: "This link does not work" },
  );
}

const badConfirmation = (c: Context<AppEnv>) =>
  badLink(
    c,
    "The confirmation link is not valid: it has expired (links last 7 days), was already used, or a newer one was sent. " +
      "Subscribe again to get a new one.",
    <p>
      <a href="/follow">Subscribe</a>
    </p>,
  );

const UNSUBSCRIBE_INVALID = "The unsubscribe link is not valid. Use the link at the bottom of one of our emails.";
const CHECK_INBOX =
  "If this address is not subscribed yet, a confirmation link is on its way to it: open it to start receiving new articles. If it is already subscribed, nothing changes.";

export const subscribeApi = new Hono<AppEnv>()
  .post("/subscribe", ...jsonBody, validate("json", emailSchema, { code: "invalid_email", whole: "The request" }), async (c) => {
    await requestSubscription(c, c.req.valid("json").email);
    return c.json({ status: "pending", message: CHECK_INBOX }, 202);
  })
  .get("/admin/outbox", requireRole("owner"), async (c) => {
    cacheAs(c, "never");
    return c.json({ messages: await subscribers(c.env, c.var.store.name).outbox() });
  });

export const subscribePages = new Hono<AppEnv>()
  .get("/follow", (c) => c.render(<FollowPage blog={c.var.settings.blog} />, { title: "Follow this blog", path: "/follow" }))
  .post("/subscribe", ...formBody, validate("form", z.object({ email: formText() })), async (c) => {
    const raw = c.req.valid("form").email;
    const parsed = z.safeParse(emailSchema, { email: raw });
    const { blog } = c.var.settings;
    if (!parsed.success) {
      c.status(400);
      return c.render(<FollowPage blog={blog} email={raw} error={describeIssues(parsed.error.issues, EMAIL_LABELS)} />, {
        title: "Follow this blog",
      });
    }
    try {
      await requestSubscription(c, parsed.data.email);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      c.status(err.status);
      if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
      return c.render(<FollowPage blog={blog} email={raw} error={err.message} />, { title: "Follow this blog" });
    }
    cacheAs(c, "never");
    return c.render(
      <MessagePage heading="Check your inbox">
        <p>
          You asked to follow this blog at <strong>{parsed.data.email}</strong>. {CHECK_INBOX}
        </p>
      </MessagePage>,
      { title: "Check your inbox" },
    );
  })
  // Mail scanners follow links: the link's page only shows a button, and the button's POST confirms.
  .get("/subscribe/confirm", validate("query", tokenQuery), async (c) => {
    const { token } = c.req.valid("query");
    const target = token ? await subscribers(c.env, c.var.store.name).confirmTarget(token) : { ok: false };
    cacheAs(c, "never");
    if (!target.ok || !token) return badConfirmation(c);
    return c.render(
      <MessagePage heading="Confirm your subscription">
        <form method="post" action="/subscribe/confirm">
          <input type="hidden" name="token" value={token} />
          <p>
            Send each new article to <strong>{target.email}</strong>?
          </p>
          <button type="submit">Confirm my subscription</button>
        </form>
      </MessagePage>,
      { title: "Confirm your subscription", noindex: true },
    );
  })
  .post("/subscribe/confirm", ...formBody, validate("form", tokenQuery), async (c) => {
    const { token } = c.req.valid("form");
    const result = token ? await subscribers(c.env, c.var.store.name).confirm(token) : { ok: false };
    cacheAs(c, "never");
    if (!result.ok) return badConfirmation(c);
    return c.render(
      <MessagePage heading="You are subscribed">
        <p>Thank you. Each new article will arrive by email; every mail has a one-click unsubscribe link.</p>
      </MessagePage>,
      { title: "Subscribed", noindex: true },
    );
  })
  .get("/unsubscribe", validate("query", tokenQuery), async (c) => {
    const { token } = c.req.valid("query");
    const target: { ok: boolean; email?: string } = token
      ? await subscribers(c.env, c.var.store.name).unsubscribeTarget(token)
      : { ok: false };
    cacheAs(c, "never");
    if (!target.ok || !token) return badLink(c, UNSUBSCRIBE_INVALID);
    return c.render(
      <MessagePage heading="Unsubscribe">
        <form method="post" action={`/unsubscribe?token=${encodeURIComponent(token)}`}>
          <p>
            Stop sending new articles to <strong>{target.email}</strong>?
          </p>
          <button type="submit">Unsubscribe</button>
        </form>
      </MessagePage>,
      { title: "Unsubscribe" },
    );
  })
  .post("/unsubscribe", bodyLimit64k, validate("query", tokenQuery), async (c) => {
    // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL.
    const { token } = c.req.valid("query");
    const result = token ? await subscribers(c.env, c.var.store.name).unsubscribe(token) : { ok: false };
    cacheAs(c, "never");
    if (!result.ok) return badLink(c, UNSUBSCRIBE_INVALID);
    return c.render(
      <MessagePage heading="You are unsubscribed">
        <p>No more emails will be sent to this address. You can subscribe again at any time.</p>
      </MessagePage>,
      { title: "Unsubscribed" },
    );
  });
