import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { backupsOf, POINT_ID } from "../core/backups";
import { messagesFor } from "../core/i18n";
import { type Job, JOB_ID } from "../core/jobs";
import { POST_SLUG } from "../core/vocabulary";
import { commentThread } from "../data/comments";
import { bornHere } from "../data/exports";
import { savePost } from "../editing/posts";
import { AppError } from "../errors";
import { principal, requireRole } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import { audit } from "../http/audit";
import type { AppEnv } from "../settings";
import { BackupsPage, type Outcome } from "../views/pages/backups";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { validate } from "./validation";

/** The blog's backups service, and its incarnation (a new blog of the same name never sees an old one's points). */
const of = <E extends AppEnv>(c: Context<E>) => ({ s: backupsOf(c.env), blog: c.var.store.name, born: bornHere(c) });

const slug = z.string().check(z.regex(POST_SLUG, "must be a post's slug"));
export const restoreInput = z.union([z.object({ post: slug }), z.object({ comments: slug }), z.object({ blog: z.string() })]);

/** Queues a point made now ("Back up now"). */
async function backUpNow<E extends AppEnv>(c: Context<E>) {
  const at = new Date().toISOString();
  await c.env.JOBS.send({ kind: "backup", blog: c.var.store.name, at, label: "manual" } satisfies Job);
  await audit(c, "backup.made", at);
  return at;
}

/**
 * Puts back what `input` names as point `point` holds it, through the same doors as an edit: a
 * post saved as its editor would, a thread rewritten by its object, the whole blog by a job in steps.
 */
async function restore<E extends AppEnv>(c: Context<E>, point: string, input: z.infer<typeof restoreInput>) {
  const { s, blog, born } = of(c);
  const gone = () => new AppError("not_found", `The backup ${point} does not hold that (or there is no such backup).`);
  await audit(c, "backup.restored", `${point} ${"blog" in input ? "blog" : "post" in input ? input.post : `${input.comments} comments`}`);
  if ("post" in input) {
    const source = await s.postOf(blog, born, point, input.post);
    if (!source) throw gone();
    const { origin: _o, editedAt: _e, derived: _d, ...post } = source;
    const { record, status } = await savePost(c, post);
    return { post: { slug: record.slug, title: record.title, status } };
  }
  if ("comments" in input) {
    const found = await s.threadOf(blog, born, point, input.comments);
    if (!found) throw gone();
    const name = messagesFor(c.var.settings.blog.language).comments.formerReader;
    const restored = await commentThread(c.env, blog, input.comments).restoreBackup(blog, input.comments, found.thread, found.erased, name);
    return { comments: { slug: input.comments, restored } };
  }
  if (input.blog !== blog) throw new AppError("invalid_input", `blog must be this blog's name ("${blog}") to restore all of it.`);
  if (!(await s.points(blog, born)).some((p) => p.id === point)) throw gone();
  const who = await principal(c);
  const name = messagesFor(c.var.settings.blog.language).comments.formerReader;
  const state = await s.startRestore(blog, born, point, who?.kind === "person" ? `person ${who.personId}` : "operator", name);
  if (!state) throw new AppError("restore_running", "A restore of this blog is under way: wait until it is done.");
  await c.env.JOBS.send({ kind: "restore", blog, id: state.id, step: 0 } satisfies Job);
  return { restore: state };
}

async function page(c: Context<AdminEnv>, outcome: Outcome = {}) {
  const { s, blog, born } = of(c);
  const [points, restores] = await Promise.all([s.points(blog, born), s.restores(blog, born)]);
  return c.render(
    <BackupsPage
      csrf={c.get("csrf")}
      blog={blog}
      points={points}
      restores={restores}
      timeZone={c.var.settings.blog.timeZone}
      {...outcome}
    />,
    { ...PAGE, title: wordsFor(c).backups.title },
  );
}

/** `/admin/backups` (owners): the points, "Back up now", and restores. */
export const backupPages = new Hono<AdminEnv>()
  .use("/admin/backups", noStore)
  .use("/admin/backups/*", noStore)
  .get("/admin/backups", signedInAs("owner"), (c) => page(c, { queued: c.req.query("queued") !== undefined }))
  .post("/admin/backups", signedInAs("owner"), async (c) => {
    await backUpNow(c);
    return c.redirect("/admin/backups?queued", 303);
  })
  .post("/admin/backups/restore", signedInAs("owner"), async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string | undefined>;
    const point = form.point ?? "";
    // A post's address is taken as well as its slug.
    const slug = (form.slug ?? "")
      .trim()
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .split("/")
      .pop()!
      .toLowerCase();
    const input = restoreInput.safeParse(
      form.what === "blog"
        ? { blog: (form.confirm ?? "").trim().toLowerCase() }
        : { [form.what === "comments" ? "comments" : "post"]: slug },
    );
    try {
      if (!POINT_ID.test(point) || !input.success) throw new AppError("not_found", "");
      return page(c, { done: await restore(c, point, input.data), point, slug });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      c.status(error.status === 409 ? 409 : error.code === "invalid_input" ? 400 : 404);
      return page(c, { failed: error.code, slug });
    }
  });

/** The same for scripts (owners): GET/POST /api/backups, POST /api/backups/:point/restore, GET /api/backups/restores/:id. */
export const backupApi = new Hono<AppEnv>()
  .get("/backups", requireRole("owner"), async (c) => {
    const { s, blog, born } = of(c);
    const [points, restores] = await Promise.all([s.points(blog, born), s.restores(blog, born)]);
    return c.json({ points, restores });
  })
  .post("/backups", requireRole("owner"), async (c) => c.json({ queued: { at: await backUpNow(c), label: "manual" } }, 202))
  .post(
    "/backups/:point/restore",
    requireRole("owner"),
    validate("param", z.object({ point: z.string().check(z.regex(POINT_ID)) }), { code: "not_found", message: "There is no such backup." }),
    validate("json", restoreInput, { message: 'Give one of {"post": slug}, {"comments": slug} or {"blog": the blog\'s name}.' }),
    async (c) => {
      const done = await restore(c, c.req.valid("param").point, c.req.valid("json"));
      return c.json(done, done.restore ? 202 : 200);
    },
  )
  .get("/backups/restores/:id", requireRole("owner"), async (c) => {
    const { s, blog, born } = of(c);
    const id = c.req.param("id");
    const state = JOB_ID.test(id) ? await s.restore(blog, born, id) : null;
    if (!state) throw new AppError("not_found", "There is no such restore.");
    return c.json({ restore: state });
  });
