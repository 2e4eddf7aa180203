import { catalogKey, isLanguage } from "../core/i18n";
import { readAdminMessages } from "../data/catalogs";
import type { Context } from "hono";
import type { Role } from "../core/people";
import { accounts } from "../data/objects";
import { AppError } from "../errors";
import { audit } from "../http/audit";
import { forgetHeldAccess, may, principal } from "../http/auth";
import { inviteMail } from "../mail/messages";
import { mailerFor } from "../mail/mailer";
import type { AppEnv } from "../settings";
import { log } from "../core/log";

/** The changes to a blog's members, the same from the API and the People page: each checked, mailed where it mails, and audited. */

/** Invites an address with a role no higher than the inviter's; the invitation is mailed after the answer. */
export async function inviteMember<E extends AppEnv>(c: Context<E>, email: string, role: Role) {
  if (!may(await principal(c), role)) throw new AppError("forbidden", `You cannot invite someone as ${role}: it is more than your role.`);
  const { token, invitation } = await accounts(c.env, c.var.store.name).invite(c.var.store.name, email, role, Date.now());
  const { settings } = c.var;
  // The invited person is known by nothing but the address: the mail speaks the blog's language.
  const language = catalogKey(settings.blog.language) ?? "en";
  const lang = isLanguage(language) ? language : "en";
  const words = await readAdminMessages(c.env, lang);
  c.executionCtx.waitUntil(
    mailerFor(c.env, settings.blog.name, settings.mail)
      .send([inviteMail(settings.blog, email, role, token, words, lang)])
      .catch((error: unknown) => log("error", "invitation mail failed", { code: "mail_unavailable", error })),
  );
  await audit(c, "member.invited", `${email} as ${role}`);
  return invitation;
}

async function memberOf<E extends AppEnv>(c: Context<E>, personId: number) {
  const member = (await accounts(c.env, c.var.store.name).members(c.var.store.name)).find((m) => m.personId === personId);
  if (!member) throw new AppError("not_found", "That person is not a member of this blog.");
  return member;
}

/** Changes a member's role (409 last_owner when it would leave the blog without one). */
export async function changeRole<E extends AppEnv>(c: Context<E>, personId: number, role: Role) {
  const current = await memberOf(c, personId);
  const { member } = await accounts(c.env, c.var.store.name).setMember(
    c.var.store.name,
    { id: current.personId, email: current.email },
    role,
    new Date().toISOString(),
  );
  forgetHeldAccess();
  await audit(c, "member.set", `${member.email} as ${member.role}`);
  return member;
}

/** Takes a member off the blog, their tokens with them (never the last owner). */
export async function removeMember<E extends AppEnv>(c: Context<E>, personId: number): Promise<void> {
  const gone = await memberOf(c, personId);
  await accounts(c.env, c.var.store.name).removeMember(c.var.store.name, personId);
  forgetHeldAccess();
  await audit(c, "member.removed", gone.email);
}
