import { adminWords, refusalText, wordsFor } from "../http/admin-language";
import { messagesFor, say } from "../core/i18n";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { type BlogRecord, MAIN_BLOG, nameProblem } from "../core/blogs";
import { blogObject, blogRecord, holdRecord } from "../data/blogs";
import { personKey, SIGNUP_LIMITS } from "../core/people";
import { accounts, address, personByKey, personOfToken } from "../data/objects";
import { AppError, nullIfInvalidLink } from "../errors";
import { signInBrowser } from "../http/auth";
import { formBody, jsonBody } from "../http/limits";
import { createBlogMail } from "../mail/messages";
import { mailerFor } from "../mail/mailer";
import { type AppEnv, defaultBlogSettings, readSettings } from "../settings";
import { type CreateForm, CreateBlogPage } from "../views/pages/create";
import { BadLinkPage, LinkButtonPage, MessagePage } from "../views/pages/message";
import { blogTitle } from "./blog-settings";
import { emailSchema } from "./subscribe";
import { type describeIssues, formProblems, formText, validate } from "./validation";
import { log } from "../core/log";

/** Where a new blog called `name` will answer, as its creator will type it (scheme and port included). */
const addressOf = (c: Context<AppEnv>, name: string) =>
  readSettings(c.env, c.req.url, { name, domains: [], createdAt: "", state: "active" } as unknown as BlogRecord).blog.baseUrl;

const PAGE = { noindex: true } as const;
/** The page's title and the reader's words (its home link) in the asker's language. */
const page = (c: Context<AppEnv>, title?: string) => ({ ...PAGE, title: title ?? wordsFor(c).create.pageTitle });
const readerWords = (c: Context<AppEnv>) => messagesFor(c.var.adminLanguage ?? "en");
const tokenField = z.object({ token: z._default(z.string().check(z.maxLength(400)), "") });

/** POST /api/blogs and the form: an address, a name (its rules are the Blog object's) and a title. */
export const createBody = z.extend(emailSchema, {
  name: z.string({ error: "name is required (3 to 30 lowercase letters, digits and single hyphens)" }),
  title: z.string({ error: "title is required (text)" }).check(...blogTitle),
});

/** A refused form in the asker's language: English names each problem, another the fields to look at. */
function createProblems(c: Context<AppEnv>, issues: Parameters<typeof describeIssues>[0]): string {
  const w = wordsFor(c).create;
  return formProblems(
    wordsFor(c),
    issues,
    { email: w.email, name: w.name, title: w.blogTitle },
    { email: w.email, name: `${w.name}:`, title: `${w.blogTitle}:` },
  );
}

/**
 * Checks a request and mails the creation link. The answer is the same whether or not the
 * address has an account; the name's problems (rules, taken) are told at once.
 */
async function requestBlog(c: Context<AppEnv>, input: CreateForm): Promise<void> {
  const problem = nameProblem(input.name);
  if (problem === "invalid_name") throw new AppError(problem, "A blog name is 3 to 30 lowercase letters, digits and single hyphens.");
  if (problem) throw new AppError(problem, `"${input.name}" is reserved; please choose another name.`);
  if (input.name === MAIN_BLOG || (await blogRecord(c.env.POSTS, input.name))) {
    throw new AppError("name_taken", `The name "${input.name}" is already taken.`);
  }
  const mode = c.var.settings.signups;
  if (mode === "closed") throw new AppError("signups_closed", "New blogs cannot be created here at the moment.");
  const now = Date.now();
  // Counted per address (IP) and per email address, each in its own object: no counter is everyone's.
  const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
  const wait = await address(c.env, ip).take("create", 3600_000, SIGNUP_LIMITS.perIpHour, now);
  if (wait !== null) throw new AppError("rate_limited", `Too many requests from your address. Try again in ${wait} seconds.`, wait);
  const key = await personKey(input.email);
  const { token } = await personByKey(c.env, key).createLink({ key, ...input }, mode, now);
  if (!token) return;
  const main = readSettings(c.env, c.var.settings.blog.createUrl);
  // The form's language, or for the API the one its client asks for.
  const words = await adminWords(c);
  c.executionCtx.waitUntil(
    mailerFor(c.env, MAIN_BLOG, main.mail)
      .send([createBlogMail(main.blog, input.email, input.name, token, words.mail, c.var.adminLanguage)])
      .catch((error: unknown) => log("error", "creation mail failed", { code: "mail_unavailable", error })),
  );
}

const checkInbox = (c: Context<AppEnv>, email: string) =>
  c.render(
    <MessagePage heading={wordsFor(c).create.checkInbox} t={readerWords(c)}>
      <p>{say(wordsFor(c).create.sent, { email })}</p>
    </MessagePage>,
    page(c),
  );

