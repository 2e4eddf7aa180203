import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { commentThread } from "../data/comments";
import { subscribers } from "../data/objects";
import { AppError } from "../errors";
import { formBody } from "../http/limits";
import { type AdminEnv, noStore, signedIn, signedInAs } from "./admin-session";
import { numericId, postSlug, validate } from "./validation";
import { afterApproval } from "./reply-mail";
import { audit } from "../http/audit";

const moderationParam = z.object({ slug: postSlug, id: numericId("the comment id must be a whole number") });

/** Moderation from the dashboard (no JavaScript needed) and the subscribers' export. */
export const adminModeration = new Hono<AdminEnv>()
  .use("/admin/*", noStore)
  .get("/admin/subscribers.csv", signedInAs("owner"), async (c) => {
    const csv = await subscribers(c.env, c.var.store.name).csv();
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="subscribers.csv"' });
  })
  .post(
    "/admin/comments/:slug/:id",
    ...formBody,
    signedIn,
    validate("param", moderationParam, { code: "not_found", message: "There is no such comment." }),
    async (c) => {
      const { slug, id } = c.req.valid("param");
      const { action, back } = await c.req.parseBody();
      const thread = commentThread(c.env, c.var.store.name, slug);
      c.var.changes?.thread(slug);
      if (action === "approve" || action === "hide") await thread.moderate(id, action);
      else if (action === "delete") await thread.remove(id, { admin: true }, c.var.settings.comments);
      else throw new AppError("bad_request", "The action must be approve, hide or delete.");
      await audit(c, action === "approve" ? "comment.approved" : action === "hide" ? "comment.hidden" : "comment.deleted", `${slug}#${id}`);
      if (action === "approve") await afterApproval(c, slug, id);
      // Only two places to go back to: never an address taken from the form.
      return c.redirect(back === "post" ? `/posts/${slug}#comments` : "/admin", 303);
    },
  );
