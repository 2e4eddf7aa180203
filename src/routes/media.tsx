import { refusalText, wordsFor } from "../http/admin-language";
import { counted } from "../core/i18n";
import { CACHE_POLICY } from "../http/freshness";
import { Hono } from "hono/tiny";
import { r2File } from "../http/r2-file";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as z from "zod/mini";
import { renderPost } from "../core/build";
import { MEDIA_NAME, mediaKey } from "../core/media";
import { MAX_MEDIA_BYTES } from "../core/vocabulary";
import { deleteImage, describeImage, listImages, MAX_ALT, type MediaItem, putImage } from "../data/media";
import { siteEditor } from "../data/objects";
import { AppError, notFound } from "../errors";
import { audit } from "../http/audit";
import { requireRole } from "../http/auth";
import { jsonBody } from "../http/limits";
import type { AppEnv } from "../settings";
import { MediaLibraryPage } from "../views/pages/media";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { validate, validQuery } from "./validation";

/** 413 for an upload over 10 MB (plus a multipart envelope), before it is read. */
export const mediaBody = bodyLimit({
  maxSize: MAX_MEDIA_BYTES + 64 * 1024,
  onError: () => {
    throw new AppError("payload_too_large", `An image may be at most ${MAX_MEDIA_BYTES / 1024 / 1024} MB.`);
  },
});

const nameParam = validate("param", z.object({ name: z.string().check(z.regex(MEDIA_NAME)) }), {
  code: "not_found",
  message: "There is no such image.",
});

/** The uploaded bytes: the raw body (the editor's script), or the `file` field of a multipart form. */
export async function uploaded(c: Context): Promise<{ bytes: Uint8Array<ArrayBuffer>; name: string | null }> {
  try {
    const type = (c.req.header("Content-Type") ?? "").toLowerCase();
    if (type.startsWith("multipart/form-data")) {
      const file = (await c.req.parseBody()).file;
      if (!(file instanceof File)) throw new AppError("invalid_media", "Choose an image file to upload.");
      return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name || null };
    }
    const name = c.req.header("X-File-Name");
    return { bytes: new Uint8Array(await c.req.arrayBuffer()), name: name ? decodeURIComponent(name) : null };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("invalid_media", "The upload did not arrive whole. Please try again.");
  }
}

/** Every image of the blog with the posts that use it. */
async function library<E extends AppEnv>(c: Context<E>): Promise<(MediaItem & { usedBy: { slug: string; title: string }[] })[]> {
  const [items, use] = await Promise.all([
    listImages(c.env.MEDIA, c.var.store.name),
    siteEditor(c.env, c.var.store.name).mediaUse(c.var.store.name),
  ]);
  return items.map((m) => ({ ...m, usedBy: use[m.name] ?? [] }));
}

/** Deletes an image unless a post still uses it. */
async function removeImage<E extends AppEnv>(c: Context<E>, name: string): Promise<void> {
  const head = await c.env.MEDIA.head(mediaKey(c.var.store.name, name));
  if (!head) throw notFound("There is no such image.");
  const users = (await siteEditor(c.env, c.var.store.name).mediaUse(c.var.store.name))[name] ?? [];
  if (users.length) {
    throw new AppError(
      "media_in_use",
      `The image is still used by ${users.map((u) => `“${u.title}” (/posts/${u.slug})`).join(", ")}: remove it from ${users.length === 1 ? "that post" : "those posts"} first.`,
    );
  }
  await deleteImage(c.env.MEDIA, c.var.store.name, name);
  await audit(c, "media.deleted", name);
}

/** Images as readers' browsers fetch them: immutable (the name is the content's hash), with ETag and ranges. */
export const mediaFiles = new Hono<AppEnv>().get("/media/:name", nameParam, async (c) => {
  const { name } = c.req.valid("param");
  const file = await r2File(c.req.raw, c.env.MEDIA, mediaKey(c.var.store.name, name), { "Cache-Control": CACHE_POLICY.immutable });
  if (!file) throw notFound("There is no such image.");
  return file;
});

/** PATCH /api/media/:name: the image's description (alt text), offered again whenever it is inserted. */
export const altBody = z.object({
  alt: z
    .string({ error: "alt is required (text; empty for none)" })
    .check(z.maxLength(MAX_ALT, `alt must be at most ${MAX_ALT} characters`)),
});

