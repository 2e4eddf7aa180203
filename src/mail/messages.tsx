import type { Child } from "hono/jsx";
import type { BlogConfig } from "../settings";
import type { Mail } from "./mailer";
import { type AdminMessages, counted, messagesFor, say } from "../core/i18n";
import { sayParts } from "../core/i18n/parts";

/** `lang`: the language the mail is written in. */
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

/** A mail that asks an address to confirm (a subscription, reply mails): its link, valid for 7 days. */
function confirmMail(
  blog: BlogConfig,
  email: string,
  token: string,
  kind: { path: string; subject: string; asked: string; button: string; key: string },
): Mail {
  const link = `${blog.baseUrl}${kind.path}?token=${encodeURIComponent(token)}`;
  const t = messagesFor(blog.language).mail;
  return {
    to: email,
    subject: headerText(say(kind.subject, { blog: blog.title })),
    text: [
      t.hello,
      "",
      say(kind.asked, { blog: blog.title }),
      t.confirmOpen,
      "",
      link,
      "",
      t.confirmIgnore,
      "",
      `${blog.title} — ${blog.baseUrl}/`,
    ].join("\n"),
    html: wrap(
      <>
        <p>{t.hello}</p>
        <p>{sayParts(kind.asked, { blog: <strong>{blog.title}</strong> })}</p>
        <p>
          <a href={link}>{kind.button}</a> {t.validFor7Days}
        </p>
        <p>{t.confirmIgnore}</p>
      </>,
      blog,
      blog.language,
    ),
    headers: {},
    idempotencyKey: `${kind.key}:${email}:${token.slice(-16)}`,
  };
}

export function confirmationMail(blog: BlogConfig, email: string, token: string): Mail {
  const t = messagesFor(blog.language).mail;
  return confirmMail(blog, email, token, {
    path: "/subscribe/confirm",
    subject: t.confirmSubject,
    asked: t.confirmAsked,
    button: t.confirmLink,
    key: "confirm",
  });
}

/** Asks a commenter to confirm, once per blog, that they want reply mails. */
export function replyConfirmMail(blog: BlogConfig, email: string, token: string): Mail {
  const t = messagesFor(blog.language).mail;
  return confirmMail(blog, email, token, {
    path: "/replies/confirm",
    subject: t.replyConfirmSubject,
    asked: t.replyConfirmAsked,
    button: t.replyConfirmLink,
    key: "replies",
  });
}

export function signInMail(blog: BlogConfig, email: string, token: string, w: AdminMessages["mail"], lang = "en"): Mail {
  const link = `${blog.baseUrl}/signin/confirm?token=${encodeURIComponent(token)}`;
  return {
    to: email,
    subject: headerText(say(w.signInSubject, { blog: blog.title })),
    text: [w.hello, "", say(w.signInAsked, { blog: blog.title }), w.signInOpen, "", link, "", w.signInIgnore].join("\n"),
    html: wrap(
      <>
        <p>{w.hello}</p>
        <p>{sayParts(w.signInAsked, { blog: <strong>{blog.title}</strong> })}</p>
        <p>
          <a href={link}>{w.signInLink}</a> {w.once15}
        </p>
        <p>{w.signInIgnore}</p>
      </>,
      blog,
      lang,
    ),
    headers: {},
    idempotencyKey: `signin:${email}:${token.slice(-16)}`,
  };
}

/** The link that creates a new blog (and the account, if needed) for whoever asked at /create. */
export function createBlogMail(
  platform: BlogConfig,
  email: string,
  name: string,
  token: string,
  w: AdminMessages["mail"],
  lang = "en",
): Mail {
  const link = `${platform.baseUrl}/create/confirm?token=${encodeURIComponent(token)}`;
  return {
    to: email,
    subject: headerText(say(w.createSubject, { name })),
    text: [
      w.hello,
      "",
      say(w.createAsked, { name: `“${name}”`, platform: platform.title }),
      w.createOpen,
      "",
      link,
      "",
      w.createIgnore,
    ].join("\n"),
    html: wrap(
      <>
        <p>{w.hello}</p>
        <p>{sayParts(w.createAsked, { name: <strong>{name}</strong>, platform: platform.title })}</p>
        <p>
          <a href={link}>{w.createLink}</a> {w.once15}
        </p>
        <p>{w.createIgnore}</p>
      </>,
      platform,
      lang,
    ),
    headers: {},
    idempotencyKey: `create:${email}:${token.slice(-16)}`,
  };
}

