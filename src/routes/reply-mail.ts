import type { Context } from "hono";
import { log } from "../core/log";
import { commentThread } from "../data/comments";
import { accounts, subscribers } from "../data/objects";
import { readAdminMessages } from "../data/catalogs";
import { type Job, MAX_DELAY_SECONDS } from "../core/jobs";
import { adminLanguageOfBlog } from "../core/i18n";
import { getPublicPost } from "../data/posts";
import { mailerFor } from "../mail/mailer";
import { heldMail, replyConfirmMail, replyMail } from "../mail/messages";
import type { AppEnv } from "../settings";
import { afterAnswer } from "../http/after";

/** Longest comment quoted in a mail; the rest is on the page. */
const QUOTED = 1500;
const quoted = (body: string) => (body.length > QUOTED ? `${body.slice(0, QUOTED)}…` : body);

/**
 * After a comment is saved, once the reader has their answer (waitUntil): a commenter who ticked
 * "Email me when someone replies" is asked to confirm their address (once per blog); the
 * commenter a published reply answers is mailed, if they asked and did not stop it; a comment
 * that waits for moderation is mailed to the members who want each one, and starts the day's
 * digest for those who want that. A failure is logged; the comment stands.
 */
export async function afterComment(
  c: Context<AppEnv>,
  post: { slug: string; title: string },
  comment: { id: number; parentId: number | null; status: string },
  asked: { email: string | null; notify?: boolean; author: string; body: string },
): Promise<void> {
  const held = comment.status !== "published";
  if (!(asked.notify && asked.email) && comment.parentId === null && !held) return;
  const { settings } = c.var;
  const blog = c.var.store.name;
  const work = async () => {
    const mails = [];
    if (asked.notify && asked.email) {
      const token = await subscribers(c.env, blog).askReplies(asked.email);
      if (token) mails.push(replyConfirmMail(settings.blog, asked.email, token));
    }
    if (comment.parentId !== null && !held) {
      const reply = await replyMailFor(c, post, comment.id);
      if (reply) mails.push(reply);
    }
    if (held) {
      const notice = await accounts(c.env, blog).heldNotice(blog, post.slug, comment.id);
      if (notice.scheduleDigest) await c.env.JOBS.send({ kind: "held-digest", blog } satisfies Job, { delaySeconds: MAX_DELAY_SECONDS });
      if (notice.each.length) {
        const words = await readAdminMessages(c.env, adminLanguageOfBlog(settings.blog.language));
        const text = quoted(asked.body);
        for (const email of notice.each)
          mails.push(heldMail(settings.blog, words.mail, post, { id: comment.id, author: asked.author, text }, email));
      }
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
  return replyMail(c.var.settings.blog, post, { id, author: to.author, text: quoted(to.body) }, to.email, stop);
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
