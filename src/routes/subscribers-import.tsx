import { Hono } from "hono/tiny";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as z from "zod/mini";
import { csvReader } from "../core/subscriber-csv";
import type { AppEnv } from "../settings";
import { requireRole } from "../http/auth";
import { validate } from "./validation";
import { subscriberCounts, subscribers } from "../data/objects";
import { AppError } from "../errors";
import { wordsFor } from "../http/admin-language";
import { audit } from "../http/audit";
import { requireType } from "../http/limits";
import { CONFIRMATIONS_PER_STEP, type Job } from "../core/jobs";
import { type ImportRefusal, type ImportReport, SubscribersPage } from "../views/pages/subscribers";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";

/** An export of a few tens of thousands of subscribers is a few MB at most. */
const MAX_CSV_BYTES = 5 * 1024 * 1024;
const csvLimit = bodyLimit({
  maxSize: MAX_CSV_BYTES + 64 * 1024,
  onError: () => {
    throw new AppError("payload_too_large", `A subscriber list may be at most ${MAX_CSV_BYTES / 1024 / 1024} MB.`);
  },
});
const csvUpload = [csvLimit, requireType("multipart/form-data")] as const;

async function page(c: Context<AdminEnv>, result: { report?: ImportReport; refusal?: ImportRefusal } = {}) {
  const [counts, due] = await Promise.all([
    subscriberCounts(c.env, c.var.store.name),
    subscribers(c.env, c.var.store.name)
      .dueConfirmations()
      .catch(() => 0),
  ]);
  return c.render(<SubscribersPage csrf={c.get("csrf")} counts={counts} due={due} step={CONFIRMATIONS_PER_STEP} {...result} />, {
    ...PAGE,
    title: wordsFor(c).subscribers.title,
  });
}

/**
 * Imports a list from another platform's export, all of it or nothing: a row with a problem stops
 * the import unless the owner chose to leave such rows out. Addresses that must confirm are mailed
 * by the jobs queue, a step at a time (jobs.ts), so the answer does not wait for them.
 */
async function importList<E extends AppEnv>(c: Context<E>, text: string, consented: boolean, skipProblems: boolean) {
  const list = await csvReader(c.env).readSubscriberCsv(text);
  if ("failure" in list) return { refusal: list };
  if (list.problems.length && !skipProblems)
    return { refusal: { failure: "problems" as const, problems: list.problems, described: list.described } };
  const store = subscribers(c.env, c.var.store.name);
  const result = await store.importAddresses(list.emails, consented, new Date().toISOString());
  if (result.toConfirm) await c.env.JOBS.send({ kind: "confirmations", blog: c.var.store.name } satisfies Job);
  await audit(c, "subscribers.imported", `${result.added} new, ${consented ? "consented" : "asked to confirm"}`);
  return {
    report: {
      column: list.column,
      added: result.added,
      kept: result.kept,
      unsubscribedBefore: result.unsubscribedBefore,
      duplicates: list.duplicates,
      notSubscribed: list.notSubscribed,
      skipped: list.problems,
    },
    toConfirm: result.toConfirm,
  };
}

/** The owners' subscribers page: counts, export, import. */
export const subscriberPages = new Hono<AdminEnv>()
  .use("/admin/subscribers", noStore)
  .get("/admin/subscribers", signedInAs("owner"), (c) => page(c))
  .post("/admin/subscribers", ...csvUpload, signedInAs("owner"), async (c) => {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || file.size === 0) {
      c.status(400);
      return page(c, { refusal: { failure: "noFile" } });
    }
    const result = await importList(c, await file.text(), form.consent === "yes", form.skipProblems === "1");
    if (result.refusal) c.status(400);
    return page(c, result);
  });

/** What the API says of a refused import, in English (for scripts): the file's problem, or the first rows named by line. */
function refusalMessage(refusal: ImportRefusal): string {
  if (refusal.failure === "noFile") return "The body holds no CSV.";
  if (refusal.failure !== "problems") return refusal.message;
  const { described } = refusal;
  const more = described.length > 10 ? `; and ${described.length - 10} more` : "";
  return `Nothing was imported: ${described.slice(0, 10).join("; ")}${more}. Fix these rows, or send skipBadRows=true to import the others.`;
}

const flag = z.optional(z.enum(["true", "false"]));
export const importQuery = z.object({ consented: flag, skipBadRows: flag });

/** `POST /api/subscribers/import`: the same import for scripts (`npm run import -- list.csv --subscribers`), the CSV as the body. */
export const subscribersApi = new Hono<AppEnv>().post(
  "/subscribers/import",
  requireRole("owner"),
  csvLimit,
  requireType("text/csv"),
  validate("query", importQuery, { code: "invalid_query" }),
  async (c) => {
    const { consented, skipBadRows } = c.req.valid("query");
    const text = await c.req.text();
    if (!text.trim()) throw new AppError("invalid_input", "The file is empty.");
    const result = await importList(c, text, consented === "true", skipBadRows === "true");
    if (result.refusal) throw new AppError("invalid_input", refusalMessage(result.refusal));
    return c.json({ import: { ...result.report, toConfirm: result.toConfirm } });
  },
);
