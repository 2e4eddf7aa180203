import { zValidator } from "@hono/zod-validator";
import type { Child } from "hono/jsx";
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { requireAdmin } from "../auth";
import { configOf, type AppEnv } from "../config";
import { subscribers } from "../data/subscribers";
import { AppError, guarded } from "../errors";
import { confirmationMail } from "../mail/messages";
import { mailerFor } from "../mail/mailer";
import { FollowPage } from "../views/pages/follow";
import { MessagePage } from "../views/pages/message";
import { firstIssue } from "./comment-input";
import { bodyLimit64k, requireType } from "./limits";

export const emailSchema = z.object({
  email: z.pipe(
    z.pipe(
      z.string({ error: "email is required" }).check(z.trim(), z.minLength(1, "email is required"), z.maxLength(254, "email must be at most 254 characters")),
      z.email("email must be a valid address such as name@example.com"),
    ),
    z.transform((s: string) => s.toLowerCase()),
  ),
});

const tokenQuery = z.object({ token: z.optional(z.string().check(z.maxLength(400))) });

type Outcome = { ok: true } | { ok: false; status: 429 | 503; code: string; message: string; retryAfter: number };

/** Records the request and sends the confirmation mail when one is due. */
async function requestSubscription(c: Context<AppEnv>, email: string): Promise<Outcome> {
  const store = subscribers(c.env);
  const result = await guarded("subscriptions", store.subscribe(email, c.req.header("CF-Connecting-IP") ?? null));
  if (!result.ok) return result;
  if (result.action === "confirm") {
    try {
      await mailerFor(c.env).send([confirmationMail(configOf(c), email, result.confirmToken)]);
    } catch (err) {
      console.error("confirmation mail failed:", err);
      await store.confirmMailFailed(email);
      return { ok: false, status: 503, code: "mail_unavailable", message: "The confirmation mail could not be sent. Please try again in a minute.", retryAfter: 60 };
    }
  }
  return { ok: true };
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

const UNSUBSCRIBE_INVALID = "The unsubscribe link is not valid. Use the link at the bottom of one of our emails.";
const CHECK_INBOX = "If this address is not subscribed yet, a confirmation link is on its way: open it to start receiving new articles.";

export const subscribeApi = new Hono<AppEnv>()
  .post(
    "/subscribe",
    bodyLimit64k,
    requireType("application/json"),
    zValidator("json", emailSchema, (r) => {
      if (!r.success) throw new AppError(400, "invalid_email", firstIssue(r.error));
    }),
    async (c) => {
      const outcome = await requestSubscription(c, c.req.valid("json").email);
      if (!outcome.ok) {
        c.header("Retry-After", String(outcome.retryAfter));
        throw new AppError(outcome.status, outcome.code, outcome.message);
      }
      return c.json({ status: "pending", message: CHECK_INBOX }, 202);
    },
  )
  .get("/admin/outbox", requireAdmin, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ messages: await guarded("the outbox", subscribers(c.env).outbox()) });
  });

export const subscribePages = new Hono<AppEnv>()
  .get("/follow", (c) => c.render(<FollowPage blog={configOf(c)} />, { title: "Follow this blog", path: "/follow" }))
  .post(
    "/subscribe",
    bodyLimit64k,
    requireType("application/x-www-form-urlencoded", "multipart/form-data"),
    zValidator("form", z.object({ email: z._default(z.string(), "") })),
    async (c) => {
      const raw = c.req.valid("form").email;
      const parsed = z.safeParse(emailSchema, { email: raw });
      const blog = configOf(c);
      if (!parsed.success) {
        c.status(400);
        return c.render(<FollowPage blog={blog} email={raw} error={firstIssue(parsed.error)} />, { title: "Follow this blog" });
      }
      const outcome = await requestSubscription(c, parsed.data.email);
      if (!outcome.ok) {
        c.status(outcome.status);
        c.header("Retry-After", String(outcome.retryAfter));
        return c.render(<FollowPage blog={blog} email={raw} error={outcome.message} />, { title: "Follow this blog" });
      }
      c.header("Cache-Control", "no-store");
      return c.render(
        <MessagePage heading="Check your inbox">
          <p>
            We sent a confirmation link to <strong>{parsed.data.email}</strong>. {CHECK_INBOX}
          </p>
        </MessagePage>,
        { title: "Check your inbox" },
      );
    },
  )
  .get("/subscribe/confirm", zValidator("query", tokenQuery), async (c) => {
    const { token } = c.req.valid("query");
    const result = token ? await guarded("subscriptions", subscribers(c.env).confirm(token)) : { ok: false };
    c.header("Cache-Control", "no-store");
    if (!result.ok) {
      return badLink(
        c,
        "The confirmation link is not valid or has expired (links last 7 days). Subscribe again to get a new one.",
        <p>
          <a href="/follow">Subscribe</a>
        </p>,
      );
    }
    return c.render(
      <MessagePage heading="You are subscribed">
        <p>Thank you. Each new article will arrive by email; every mail has a one-click unsubscribe link.</p>
      </MessagePage>,
      { title: "Subscribed" },
    );
  })
  .get("/unsubscribe", zValidator("query", tokenQuery), async (c) => {
    const { token } = c.req.valid("query");
    const target: { ok: boolean; email?: string } = token ? await guarded("subscriptions", subscribers(c.env).unsubscribeTarget(token)) : { ok: false };
    c.header("Cache-Control", "no-store");
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
  .post("/unsubscribe", bodyLimit64k, zValidator("query", tokenQuery), async (c) => {
    // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL.
    const { token } = c.req.valid("query");
    const result = token ? await guarded("subscriptions", subscribers(c.env).unsubscribe(token)) : { ok: false };
    c.header("Cache-Control", "no-store");
    if (!result.ok) return badLink(c, UNSUBSCRIBE_INVALID);
    return c.render(
      <MessagePage heading="You are unsubscribed">
        <p>No more emails will be sent to this address. You can subscribe again at any time.</p>
      </MessagePage>,
      { title: "Unsubscribed" },
    );
  });
