import { Hono } from "hono";
import * as z from "zod/mini";
import { ROLES } from "../content/people";
import { accounts } from "../data/stores";
import { AppError } from "../errors";
import { may, principal, requireRole } from "../http/auth";
import { jsonBody } from "../http/limits";
import { inviteMail } from "../mail/messages";
import { mailerFor } from "../mail/mailer";
import type { AppEnv } from "../settings";
import { emailSchema } from "./subscribe";
import { numericId, validate } from "./validation";
import { audit } from "../http/audit";

const role = z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` });
export const memberBody = z.extend(emailSchema, { role });
const memberParam = z.object({ id: numericId("the member id must be a whole number") });

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
    const page = await accounts(c.env).auditLog(c.var.store.name, c.req.valid("query").before ?? 0, 50);
    return c.json({ entries: page.entries, meta: { next: page.next === null ? null : `/api/audit?before=${page.next}` } });
  })
  .get("/members", async (c) => {
    const blog = c.var.store.name;
    const [members, invitations] = await Promise.all([accounts(c.env).members(blog), accounts(c.env).invitations(blog, Date.now())]);
    return c.json({ members, invitations });
  })
  .post("/members", ...jsonBody, validate("json", memberBody, { code: "invalid_input", whole: "The member" }), async (c) => {
    const { email, role } = c.req.valid("json");
    const who = await principal(c);
    if (!may(who, role)) throw new AppError("forbidden", `You cannot invite someone as ${role}: it is more than your role.`);
    const { token, invitation } = await accounts(c.env).invite(c.var.store.name, email, role, Date.now());
    const { settings } = c.var;
    c.executionCtx.waitUntil(
      mailerFor(c.env, settings.blog.name, settings.mail)
        .send([inviteMail(settings.blog, email, role, token)])
        .catch((err: unknown) => console.error("invitation mail failed:", err)),
    );
    await audit(c, "member.invited", `${email} as ${role}`);
    return c.json({ invitation }, 202);
  })
  .patch("/members/:id", validate("param", memberParam), ...jsonBody, validate("json", z.object({ role })), async (c) => {
    const { id } = c.req.valid("param");
    const members = await accounts(c.env).members(c.var.store.name);
    const current = members.find((m) => m.personId === id);
    if (!current) throw new AppError("not_found", "That person is not a member of this blog.");
    const { member } = await accounts(c.env).setMember(c.var.store.name, current.email, c.req.valid("json").role, new Date().toISOString());
    await audit(c, "member.set", `${member.email} as ${member.role}`);
    return c.json({ member });
  })
  .delete("/members/:id", validate("param", memberParam), async (c) => {
    const { id } = c.req.valid("param");
    const gone = (await accounts(c.env).members(c.var.store.name)).find((m) => m.personId === id);
    await accounts(c.env).removeMember(c.var.store.name, id);
    await audit(c, "member.removed", gone?.email ?? String(id));
    return c.body(null, 204);
  });
