import { Hono } from "hono";
import * as z from "zod/mini";
import { type BlogSettings, LANGUAGE } from "../content/blogs";
import { MODERATIONS } from "../content/comments";
import { blogsRegistry, holdRegistry } from "../data/blogs";
import { formBody } from "../http/limits";
import { isTimeZone, type Settings } from "../settings";
import { SettingsPage } from "../views/pages/settings";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { describeIssues, formText, validate } from "./validation";
import { audit } from "../http/audit";

export const MAX_BLOG_TITLE = 200;
export const MAX_BLOG_DESCRIPTION = 1000;
export const MAX_RATE_LIMIT = 1000;

/** The checks of a blog's title (creation and settings). */
export const blogTitle = [
  z.trim(),
  z.minLength(1, "title is required"),
  z.maxLength(MAX_BLOG_TITLE, `title must be at most ${MAX_BLOG_TITLE} characters`),
] as const;

export const blogDescription = z
  .string({ error: "description must be text" })
  .check(z.trim(), z.maxLength(MAX_BLOG_DESCRIPTION, `description must be at most ${MAX_BLOG_DESCRIPTION} characters`));

/** A blog's own settings, as PATCH /api/admin/blogs/:name and the settings form send them. */
export const settingsSchema = z.object({
  title: z.optional(z.string({ error: "title must be text" }).check(...blogTitle)),
  description: z.optional(blogDescription),
  author: z.optional(z.nullable(z.string({ error: "author must be text" }).check(z.trim(), z.maxLength(100, "author is too long")))),
  language: z.optional(z.string().check(z.regex(LANGUAGE, "language must be a language tag such as en, fr or pt-BR"))),
  timeZone: z.optional(z.string().check(z.refine(isTimeZone, "timeZone must be an IANA time zone such as Europe/Paris"))),
  moderation: z.optional(z.enum(MODERATIONS, { error: `moderation must be one of ${MODERATIONS.join(", ")}` })),
  blockedWords: z.optional(z.string({ error: "blockedWords must be text" }).check(z.maxLength(2000, "blockedWords is too long"))),
  rateLimit: z.optional(
    z
      .number({ error: "rateLimit must be a whole number" })
      .check(
        z.int("rateLimit must be a whole number"),
        z.minimum(0, "rateLimit must be 0 or more"),
        z.maximum(MAX_RATE_LIMIT, `rateLimit must be at most ${MAX_RATE_LIMIT}`),
      ),
  ),
});

export type SettingsInput = z.infer<typeof settingsSchema>;

/** The form's labels, so its errors name fields as the editor sees them. */
export const SETTINGS_LABELS: Record<string, string> = {
  title: "Title:",
  description: "Description:",
  author: "Author:",
  language: "Language:",
  timeZone: "Time zone:",
  moderation: "Comment moderation:",
  blockedWords: "Blocked words:",
  rateLimit: "Comments per address per minute:",
};

export type SettingsForm = Record<keyof SettingsInput, string>;

/** What the form shows: the blog's settings as they apply now. */
export function currentSettings(settings: Settings): SettingsForm {
  const { blog, comments } = settings;
  return {
    title: blog.title,
    description: blog.description,
    author: blog.author,
    language: blog.language,
    timeZone: blog.timeZone,
    moderation: comments.moderation,
    blockedWords: comments.blockedWords.join(", "),
    rateLimit: String(comments.rateLimit),
  };
}

const settingsForm = z.object({
  title: formText(),
  description: formText(),
  author: formText(),
  language: formText(),
  timeZone: formText(),
  moderation: formText(),
  blockedWords: formText(),
  rateLimit: formText(),
});

/** The blog's settings in its administration (the operator's token signs in to any blog's). */
export const settingsPages = new Hono<AdminEnv>()
  .use("/admin/settings", noStore)
  .get("/admin/settings", signedInAs("owner"), (c) =>
    c.render(<SettingsPage csrf={c.get("csrf")} values={currentSettings(c.var.settings)} saved={c.req.query("saved") === "1"} />, {
      ...PAGE,
      title: "Settings",
    }),
  )
  .post("/admin/settings", ...formBody, signedInAs("owner"), validate("form", settingsForm), async (c) => {
    const form = c.req.valid("form");
    const rate = form.rateLimit.trim();
    const parsed = settingsSchema.safeParse({
      ...form,
      author: form.author.trim() || null,
      language: form.language.trim(),
      timeZone: form.timeZone.trim(),
      rateLimit: rate === "" ? 0 : /^\d{1,9}$/.test(rate) ? Number(rate) : rate,
    });
    if (!parsed.success) {
      c.status(400);
      const error = describeIssues(parsed.error.issues, SETTINGS_LABELS);
      return c.render(<SettingsPage csrf={c.get("csrf")} values={form} error={error} />, {
        ...PAGE,
        title: "Settings",
      });
    }
    const { registry } = await blogsRegistry(c.env).configure(
      c.var.store.name,
      parsed.data as Partial<BlogSettings>,
      null,
      new Date().toISOString(),
    );
    holdRegistry(registry);
    await audit(c, "settings.changed", Object.keys(parsed.data).join(", "));
    return c.redirect("/admin/settings?saved=1", 303);
  });