/** POST /api/preview: the Markdown to render. */
export const previewBody = z.object({
  markdown: z.string({ error: "markdown is required" }).check(z.maxLength(60_000, "markdown must be at most 60,000 characters")),
});

/** The editor's API: uploads, the library, and the live preview. */
export const mediaApi = new Hono<AppEnv>()
  .post("/media", requireRole("editor"), mediaBody, async (c) => {
    const { bytes, name } = await uploaded(c);
    const { media, created } = await putImage(c.env.MEDIA, c.var.store.name, bytes, name, new Date());
    if (created) await audit(c, "media.uploaded", media.name);
    c.header("Location", media.url);
    return c.json({ media }, created ? 201 : 200);
  })
  .get("/media", requireRole("editor"), async (c) => c.json({ media: await library(c) }))
  .patch(
    "/media/:name",
    requireRole("editor"),
    nameParam,
    ...jsonBody,
    validate("json", altBody, { code: "invalid_input", whole: "The description" }),
    async (c) => c.json({ media: await describeImage(c.env.MEDIA, c.var.store.name, c.req.valid("param").name, c.req.valid("json").alt) }),
  )
  .delete("/media/:name", requireRole("editor"), nameParam, async (c) => {
    await removeImage(c, c.req.valid("param").name);
    return c.body(null, 204);
  })
  .post(
    "/preview",
    requireRole("editor"),
    ...jsonBody,
    validate("json", previewBody, { code: "invalid_input", whole: "The preview" }),
    (c) => {
      const { markdown } = c.req.valid("json");
      // The same rendering as publishing (the slug, title and date do not change the body), with the
      // HTML filtered whoever wrote it: the preview sits in a page that holds the session's CSRF token.
      const { html, toc } = renderPost(
        {
          slug: "preview",
          title: "",
          date: new Date(0).toISOString(),
          updated: null,
          author: null,
          tags: [],
          summary: null,
          draft: true,
          markdown: markdown.replace(/\r\n?/g, "\n"),
        },
        { filter: true },
      );
      return c.json({ html, toc });
    },
  );

/** The media library on the dashboard (works without JavaScript). */
export const mediaPages = new Hono<AdminEnv>()
  .use("/admin/media", noStore)
  .use("/admin/media/*", noStore)
  .get(
    "/admin/media",
    signedInAs("editor"),
    validQuery(z.object({ uploaded: z.optional(z.string()), deleted: z.optional(z.string()) })),
    async (c) => {
      const q = c.req.valid("query");
      const w = wordsFor(c).media;
      const notice = q.uploaded ? w.uploaded : q.deleted ? w.deleted : undefined;
      return c.render(<MediaLibraryPage csrf={c.get("csrf")} items={await library(c)} notice={notice} />, { ...PAGE, title: w.title });
    },
  )
  .post("/admin/media", mediaBody, signedInAs("editor"), async (c) => {
    try {
      const { bytes, name } = await uploaded(c);
      const { media, created } = await putImage(c.env.MEDIA, c.var.store.name, bytes, name, new Date());
      if (created) await audit(c, "media.uploaded", media.name);
      return c.redirect(`/admin/media?uploaded=${media.name}#media-${media.name}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      c.status(err.status);
      const error = refusalText(c, err.code, err.message);
      return c.render(<MediaLibraryPage csrf={c.get("csrf")} items={await library(c)} error={error} />, {
        ...PAGE,
        title: wordsFor(c).media.title,
      });
    }
  })
  .post("/admin/media/:name", mediaBody, signedInAs("editor"), nameParam, async (c) => {
    try {
      await removeImage(c, c.req.valid("param").name);
      return c.redirect("/admin/media?deleted=1", 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "media_in_use") throw err;
      c.status(err.status);
      const items = await library(c);
      const w = wordsFor(c).media;
      const users = items.find((m) => m.name === c.req.valid("param").name)?.usedBy ?? [];
      const posts = users.map((u) => `“${u.title}” (/posts/${u.slug})`).join(", ");
      return c.render(
        <MediaLibraryPage csrf={c.get("csrf")} items={items} error={counted(wordsFor(c), w.stillUsed, users.length, { posts })} />,
        {
          ...PAGE,
          title: w.title,
        },
      );
    }
  });
