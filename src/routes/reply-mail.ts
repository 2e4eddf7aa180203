import type { Context } from "hono";
import { log } from "../core/log";
import { commentThread } from "../data/comments";
import { subscribers } from "../data/objects";
import { getPublicPost } from "../data/posts";
import { mailerFor } from "../mail/mailer";
import { replyConfirmMail, replyMail } from "../mail/messages";
import type { AppEnv } from "../settings";
import { afterAnswer } from "../http/after";

/** Longest reply quoted in a mail; the rest is on the page. */
const QUOTED = 1500;

/**
 * After a comment is saved, once the reader has their answer (waitUntil): a commenter who ticked
 * "Email me when someone replies" is asked to confirm their address (once per blog), and the
 * commenter a published reply answers is mailed, if they asked and did not stop it. A failure is
 * logged; the comment stands.
 */
export async function afterComment(
  c: Context<AppEnv>,
  post: { slug: string; title: string },
  comment: { id: number; parentId: number | null; status: string },
  asked: { email: string | null; notify?: boolean },
): Promise<void> {
  if (!(asked.notify && asked.email) && comment.parentId === null) return;
  const { settings } = c.var;
  const blog = c.var.store.name;
  const work = async () => {
    const mails = [];
    if (asked.notify && asked.email) {
      const token = await subscribers(c.env, blog).askReplies(asked.email);
      if (token) mails.push(replyConfirmMail(settings.blog, asked.email, token));
    }
    if (comment.parentId !== null && comment.status === "published") {
      const reply = await replyMailFor(c, post, comment.id);
      if (reply) mails.push(reply);
    }
    if (mails.length) await mailerFor(c.env, blog, settings.mail).send(mails);
  };
  await afterAnswer(
    c,
    work().catch((error) => log("error", "a reply mail failed", { slug: post.slug, id: comment.id, error })),
  );
}

/** The mail telling a commenter of a published reply to their comment, or null (they did not ask, or stopped). */
async function replyMailFor<E extends AppEnv>(c: Context<E>, post: { slug: string; title: string }, id: number) {
  const blog = c.var.store.name;
  const to = await commentThread(c.env, blog, post.slug).replyRecipient(id);
  if (!to) return null;
  const stop = await subscribers(c.env, blog).replyConsent(to.email, post.slug);
  if (!stop) return null;
  const text = to.body.length > QUOTED ? `${to.body.slice(0, QUOTED)}…` : to.body;
  return replyMail(c.var.settings.blog, post, { id, author: to.author, text }, to.email, stop);
}

/** A held reply approved by a moderator: the commenter it answers is told now. */
export async function afterApproval<E extends AppEnv>(c: Context<E>, slug: string, id: number): Promise<void> {
  const work = async () => {
    const post = await getPublicPost(c.var.store, slug, new Date());
    const mail = post && (await replyMailFor(c, post, id));
    if (mail) await mailerFor(c.env, c.var.store.name, c.var.settings.mail).send([mail]);
  };
  await afterAnswer(
    c,
    work().catch((error) => log("error", "a reply mail failed", { slug, id, error })),
  );
}
