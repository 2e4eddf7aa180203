import type { Child } from "hono/jsx";
import type { BlogConfig } from "../settings";
import type { PostSummaryRecord } from "../core/types";
import type { Delivery } from "../durable/subscribers";
import type { Mail } from "./mailer";
import { messagesFor, say } from "../core/i18n";
import { sayParts } from "../core/i18n/parts";

/** `lang`: the language the mail is written in (the members' mails are English for now). */
function wrap(body: Child, blog: BlogConfig, lang = "en"): string {
  return `<!DOCTYPE html>${String(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <title>{blog.title}</title>
      </head>
      <body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36rem; margin: 0 auto; padding: 1rem;">{body}</body>
    </html>,
  )}`;
}

/** Text bound for a mail header: line breaks (and other controls) would start a header of their own. */
export function headerText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

export function confirmationMail(blog: BlogConfig, email: string, token: string): Mail {
  const link = `${blog.baseUrl}/subscribe/confirm?token=${encodeURIComponent(token)}`;
  const t = messagesFor(blog.language).mail;
  return {
    to: email,
    subject: headerText(say(t.confirmSubject, { blog: blog.title })),
    text: [
      t.hello,
      ``,
      say(t.confirmAsked, { blog: blog.title }),
      t.confirmOpen,
      ``,
      link,
      ``,
      t.confirmIgnore,
      ``,
      `${blog.title} — ${blog.baseUrl}/`,
    ].join("\n"),
    html: wrap(
      <>
        <p>{t.hello}</p>
        <p>{sayParts(t.confirmAsked, { blog: <strong>{blog.title}</strong> })}</p>
        <p>
          <a href={link}>{t.confirmLink}</a> {t.validFor7Days}
        </p>
        <p>{t.confirmIgnore}</p>
      </>,
      blog,
      blog.language,
    ),
    headers: {},
    idempotencyKey: `confirm:${email}:${token.slice(-16)}`,
  };
}

export function announcementMail(blog: BlogConfig, post: PostSummaryRecord, delivery: Delivery): Mail {
  const link = `${blog.baseUrl}/posts/${post.slug}`;
  const unsubscribe = `${blog.baseUrl}/unsubscribe?token=${encodeURIComponent(delivery.unsubscribeToken)}`;
  const t = messagesFor(blog.language).mail;
  return {
    to: delivery.email,
    subject: headerText(`${post.title} — ${blog.title}`),
    text: [
      post.title,
      "",
      post.summary,
      "",
      say(t.readIt, { link }),
      "",
      "—",
      say(t.why, { blog: blog.title }),
      say(t.unsubscribeIn1Click, { link: unsubscribe }),
    ].join("\n"),
    html: wrap(
      <>
        <h1 style="font-size: 1.4rem;">
          <a href={link}>{post.title}</a>
        </h1>
        <p>{post.summary}</p>
        <p>
          <a href={link}>{t.readArticle}</a>
        </p>
        <hr />
        <p style="font-size: 0.85rem; color: #666;">
          {say(t.why, { blog: blog.title })} <a href={unsubscribe}>{t.unsubscribe}</a>
        </p>
      </>,
      blog,
      blog.language,
    ),
    headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    idempotencyKey: `post:${post.slug}:${delivery.subscriberId}`,
  };
}

/** The one-time sign-in link of a member of a blog (15 minutes, once, on that blog). */
export function signInMail(blog: BlogConfig, email: string, token: string): Mail {
  const link = `${blog.baseUrl}/signin/confirm?token=${encodeURIComponent(token)}`;
  return {
    to: email,
    subject: headerText(`Sign in to ${blog.title}`),
    text: [
      `Hello,`,
      ``,
      `Someone, hopefully you, asked to sign in to ${blog.title} with this address.`,
      `Open this link within 15 minutes and press the button; it works once:`,
      ``,
      link,
      ``,
      `If it was not you, ignore this mail: nobody can sign in without it.`,
    ].join("\n"),
    html: wrap(
      <>
        <p>Hello,</p>
        <p>
          Someone, hopefully you, asked to sign in to <strong>{blog.title}</strong> with this address.
        </p>
        <p>
          <a href={link}>Sign in</a> (within 15 minutes; the link works once)
        </p>
        <p>If it was not you, ignore this mail: nobody can sign in without it.</p>
      </>,
      blog,
    ),
    headers: {},
    idempotencyKey: `signin:${email}:${token.slice(-16)}`,
  };
}

/** The link that creates a new blog (and the account, if needed) for whoever asked at /create. */
export function createBlogMail(platform: BlogConfig, email: string, name: string, token: string): Mail {
  const link = `${platform.baseUrl}/create/confirm?token=${encodeURIComponent(token)}`;
  return {
    to: email,
    subject: headerText(`Create your blog "${name}"`),
    text: [
      `Hello,`,
      ``,
      `Someone, hopefully you, asked to create the blog "${name}" with this address on ${platform.title}.`,
      `Open this link within 15 minutes and press the button to create it; the link works once:`,
      ``,
      link,
      ``,
      `If it was not you, ignore this mail: nothing is created without it.`,
    ].join("\n"),
    html: wrap(
      <>
        <p>Hello,</p>
        <p>
          Someone, hopefully you, asked to create the blog <strong>{name}</strong> with this address.
        </p>
        <p>
          <a href={link}>Create my blog</a> (within 15 minutes; the link works once)
        </p>
        <p>If it was not you, ignore this mail: nothing is created without it.</p>
      </>,
      platform,
    ),
    headers: {},
    idempotencyKey: `create:${email}:${token.slice(-16)}`,
  };
}

/** An invitation to join a blog with a role (7 days; accepted with a button on the blog). */
export function inviteMail(blog: BlogConfig, email: string, role: string, token: string): Mail {
  const link = `${blog.baseUrl}/invite/accept?token=${encodeURIComponent(token)}`;
  return {
    to: email,
    subject: headerText(`You are invited to ${blog.title}`),
    text: [
      `Hello,`,
      ``,
      `You are invited to join ${blog.title} as ${role}. To accept, open this link (valid for 7 days) and press the button:`,
      ``,
      link,
      ``,
      `If you do not want to join, ignore this mail.`,
    ].join("\n"),
    html: wrap(
      <>
        <p>Hello,</p>
        <p>
          You are invited to join <strong>{blog.title}</strong> as {role}.
        </p>
        <p>
          <a href={link}>Accept the invitation</a> (valid for 7 days)
        </p>
        <p>If you do not want to join, ignore this mail.</p>
      </>,
      blog,
    ),
    headers: {},
    idempotencyKey: `invite:${email}:${token.slice(-16)}`,
  };
}
