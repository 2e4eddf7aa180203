import { Hono } from "hono/tiny";
import { r2File } from "../http/r2-file";
import type { Context } from "hono";
import * as z from "zod/mini";
import { type Job, JOB_ID } from "../core/jobs";
import { bornHere, downloadKey, exporterOf, exportKeys, type ExportState, validDownloadKey, viewOf, zipName } from "../data/exports";
import { accounts } from "../data/objects";
import { AppError } from "../errors";
import { principal, requireRole } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import { audit } from "../http/audit";
import { cacheAs } from "../http/freshness";
import type { AppEnv } from "../settings";
import { ExportPage } from "../views/pages/export";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { validate } from "./validation";

/** The export as owners see it, with its signed download address while it can be downloaded. */
async function shown<E extends AppEnv>(c: Context<E>, s: ExportState, api: boolean) {
  const view = viewOf(s, new Date());
  const key = view.status === "ready" ? await downloadKey(c.var.settings.adminToken!, c.var.settings.tokenScope, s) : null;
  const path = `${api ? "/api" : "/admin"}/export/${s.id}/download?key=${key}`;
  return { ...view, download: key ? (api ? `${c.var.settings.blog.baseUrl}${path}` : path) : null };
}

/** Who starts it: their address (mailed when it is ready), or the operator (mailed nothing). */
async function starter<E extends AppEnv>(c: Context<E>): Promise<string> {
  const who = await principal(c);
  if (who?.kind !== "person") return "operator";
  const blog = c.var.store.name;
  return (await accounts(c.env, blog).emailOf(blog, who.personId)) ?? "operator";
}

async function begin<E extends AppEnv>(c: Context<E>): Promise<ExportState> {
  const blog = c.var.store.name;
  const s = await exporterOf(c.env).start(blog, bornHere(c), await starter(c));
  if (!s) throw new AppError("export_running", "An export of this blog is being made; it will be ready in a few minutes.");
  await c.env.JOBS.send({ kind: "export", blog, id: s.id, step: 0 } satisfies Job);
  await audit(c, "blog.exported", s.id);
  return s;
}

/** The zip itself, streamed from R2 (with ranges, so a broken download resumes), for a valid key of a ready export. */
async function download<E extends AppEnv>(c: Context<E>, id: string, key: string): Promise<Response | null> {
  const s = await exporterOf(c.env).read(c.var.store.name, bornHere(c), id);
  const now = new Date();
  if (
    !s ||
    viewOf(s, now).status !== "ready" ||
    !(await validDownloadKey(c.var.settings.adminToken!, c.var.settings.tokenScope, s, key, now))
  ) {
    return null;
  }
  cacheAs(c, "never");
  const zip = await r2File(c.req.raw, c.env.ARCHIVES, exportKeys(s.blog, s.born, s.id).zip, {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="${zipName(s)}"`,
  });
  if (!zip) throw new AppError("not_found", "This export's file is gone.");
  return zip;
}

async function exportPage(c: Context<AdminEnv>, notes: { notice?: string; error?: string } = {}) {
  const exports = await Promise.all((await exporterOf(c.env).list(c.var.store.name, bornHere(c))).map((s) => shown(c, s, false)));
  return c.render(<ExportPage csrf={c.get("csrf")} exports={exports} timeZone={c.var.settings.blog.timeZone} {...notes} />, {
    ...PAGE,
    title: wordsFor(c).exports.title,
  });
}

const keyQuery = z.object({ key: z.string({ error: "key is the signed part of the download address" }) });
const idParam = z.object({ id: z.string().check(z.regex(JOB_ID, "no such export")) });

/** `/admin/export` (owners): start an export, follow it, download it. */
export const exportPages = new Hono<AdminEnv>()
  .use("/admin/export", noStore)
  .use("/admin/export/*", noStore)
  .get("/admin/export", signedInAs("owner"), (c) =>
    exportPage(c, c.req.query("started") !== undefined ? { notice: wordsFor(c).exports.started } : {}),
  )
  .post("/admin/export", signedInAs("owner"), async (c) => {
    try {
      await begin(c);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "export_running") throw error;
      c.status(409);
      return exportPage(c, { error: error.message });
    }
    return c.redirect("/admin/export?started", 303);
  })
  .get(
    "/admin/export/:id/download",
    signedInAs("owner"),
    validate("param", idParam, { code: "not_found", message: "There is no such export." }),
    validate("query", keyQuery, { code: "invalid_query" }),
    async (c) => {
      const zip = await download(c, c.req.valid("param").id, c.req.valid("query").key);
      if (zip) return zip;
      c.status(410);
      return exportPage(c, { error: wordsFor(c).exports.linkExpired });
    },
  );

/** The same for scripts (owners): POST /api/export, GET /api/export, GET /api/export/:id, and the download. */
export const exportApi = new Hono<AppEnv>()
  .post("/export", requireRole("owner"), async (c) => c.json({ export: await shown(c, await begin(c), true) }, 202))
  .get("/export", requireRole("owner"), async (c) => {
    const all = await exporterOf(c.env).list(c.var.store.name, bornHere(c));
    return c.json({ exports: await Promise.all(all.map((s) => shown(c, s, true))) });
  })
  .get(
    "/export/:id",
    requireRole("owner"),
    validate("param", idParam, { code: "not_found", message: "There is no such export." }),
    async (c) => {
      const s = await exporterOf(c.env).read(c.var.store.name, bornHere(c), c.req.valid("param").id);
      if (!s) throw new AppError("not_found", "There is no such export.");
      return c.json({ export: await shown(c, s, true) });
    },
  )
  .get(
    "/export/:id/download",
    requireRole("owner"),
    validate("param", idParam, { code: "not_found", message: "There is no such export." }),
    validate("query", keyQuery, { code: "invalid_query" }),
    async (c) => {
      const zip = await download(c, c.req.valid("param").id, c.req.valid("query").key);
      if (zip) return zip;
      throw new AppError(
        "export_expired",
        "This download address has expired or is not for this blog: start a new export (POST /api/export).",
      );
    },
  );