function badLink(c: Context<AppEnv>) {
  c.status(400);
  const w = wordsFor(c).create;
  return c.render(<BadLinkPage text={w.badLink} retry={{ href: "/create", label: w.askAgain }} t={readerWords(c)} />, page(c));
}

/** "+ Create my blog" for anyone (on the main host), and the hand-over that signs the new owner in on the blog's host. */
export const createPages = new Hono<AppEnv>()
  .use("/create", async (c, next) => {
    // The form lives on the main host; other blogs' links lead there.
    if (c.var.store.name !== MAIN_BLOG) return c.redirect(c.var.settings.blog.createUrl, 302);
    await next();
  })
  .get("/create", (c) =>
    c.render(
      <CreateBlogPage
        values={{ email: "", name: "", title: "" }}
        address={(name) => addressOf(c, name)}
        closed={c.var.settings.signups === "closed"}
      />,
      page(c),
    ),
  )
  .post("/create", ...formBody, validate("form", z.object({ email: formText(), name: formText(), title: formText() })), async (c) => {
    const form = c.req.valid("form");
    const values = { email: form.email.trim(), name: form.name.trim().toLowerCase(), title: form.title };
    const refused = (error: string) => {
      c.status(400);
      return c.render(<CreateBlogPage values={values} address={(name) => addressOf(c, name)} error={error} />, page(c));
    };
    const parsed = createBody.safeParse(values);
    if (!parsed.success) return refused(createProblems(c, parsed.error.issues));
    try {
      await requestBlog(c, parsed.data);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      c.status(err.status);
      const error = refusalText(c, err.code, err.message);
      return c.render(<CreateBlogPage values={values} address={(name) => addressOf(c, name)} error={error} />, page(c));
    }
    return checkInbox(c, parsed.data.email);
  })
  .post("/api/blogs", ...jsonBody, validate("json", createBody, { code: "invalid_input", whole: "The request" }), async (c) => {
    if (c.var.store.name !== MAIN_BLOG) throw new AppError("not_found", "Blogs are created on the main host.");
    await requestBlog(c, c.req.valid("json"));
    return c.json({ status: "pending" }, 202);
  })
  .get("/create/confirm", validate("query", tokenField), async (c) => {
    const { token } = c.req.valid("query");
    const owner = personOfToken(c.env, token);
    const request = owner ? await owner.checkCreateLink(token, Date.now()) : { ok: false };
    if (!request.ok) return badLink(c);
    const w = wordsFor(c).create;
    return c.render(
      <LinkButtonPage
        heading={w.pageTitle}
        question={say(w.confirm, { title: request.title ?? "", name: request.name ?? "", email: request.email ?? "" })}
        action="/create/confirm"
        token={token}
        button={w.button}
        t={readerWords(c)}
      />,
      page(c),
    );
  })
  .post("/create/confirm", ...formBody, validate("form", tokenField), async (c) => {
    const { token } = c.req.valid("form");
    const owner = personOfToken(c.env, token);
    const used = owner ? await nullIfInvalidLink(owner.useCreateLink(token, Date.now())) : null;
    if (!owner || !used) return badLink(c);
    const now = new Date().toISOString();
    const { blog } = await blogObject(c.env, used.name).create(
      { name: used.name, title: used.title, description: null, domains: [], ownerEmail: used.person.email },
      // A new blog speaks its creator's language from the start (they change it in Settings).
      { ...defaultBlogSettings(c.env), language: c.var.adminLanguage ?? "en" },
      now,
    );
    holdRecord(blog);
    // The person's list of blogs first: it may name more blogs than they belong to, never fewer.
    await owner.joined(blog.name);
    const people = accounts(c.env, blog.name);
    await people.setMember(blog.name, used.person, "owner", now);
    const handoff = await people.handoff(blog.name, used.person.id, Date.now());
    const url = readSettings(c.env, c.req.url, blog).blog.baseUrl;
    return c.redirect(`${url}/signin/handoff?token=${encodeURIComponent(handoff)}`, 303);
  })
  .get("/signin/handoff", validate("query", tokenField), async (c) => {
    const { token } = c.req.valid("query");
    const used = token ? await nullIfInvalidLink(accounts(c.env, c.var.store.name).useHandoff(c.var.store.name, token, Date.now())) : null;
    if (!used) return badLink(c);
    await signInBrowser(c, used.personId);
    // A page of this host moves on to the dashboard: a redirect would still belong to the navigation
    // that came from the main host, which a SameSite=Strict cookie does not follow.
    const w = wordsFor(c).create;
    return c.render(
      <MessagePage heading={w.ready} t={readerWords(c)}>
        <p>
          <a href="/admin">{w.goToDashboard}</a>
        </p>
      </MessagePage>,
      { ...page(c, w.ready), refresh: "/admin" },
    );
  });
