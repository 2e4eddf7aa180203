import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { ROLES } from "../core/people";
import { accounts } from "../data/objects";
import { requireRole } from "../http/auth";
import { jsonBody } from "../http/limits";
import type { AppEnv } from "../settings";
import { emailSchema } from "./subscribe";
import { changeRole, inviteMember, removeMember } from "./members";
import { numericId, personId, validate } from "./validation";

const role = z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` });
export const memberBody = z.extend(emailSchema, { role });
const memberParam = z.object({ id: personId("the member id must be a whole number") });

const auditQuery = z.object({ before: z.optional(numericId("before must be an entry id")) });

/**
 * A blog's members, for its owners (and the operator): list, add (a sign-in link is mailed),
 * change a role, remove; and the blog's audit log, newest first, 50 a page.
 */
export const membersApi = new Hono<AppEnv>()
  .use("/members", requireRole("owner"))
  .use("/members/*", requireRole("owner"))
  .use("/audit", requireRole("owner"))
  .get("/audit", validate("query", auditQuery, { code: "invalid_query" }), async (c) => {
    const page = await accounts(c.env, c.var.store.name).auditLog(c.var.store.name, c.req.valid("query").before ?? 0, 50);
    return c.json({ entries: page.entries, meta: { next: page.next === null ? null : `/api/audit?before=${page.next}` } });
  })
  .get("/members", async (c) => {
    const blog = c.var.store.name;
    const [members, invitations] = await Promise.all([
      accounts(c.env, c.var.store.name).members(blog),
      accounts(c.env, c.var.store.name).invitations(blog, Date.now()),
    ]);
    return c.json({ members, invitations });
  })
  .post("/members", ...jsonBody, validate("json", memberBody, { code: "invalid_input", whole: "The member" }), async (c) => {
    const { email, role } = c.req.valid("json");
    return c.json({ invitation: await inviteMember(c, email, role) }, 202);
  })
  .patch("/members/:id", validate("param", memberParam), ...jsonBody, validate("json", z.object({ role })), async (c) => {
    return c.json({ member: await changeRole(c, c.req.valid("param").id, c.req.valid("json").role) });
  })
  .delete("/members/:id", validate("param", memberParam), async (c) => {
    await removeMember(c, c.req.valid("param").id);
    return c.body(null, 204);
  });
