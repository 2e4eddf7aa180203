import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { messagesFor } from "../core/i18n";
import type { Job } from "../core/jobs";
import { type ErasureMode, type ErasureState, erasuresOf } from "../data/erasure";
import { bornHere } from "../data/exports";
import { AppError } from "../errors";
import { principal, requireRole } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import { audit } from "../http/audit";
import type { AppEnv } from "../settings";
import { ErasurePage } from "../views/pages/erasure";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { emailSchema } from "./subscribe";
import { validate } from "./validation";

export const erasureInput = z.object({
  email: emailSchema.shape.email,
  comments: z._default(z.enum(["anonymize", "delete"], { error: 'comments must be "anonymize" or "delete"' }), "anonymize"),
});

/** Starts the job (its first step); the address goes only into the queue's message. */
async function begin<E extends AppEnv>(c: Context<E>, email: string, mode: ErasureMode) {
  const who = await principal(c);
  const by = who?.kind === "person" ? `person ${who.personId}` : "operator";
  const blog = c.var.store.name;
  const state = await erasuresOf(c.env).startErasure(blog, bornHere(c), by, mode);
  await c.env.JOBS.send({ kind: "erase", blog, id: state.id, step: 0, email: email.trim().toLowerCase() } satisfies Job);
  await audit(c, "person.erased", state.id);
  return state;
}

const view = (s: Awaited<ReturnType<typeof begin>>) => ({
  id: s.id,
  status: s.status,
  comments: s.mode,
  startedAt: s.startedAt,
  finishedAt: s.finishedAt,
  ...s.counts,
});

function page(c: Context<AdminEnv>, state: ErasureState | null, notes: { error?: string; notice?: string } = {}) {
  return c.render(
    <ErasurePage
      csrf={c.get("csrf")}
      name={messagesFor(c.var.settings.blog.language).comments.formerReader}
      state={state}
      timeZone={c.var.settings.blog.timeZone}
      {...notes}
    />,
    { ...PAGE, title: wordsFor(c).erase.title },
  );
}

/** `/admin/erase` (owners): erase a subscriber's or commenter's data on request. */
export const erasurePages = new Hono<AdminEnv>()
  .use("/admin/erase", noStore)
  .get("/admin/erase", signedInAs("owner"), async (c) => {
    const id = c.req.query("id");
    const state = id ? await erasuresOf(c.env).erasure(c.var.store.name, bornHere(c), id) : null;
    return page(c, state, state && c.req.query("started") !== undefined ? { notice: wordsFor(c).erase.started } : {});
  })
  .post("/admin/erase", signedInAs("owner"), async (c) => {
    const form = erasureInput.safeParse(await c.req.parseBody());
    if (!form.success) {
      c.status(400);
      return page(c, null, { error: wordsFor(c).erase.invalidEmail });
    }
    const state = await begin(c, form.data.email, form.data.comments);
    return c.redirect(`/admin/erase?id=${state.id}&started`, 303);
  });

/** The same for scripts (owners): POST /api/erasure, GET /api/erasure/:id. */
export const erasureApi = new Hono<AppEnv>()
  .post("/erasure", requireRole("owner"), validate("json", erasureInput, { code: "invalid_email" }), async (c) => {
    const { email, comments } = c.req.valid("json");
    return c.json({ erasure: view(await begin(c, email, comments)) }, 202);
  })
  .get("/erasure/:id", requireRole("owner"), async (c) => {
    const state = await erasuresOf(c.env).erasure(c.var.store.name, bornHere(c), c.req.param("id"));
    if (!state) throw new AppError("not_found", "There is no such erasure.");
    return c.json({ erasure: view(state) });
  });
