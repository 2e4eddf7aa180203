import { refusalText, wordsFor } from "../http/admin-language";
import { say } from "../core/i18n";
import { Hono } from "hono/tiny";
import { MAIN_BLOG } from "../core/blogs";
import * as z from "zod/mini";
import { type BlogSettings, LANGUAGE } from "../core/blogs";
import { MODERATIONS } from "../core/comments";
import { ACCENT, customCssProblem, imageUrlProblem, THEMES, type ThemeName } from "../core/theme";
import { MAX_MENU_ITEMS, menuItemProblem, menuText, parseMenuText } from "../core/menu";
import { holdRecord } from "../data/blogs";
import { readCustomCss, writeSettings } from "../data/look";
import { getPublicPages, getPublicTags } from "../data/posts";
import { formBody } from "../http/limits";
import { isTimeZone, type Settings } from "../settings";
import { accentSentence, SettingsPage } from "../views/pages/settings";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { formProblems, formText, validate } from "./validation";
import { audit } from "../http/audit";
import { putImage } from "../data/media";
import { AppError } from "../errors";
import { mediaBody, uploaded } from "./media";

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

const imageUrl = (field: string) =>
  z.refine<string>((v) => !imageUrlProblem(v), { error: (i) => `${field} ${imageUrlProblem(String(i.input))}` });

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
  emailPosts: z.optional(z.boolean({ error: "emailPosts must be true or false" })),
  mostRead: z.optional(z.boolean({ error: "mostRead must be true or false" })),
  theme: z.optional(z.enum(THEMES, { error: `theme must be one of ${THEMES.join(", ")}` })),
  accent: z.optional(
    z.nullable(z.string({ error: "accent must be text" }).check(z.regex(ACCENT, "accent must be a colour such as #0b5cad"))),
  ),
  logo: z.optional(z.nullable(z.string({ error: "logo must be text" }).check(imageUrl("logo")))),
  favicon: z.optional(z.nullable(z.string({ error: "favicon must be text" }).check(imageUrl("favicon")))),
  customCss: z.optional(
    z
      .string({ error: "customCss must be text" })
      .check(z.refine((v) => !customCssProblem(v), { error: (i) => `customCss: ${customCssProblem(String(i.input))}` })),
  ),
  // The owner's menu, in order (null: the default one).
  menu: z.optional(
    z.nullable(
      z
        .array(
          z.object({ label: z.string({ error: "a menu link's label must be text" }).check(z.trim()), href: z.string().check(z.trim()) }),
          {
            error: "menu must be a list of {label, href}",
          },
        )
        .check(
          z.maxLength(MAX_MENU_ITEMS, `menu holds at most ${MAX_MENU_ITEMS} links`),
          z.superRefine((items, ctx) => {
            for (const [i, item] of items.entries()) {
              const problem = menuItemProblem(item);
              if (problem) ctx.issues.push({ code: "custom", message: `menu[${i}]: ${problem}`, input: item });
            }
          }),
        ),
    ),
  ),
});

/**
 * Saves settings: the custom CSS in its own key, the rest (with the per-blog stylesheet's new
 * version) in the blog's record, through its Blog object. `current`: the blog's look before the change.
 */
export async function saveSettings(
  env: Env,
  name: string,
  input: SettingsInput,
  current: { theme: ThemeName; accent: string | null },
  domains: string[] | null = null,
) {
  const { customCss, ...patch } = input;
  const accent = patch.accent === undefined ? current.accent : patch.accent;
  return writeSettings(env, name, patch as Partial<BlogSettings>, { theme: patch.theme ?? current.theme, accent, customCss }, domains);
}

export type SettingsInput = z.infer<typeof settingsSchema>;

export type SettingsForm = Record<keyof SettingsInput, string>;

/** What the form shows: the blog's settings as they apply now. */
export function currentSettings(settings: Settings, customCss: string): SettingsForm {
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
    emailPosts: blog.emailPosts ? "on" : "off",
    mostRead: blog.mostRead ? "on" : "off",
    theme: blog.look.theme,
    accent: blog.look.accent ?? "",
    logo: blog.look.logo ?? "",
    favicon: blog.look.favicon ?? "",
    customCss,
    menu: menuText(blog.menu),
  };
}

const imageParam = z.object({ image: z.enum(["logo", "favicon"]) });

const settingsForm = z.object({
  title: formText(),
  description: formText(),
  author: formText(),
  language: formText(),
  timeZone: formText(),
  moderation: formText(),
  blockedWords: formText(),
  rateLimit: formText(),
  // Absent (a form from before it): left as it is.
  emailPosts: z.optional(z.enum(["on", "off"])),
  mostRead: z.optional(z.enum(["on", "off"])),
  // The look's fields may be absent (a form from before themes): absent leaves them as they are.
  theme: z.optional(z.string()),
  accent: z.optional(z.string()),
  logo: z.optional(z.string()),
  favicon: z.optional(z.string()),
  customCss: z.optional(z.string()),
  menu: z.optional(z.string()),
});

