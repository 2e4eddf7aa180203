import { Hono } from "hono/tiny";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import * as z from "zod/mini";
import { sayParts } from "../core/i18n/parts";
import { subscribers } from "../data/objects";
import { cacheAs } from "../http/freshness";
import { bodyLimit64k, formBody } from "../http/limits";
import { type AppEnv, wordsOf } from "../settings";
import { MessagePage } from "../views/pages/message";
import { postSlug, validate } from "./validation";

const confirmQuery = z.object({ token: z.optional(z.string().check(z.maxLength(400))) });
const stopQuery = z.object({ token: z.optional(z.string().check(z.maxLength(400))), post: z.optional(postSlug) });

/** A page of the reply mails' consent: a heading and what to say (or a button to press). */
function page(c: Context<AppEnv>, body: Child, status: 200 | 400 = 200) {
  const t = wordsOf(c).replies;
  cacheAs(c, "never");
  c.status(status);
  return c.render(
    <MessagePage heading={t.confirmTitle} t={wordsOf(c)}>
      {body}
    </MessagePage>,
    { title: t.confirmTitle, noindex: true },
  );
}

const invalid = (c: Context<AppEnv>) => page(c, <p>{wordsOf(c).replies.invalid}</p>, 400);

/**
 * Reply mails' links: confirming one's address (a button, since mail scanners follow links) and
 * stopping them for one conversation or the whole blog (a button, and RFC 8058's one-click POST).
 */
export const replyPages = new Hono<AppEnv>()
  .get("/replies/confirm", validate("query", confirmQuery), async (c) => {
    const { token } = c.req.valid("query");
    const email = token ? await subscribers(c.env, c.var.store.name).confirmReplies(token, false) : null;
    if (!email || !token) return invalid(c);
    const t = wordsOf(c).replies;
    return page(
      c,
      <form method="post" action="/replies/confirm">
        <input type="hidden" name="token" value={token} />
        <p>{sayParts(t.confirmText, { email: <strong>{email}</strong> })}</p>
        <button type="submit">{t.confirmButton}</button>
      </form>,
    );
  })
  .post("/replies/confirm", ...formBody, validate("form", confirmQuery), async (c) => {
    const { token } = c.req.valid("form");
    const email = token ? await subscribers(c.env, c.var.store.name).confirmReplies(token, true) : null;
    return email ? page(c, <p>{wordsOf(c).replies.confirmed}</p>) : invalid(c);
  })
  .get("/replies/stop", validate("query", stopQuery), async (c) => {
    const { token, post } = c.req.valid("query");
    const email = token ? await subscribers(c.env, c.var.store.name).stopReplies(token, post ?? null, false) : null;
    if (!email || !token) return invalid(c);
    const t = wordsOf(c).replies;
    const action = `/replies/stop?token=${encodeURIComponent(token)}${post ? `&post=${post}` : ""}`;
    return page(
      c,
      <form method="post" action={action}>
        <p>{sayParts(post ? t.stopThreadText : t.stopAllText, { email: <strong>{email}</strong> })}</p>
        <button type="submit">{t.stopButton}</button>
      </form>,
    );
  })
  .post("/replies/stop", bodyLimit64k, validate("query", stopQuery), async (c) => {
    const { token, post } = c.req.valid("query");
    const email = token ? await subscribers(c.env, c.var.store.name).stopReplies(token, post ?? null, true) : null;
    const t = wordsOf(c).replies;
    return email ? page(c, <p>{post ? t.stoppedThread : t.stoppedAll}</p>) : invalid(c);
  });