/** An invitation to join a blog with a role (7 days; accepted with a button on the blog), in the blog's language. */
export function inviteMail(blog: BlogConfig, email: string, role: string, token: string, words: AdminMessages, lang = "en"): Mail {
  const link = `${blog.baseUrl}/invite/accept?token=${encodeURIComponent(token)}`;
  const w = words.mail;
  const roleName = (words.roles as Record<string, string>)[role] ?? role;
  return {
    to: email,
    subject: headerText(say(w.inviteSubject, { blog: blog.title })),
    text: [w.hello, "", say(w.invited, { blog: blog.title, role: roleName }), w.inviteOpen, "", link, "", w.inviteIgnore].join("\n"),
    html: wrap(
      <>
        <p>{w.hello}</p>
        <p>{sayParts(w.invited, { blog: <strong>{blog.title}</strong>, role: roleName })}</p>
        <p>
          <a href={link}>{w.inviteLink}</a> {w.validFor7Days}
        </p>
        <p>{w.inviteIgnore}</p>
      </>,
      blog,
      lang,
    ),
    headers: {},
    idempotencyKey: `invite:${email}:${token.slice(-16)}`,
  };
}

/**
 * The HTML part of a mail about comments, from its text part: a paragraph per block, each line
 * kept, addresses made links. Readers' words stay text (escaped by the JSX).
 */
function textHtml(blog: BlogConfig, text: string): string {
  const linked = (line: string) => line.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 ? <a href={part}>{part}</a> : part));
  return wrap(
    text.split("\n\n").map((block) => (
      <p>
        {block.split("\n").map((line, i) => (
          <>
            {i ? <br /> : null}
            {linked(line)}
          </>
        ))}
      </p>
    )),
    blog,
    blog.language,
  );
}

/** A mail about comments: its text part, and the same as HTML. */
function commentMail(
  blog: BlogConfig,
  to: string,
  subject: string,
  lines: string[],
  key: string,
  headers: Record<string, string> = {},
): Mail {
  const text = lines.join("\n");
  return { to, subject: headerText(subject), text, html: textHtml(blog, text), headers, idempotencyKey: key };
}

/** A reply to a commenter's comment, with a stop for the conversation and one for the blog. */
export function replyMail(
  blog: BlogConfig,
  post: { slug: string; title: string },
  reply: { id: number; author: string; text: string },
  email: string,
  stopToken: string,
): Mail {
  const t = messagesFor(blog.language).mail;
  const stop = `${blog.baseUrl}/replies/stop?token=${encodeURIComponent(stopToken)}`;
  const stopThread = `${stop}&post=${encodeURIComponent(post.slug)}`;
  return commentMail(
    blog,
    email,
    say(t.replySubject, { author: reply.author, post: post.title }),
    [
      say(t.replyIntro, { author: reply.author, post: post.title }),
      "",
      reply.text,
      "",
      `${t.replyRead}: ${blog.baseUrl}/posts/${post.slug}#comment-${reply.id}`,
      "",
      "—",
      say(t.replyWhy, { blog: blog.title }),
      `${t.stopThread}: ${stopThread}`,
      `${say(t.stopAll, { blog: blog.title })}: ${stop}`,
    ],
    `reply:${post.slug}:${reply.id}:${email}`,
    { "List-Unsubscribe": `<${stop}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  );
}

/** The end of a member's mail about comments: why it came, where to choose. */
const memberWhy = (blog: BlogConfig, w: AdminMessages["mail"]) => [
  "",
  `${w.heldOpen}: ${blog.baseUrl}/admin#moderation`,
  "",
  "—",
  say(w.heldWhy, { blog: blog.title, link: `${blog.baseUrl}/admin/me` }),
];

/** A comment waiting for moderation, to a member who asked for each one (in the blog's language). */
export function heldMail(
  blog: BlogConfig,
  w: AdminMessages["mail"],
  post: { slug: string; title: string },
  comment: { id: number; author: string; text: string },
  email: string,
): Mail {
  return commentMail(
    blog,
    email,
    say(w.heldSubject, { post: post.title }),
    [say(w.heldIntro, { author: comment.author, post: post.title }), "", comment.text, ...memberWhy(blog, w)],
    `held:${post.slug}:${comment.id}:${email}`,
  );
}

/** The day's digest of comments waiting for moderation, by post. */
export function digestMail(
  blog: BlogConfig,
  words: AdminMessages,
  posts: { title: string; count: number }[],
  email: string,
  day: string,
): Mail {
  const w = words.mail;
  const total = posts.reduce((n, p) => n + p.count, 0);
  return commentMail(
    blog,
    email,
    counted(words, w.digestSubject, total, { blog: blog.title }),
    [say(w.digestIntro, { blog: blog.title }), "", ...posts.map((p) => `“${p.title}”: ${p.count}`), ...memberWhy(blog, w)],
    `digest:${day}:${email}`,
  );
}

/** To the owner who asked for an export: it is ready, where to download it (signed, expiring), and the page of exports. */
export function exportReadyMail(
  blog: BlogConfig,
  words: AdminMessages,
  done: { id: string; size: string; until: string; link: string },
  email: string,
): Mail {
  const w = words.exports;
  return commentMail(
    blog,
    email,
    say(w.mailSubject, { blog: blog.title }),
    [say(w.mailText, { blog: blog.title, size: done.size, date: done.until }), done.link, "", w.mailPage, `${blog.baseUrl}/admin/export`],
    `export:${done.id}:${email}`,
  );
}