/** The blog's settings in its administration (the operator's token signs in to any blog's). */
export const settingsPages = new Hono<AdminEnv>()
  .use("/admin/settings", noStore)
  .get("/admin/settings", signedInAs("owner"), async (c) => {
    const now = new Date();
    const [customCss, pages, tags] = await Promise.all([
      readCustomCss(c.var.store),
      getPublicPages(c.var.store, now),
      getPublicTags(c.var.store, now),
    ]);
    return c.render(
      <SettingsPage
        csrf={c.get("csrf")}
        values={currentSettings(c.var.settings, customCss)}
        saved={c.req.query("saved") === "1"}
        linkable={{ pages, tags }}
        deletable={c.var.store.name !== MAIN_BLOG}
      />,
      { ...PAGE, title: wordsFor(c).settings.title },
    );
  })
  // The contrast report for a colour being chosen, from the same code as the saved one's.
  .get(
    "/admin/settings/accent",
    signedInAs("owner"),
    validate("query", z.object({ accent: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, "accent must be a colour such as #0b5cad")) })),
    (c) => c.json({ report: accentSentence(wordsFor(c), c.req.valid("query").accent) }),
  )
  .post("/admin/settings", ...formBody, signedInAs("owner"), validate("form", settingsForm), async (c) => {
    const form = c.req.valid("form");
    const rate = form.rateLimit.trim();
    // The menu's lines ("Label | address"), read as the API's list; absent: left as it is.
    const menu = form.menu === undefined ? undefined : parseMenuText(form.menu);
    const parsed = settingsSchema.safeParse({
      ...form,
      author: form.author.trim() || null,
      language: form.language.trim(),
      timeZone: form.timeZone.trim(),
      rateLimit: rate === "" ? 0 : /^\d{1,9}$/.test(rate) ? Number(rate) : rate,
      emailPosts: form.emailPosts === undefined ? undefined : form.emailPosts === "on",
      mostRead: form.mostRead === undefined ? undefined : form.mostRead === "on",
      theme: form.theme?.trim() || undefined,
      accent: form.accent === undefined ? undefined : form.accent.trim().toLowerCase() || null,
      logo: form.logo === undefined ? undefined : form.logo.trim() || null,
      favicon: form.favicon === undefined ? undefined : form.favicon.trim() || null,
      customCss: form.customCss?.replace(/\r\n?/g, "\n"),
      menu: menu && "menu" in menu ? menu.menu : undefined,
    });
    if (!parsed.success || (menu && "error" in menu)) {
      c.status(400);
      const words = wordsFor(c);
      const labels: Record<string, string> = words.settings.labels;
      // The menu's own check names its line; in another language, the field to look at.
      const error =
        menu && "error" in menu
          ? words.locale.startsWith("en")
            ? `Menu: ${menu.error}`
            : say(words.formProblems, { fields: labels.menu! })
          : formProblems(words, parsed.success ? [] : parsed.error.issues, labels);
      const shown = {
        ...currentSettings(c.var.settings, await readCustomCss(c.var.store)),
        ...Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)),
      };
      return c.render(<SettingsPage csrf={c.get("csrf")} values={shown} error={error} />, {
        ...PAGE,
        title: words.settings.title,
      });
    }
    const { blog } = await saveSettings(c.env, c.var.store.name, parsed.data!, c.var.settings.blog.look);
    holdRecord(blog);
    await audit(c, "settings.changed", Object.keys(parsed.data!).join(", "));
    return c.redirect("/admin/settings?saved=1", 303);
  })
  // The logo or the favicon uploaded like any image (into the media library), and set at once.
  .post("/admin/settings/:image", mediaBody, signedInAs("owner"), validate("param", imageParam, { code: "not_found" }), async (c) => {
    const which = c.req.valid("param").image;
    try {
      const { bytes, name } = await uploaded(c);
      const { media, created } = await putImage(c.env.MEDIA, c.var.store.name, bytes, name, new Date());
      if (created) await audit(c, "media.uploaded", media.name);
      const { blog } = await saveSettings(c.env, c.var.store.name, { [which]: media.url }, c.var.settings.blog.look);
      holdRecord(blog);
      await audit(c, "settings.changed", which);
      return c.redirect("/admin/settings?saved=1", 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      c.status(err.status);
      const values = currentSettings(c.var.settings, await readCustomCss(c.var.store));
      const words = wordsFor(c);
      const error = `${words.settings.labels[which]}: ${refusalText(c, err.code, err.message)}`;
      return c.render(<SettingsPage csrf={c.get("csrf")} values={values} error={error} />, {
        ...PAGE,
        title: words.settings.title,
      });
    }
  });
