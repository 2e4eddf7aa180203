import { DurableObject } from "cloudflare:workers";
import { secondsToWait } from "../core/windows";
import { toBase64url } from "../core/base64url";
import { allows, hashOf as hash, LEGACY_ACCOUNTS, personKey, type Role, ROLES, TOKEN_PREFIX } from "../core/people";
import { migrate, readMeta, wipe, writeMeta } from "../durable/sqlite";
import { MIGRATIONS } from "./account-schema";
import { type HeldMail, heldMailOf, heldNotice, setHeldMail, takeDigest } from "./held-mail";
import { failure, type Result } from "../errors";
import { type ApiToken, type AuditEntry, appendAudit, auditPage, insertToken, listTokens, useToken } from "./account-records";
import { type BlogPeople, blogsLeft, exportBlog, forgetBlog, importBlog } from "./accounts-move";
import { LINK_MS, type PersonRef } from "./person";
import { log } from "../core/log";

export type { ApiToken, AuditEntry } from "./account-records";

/** Sign-in links mailed per member's address per hour on a blog (requests per IP are counted by its Address object). */
const MEMBER_LINKS_PER_HOUR = 5;
/** How long the hand-over from the main host to a new blog's host may take. */
const HANDOFF_MS = 2 * 60_000;
/** How long an invitation stays open. */
export const INVITE_MS = 7 * 24 * 3600_000;

export interface Invitation {
  email: string;
  role: Role;
  expiresAt: string;
}

export interface Member {
  personId: number;
  email: string;
  role: Role;
  since: string;
}

/**
 * One blog's people (one object per blog): its members and their roles, the one-time links
 * mailed for it (sign-in, invitations, the hand-over after creation), its members' personal
 * tokens and its audit log. A person's id comes from their own Person object, so it is the same
 * on every blog. A link is stored as a hash, good once, for a limited time, on this blog only.
 *
 * A blog of an earlier version takes its part of the single object once, on its first call
 * (one call to the old object per blog, ever); a blog created since starts with nothing to take.
 */
export class Accounts extends DurableObject<Env> {
  private sql: SqlStorage;
  private own = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, MIGRATIONS);
      this.own = readMeta(this.sql, "people") === "own";
    });
  }

  private person(email: string): { id: number } | undefined {
    return this.sql.exec<{ id: number }>("SELECT id FROM people WHERE email = ?", email).toArray()[0];
  }

  private emailOfId(personId: number): string | undefined {
    return this.sql.exec<{ email: string }>("SELECT email FROM people WHERE id = ?", personId).toArray()[0]?.email;
  }

  /** Takes this blog's part of the earlier versions' single object, once. */
  private async ready(blog: string): Promise<void> {
    if (this.own) return;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.own) return;
      const data = await this.legacy().exportBlog(blog, Date.now());
      // Each person's object keeps (or already has) their id; members' objects learn of the blog.
      const memberIds = new Set(data.members.map((m) => m.person_id));
      const ids = new Map<number, number>();
      await Promise.all(
        data.people.map(async (p) => {
          const stub = await this.personObject(p.email);
          ids.set(p.id, (await stub.adopt(p.id, p.email, p.created_at)).id);
          if (memberIds.has(p.id)) await stub.joined(blog);
        }),
      );
      this.ctx.storage.transactionSync(() => {
        importBlog(this.sql, blog, data, ids);
        writeMeta(this.sql, "people", "own");
      });
      this.own = true;
    });
    // The old object forgets what moved (if this fails, the upgrade asks again: move()).
    await this.legacy()
      .forgetBlog(blog)
      .catch((error: unknown) => log("warn", "accounts moved, not yet forgotten by the old object", { blog, error }));
  }

  private legacy(): DurableObjectStub<Accounts> {
    return this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(LEGACY_ACCOUNTS));
  }

  private async personObject(email: string) {
    return this.env.PEOPLE.get(this.env.PEOPLE.idFromName(await personKey(email)));
  }

  /** A blog created by this version: there is nothing to take from the old object. */
  async begin(): Promise<void> {
    writeMeta(this.sql, "people", "own");
    this.own = true;
  }

  /** The upgrade's step for one blog of an earlier version: its part moved here and forgotten there. */
  async move(blog: string): Promise<void> {
    await this.ready(blog);
    await this.legacy().forgetBlog(blog);
  }

  /** Admits a person (from their Person object) to this blog's list of people; a different person under that id is refused. */
  private admit(person: PersonRef, now: string): Result<{ id: number }> {
    const known = this.person(person.email);
    if (known?.id === person.id) return { ok: true, id: known.id };
    const other = this.emailOfId(person.id);
    if (other !== undefined || known) {
      // Two people with one id (random ids of 53 bits: see newId), or an account made again: never mixed.
      return failure("account_conflict", "This account cannot be added to this blog. Please contact the operator.");
    }
    this.sql.exec("INSERT INTO people (id, email, created_at) VALUES (?, ?, ?)", person.id, person.email, now);
    return { ok: true, id: person.id };
  }

  private roleOf(personId: number): Role | null {
    const row = this.sql.exec<{ role: string }>("SELECT role FROM members WHERE person_id = ?", personId).toArray()[0];
    return row && (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : null;
  }

  /** A person's role on the blog, or null. */
  async role(blog: string, personId: number): Promise<Role | null> {
    await this.ready(blog);
    return this.roleOf(personId);
  }

  /** A person's address, when they have been a member of this blog. */
  async emailOf(blog: string, personId: number): Promise<string | null> {
    await this.ready(blog);
    return this.emailOfId(personId) ?? null;
  }

  /** What a member is mailed of comments waiting for moderation (held-mail.ts). */
  async heldMail(blog: string, personId: number): Promise<HeldMail | null> {
    await this.ready(blog);
    return heldMailOf(this.sql, blog, personId);
  }

  async setHeldMail(blog: string, personId: number, mode: HeldMail): Promise<void> {
    await this.ready(blog);
    setHeldMail(this.sql, blog, personId, mode);
  }

  /** A comment now waits for moderation: whom to mail now, and whether to schedule the digest. */
  async heldNotice(blog: string, slug: string, id: number): Promise<{ each: string[]; scheduleDigest: boolean }> {
    await this.ready(blog);
    return heldNotice(this.sql, blog, slug, id, Date.now());
  }

  /** The day's digest of comments waiting, when due. */
  async heldDigest(blog: string): Promise<{ waitMs: number; to: string[]; posts: { slug: string; count: number }[] }> {
    await this.ready(blog);
    return takeDigest(this.sql, blog, Date.now());
  }

  /** The blog's members, owners first. */
  async members(blog: string): Promise<Member[]> {
    await this.ready(blog);
    return this.sql
      .exec<{ person_id: number; email: string; role: string; created_at: string }>(
        `SELECT m.person_id, p.email, m.role, m.created_at FROM members m JOIN people p ON p.id = m.person_id
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, p.email`,
      )
      .toArray()
      .map((r) => ({ personId: r.person_id, email: r.email, role: r.role as Role, since: r.created_at }));
  }

  private owners(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM members WHERE role = 'owner'").one().n;
  }

  /**
   * Gives a person a role on the blog, or changes it; the last owner keeps being one. The caller
   * has told the person's object first (its list of blogs may name more, never fewer).
   */
  async setMember(blog: string, person: PersonRef, role: Role, now: string): Promise<Result<{ member: Member }>> {
    await this.ready(blog);
    const admitted = this.admit(person, now);
    if (!admitted.ok) return admitted;
    const current = this.roleOf(person.id);
    if (current === "owner" && role !== "owner" && this.owners() === 1) {
      return failure("last_owner", "A blog keeps at least one owner: make someone else owner first.");
    }
    this.sql.exec(
      `INSERT INTO members (blog, person_id, role, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(blog, person_id) DO UPDATE SET role = excluded.role`,
      blog,
      person.id,
      role,
      now,
    );
    const member = (await this.members(blog)).find((m) => m.personId === person.id)!;
    return { ok: true, member };
  }

  /** Takes a person off the blog (never its last owner), and their tokens with them. */
  async removeMember(blog: string, personId: number): Promise<Result<{ removed: true }>> {
    await this.ready(blog);
    const role = this.roleOf(personId);
    if (!role) return failure("not_found", "That person is not a member of this blog.");
    if (role === "owner" && this.owners() === 1) {
      return failure("last_owner", "A blog keeps at least one owner: make someone else owner first.");
    }
    this.sql.exec("DELETE FROM members WHERE person_id = ?", personId);
    this.sql.exec("DELETE FROM tokens WHERE person_id = ?", personId);
    const email = this.emailOfId(personId);
    if (email) await (await this.personObject(email)).left(blog).catch(() => undefined);
    return { ok: true, removed: true };
  }

  /**
   * A sign-in link for a member of the blog, or null for an address that is not one (the caller
   * answers the same either way and mails only a real link).
   */
  async signInLink(blog: string, email: string, now: number): Promise<Result<{ token: string | null }>> {
    await this.ready(blog);
    this.sql.exec("DELETE FROM links WHERE expires_at <= ?", now - LINK_MS);
    const person = this.person(email);
    let member = !!person && !!this.roleOf(person.id);
    // Mail to an address is limited per blog and only for its members (strangers get no mail), so
    // asking in someone's name elsewhere never locks them out of their own blog. Past the limit the
    // answer stays the same (a 429 would tell members from strangers); only no new link is mailed.
    if (member) {
      if (this.over("signin-member", email, 3600_000, MEMBER_LINKS_PER_HOUR, now) !== null) member = false;
      else this.sql.exec("INSERT INTO attempts (kind, key, at) VALUES (?, ?, ?)", "signin-member", email, now);
    }
    // The same work either way (a token made, hashed and stored), so the time does not tell members apart;
    // a stranger's row can never be used (its purpose matches no link) and goes with the expired ones.
    const token = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
    this.sql.exec(
      "INSERT INTO links (hash, purpose, blog, email, expires_at) VALUES (?, ?, ?, ?, ?)",
      await hash(token),
      member ? "signin" : "none",
      blog,
      email,
      now + LINK_MS,
    );
    return { ok: true, token: member ? token : null };
  }

  /** Whether a link is good now on this blog (the page with the button), without using it. */
  async checkLink(blog: string, token: string, now: number): Promise<{ ok: boolean; email?: string }> {
    await this.ready(blog);
    const row = await this.linkOf("signin", token);
    return row && row.blog === blog && row.used_at === null && row.expires_at > now ? { ok: true, email: row.email } : { ok: false };
  }

  private async linkOf(purpose: "signin" | "handoff" | "invite", token: string) {
    return this.sql
      .exec<{ hash: string; blog: string; email: string; expires_at: number; used_at: number | null; data: string | null }>(
        "SELECT hash, blog, email, expires_at, used_at, data FROM links WHERE hash = ? AND purpose = ?",
        await hash(token),
        purpose,
      )
      .toArray()[0];
  }

  /** Uses a sign-in link: the person it signs in, with their role on the blog now. */
  async useLink(blog: string, token: string, now: number): Promise<Result<{ personId: number; email: string; role: Role }>> {
    await this.ready(blog);
    const row = await this.linkOf("signin", token);
    const invalid = failure(
      "invalid_link",
      "This sign-in link is not valid (it works once, for 15 minutes, on the blog it was asked on). Ask for a new one.",
    );
    if (!row || row.blog !== blog || row.used_at !== null || row.expires_at <= now) return invalid;
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, row.hash);
    const person = this.person(row.email);
    const role = person ? this.roleOf(person.id) : null;
    if (!person || !role) return invalid;
    return { ok: true, personId: person.id, email: row.email, role };
  }

  /** Counts a request against a limit; answers the seconds to wait when it is over. */
  private over(kind: string, key: string, windowMs: number, max: number, now: number): number | null {
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - 24 * 3600_000);
    const rows = this.sql
      .exec<{ at: number }>("SELECT at FROM attempts WHERE kind = ? AND key = ? AND at > ? ORDER BY at", kind, key, now - windowMs)
      .toArray();
    return secondsToWait(rows, windowMs, max, now);
  }

  /** A short-lived, single-use token that signs a member in on the blog's own host (after creating it on the main host). */
  async handoff(blog: string, personId: number, now: number): Promise<string> {
    await this.ready(blog);
    const token = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
    this.sql.exec(
      "INSERT INTO links (hash, purpose, blog, email, expires_at) VALUES (?, 'handoff', ?, ?, ?)",
      await hash(token),
      blog,
      this.emailOfId(personId) ?? "",
      now + HANDOFF_MS,
    );
    return token;
  }

  /** Uses a hand-over token on its blog: the person it signs in. */
  async useHandoff(blog: string, token: string, now: number): Promise<Result<{ personId: number; role: Role }>> {
    await this.ready(blog);
    const row = await this.linkOf("handoff", token);
    const invalid = failure("invalid_link", "This sign-in hand-over is not valid any more. Sign in with your email address.");
    if (!row || row.blog !== blog || row.used_at !== null || row.expires_at <= now) return invalid;
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, row.hash);
    const person = this.person(row.email);
    const role = person ? this.roleOf(person.id) : null;
    return person && role ? { ok: true, personId: person.id, role } : invalid;
  }

  /** Creates a token for a member, with a role no higher than theirs; the token itself is answered once and never kept. */
  async createToken(
    blog: string,
    personId: number,
    name: string,
    role: Role,
    now: string,
  ): Promise<Result<{ token: string; info: ApiToken }>> {
    await this.ready(blog);
    const mine = this.roleOf(personId);
    if (!mine || !allows(mine, role)) return failure("forbidden", `A token cannot have more than your role (${mine ?? "none"}).`);
    const token = `${TOKEN_PREFIX}${toBase64url(crypto.getRandomValues(new Uint8Array(32)))}`;
    const id = insertToken(this.sql, await hash(token), personId, blog, name, role, now);
    return { ok: true, token, info: { id, name, role, createdAt: now, lastUsedAt: null } };
  }

  /** A member's tokens on the blog (never the tokens themselves). */
  async tokens(blog: string, personId: number): Promise<ApiToken[]> {
    await this.ready(blog);
    return listTokens(this.sql, personId);
  }

  async revokeToken(blog: string, personId: number, id: number): Promise<Result<{ revoked: true }>> {
    await this.ready(blog);
    const gone = this.sql.exec("DELETE FROM tokens WHERE id = ? AND person_id = ? RETURNING id", id, personId).toArray();
    return gone.length ? { ok: true, revoked: true } : failure("not_found", "There is no such token.");
  }

  /** Who a token acts as on this blog: its person, with the lesser of the token's role and their role now; null when it is not good here. */
  async tokenPrincipal(blog: string, token: string, now: string): Promise<{ personId: number; role: Role; tokenName: string } | null> {
    await this.ready(blog);
    return useToken(this.sql, await hash(token), (id) => this.roleOf(id), now);
  }

  /** Records a change on the blog; `personId` null is the operator. */
  async record(
    blog: string,
    who: { personId: number | null; tokenName?: string },
    action: string,
    target: string,
    now: string,
  ): Promise<void> {
    await this.ready(blog);
    const email = who.personId === null ? null : this.emailOfId(who.personId);
    const actor = email ? (who.tokenName ? `${email} (token “${who.tokenName}”)` : email) : "the operator";
    appendAudit(this.sql, blog, actor, action, target, now);
  }

  /** The blog's changes, newest first: a page of `limit` before entry `before` (0: the newest). */
  async auditLog(blog: string, before: number, limit: number): Promise<{ entries: AuditEntry[]; next: number | null }> {
    await this.ready(blog);
    return auditPage(this.sql, before, limit);
  }

  /** Invites an address with a role (replacing an open invitation of the same address); answers the token to mail. */
  async invite(blog: string, email: string, role: Role, now: number): Promise<{ token: string; invitation: Invitation }> {
    await this.ready(blog);
    this.sql.exec("DELETE FROM links WHERE purpose = 'invite' AND email = ? AND used_at IS NULL", email);
    const token = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
    const expiresAt = now + INVITE_MS;
    this.sql.exec(
      "INSERT INTO links (hash, purpose, blog, email, expires_at, data) VALUES (?, 'invite', ?, ?, ?, ?)",
      await hash(token),
      blog,
      email,
      expiresAt,
      JSON.stringify({ role }),
    );
    return { token, invitation: { email, role, expiresAt: new Date(expiresAt).toISOString() } };
  }

  /** The blog's open invitations. */
  async invitations(blog: string, now: number): Promise<Invitation[]> {
    await this.ready(blog);
    return this.sql
      .exec<{ email: string; data: string; expires_at: number }>(
        "SELECT email, data, expires_at FROM links WHERE purpose = 'invite' AND used_at IS NULL AND expires_at > ? ORDER BY email",
        now,
      )
      .toArray()
      .map((r) => ({ email: r.email, role: (JSON.parse(r.data) as { role: Role }).role, expiresAt: new Date(r.expires_at).toISOString() }));
  }

  /** An invitation while it is open on this blog (the page with the button). */
  async checkInvite(blog: string, token: string, now: number): Promise<{ ok: boolean; email?: string; role?: Role }> {
    await this.ready(blog);
    const row = await this.linkOf("invite", token);
    if (!row || row.blog !== blog || row.used_at !== null || row.expires_at <= now) return { ok: false };
    return { ok: true, email: row.email, role: (JSON.parse(row.data ?? "{}") as { role: Role }).role };
  }

  /**
   * Accepts an invitation for `person` (the invited address's, from their Person object): they
   * become a member with the invited role, never a lower one than they had.
   */
  async acceptInvite(blog: string, token: string, person: PersonRef, now: number): Promise<Result<{ personId: number; role: Role }>> {
    const invite = await this.checkInvite(blog, token, now);
    if (!invite.ok || invite.email !== person.email) {
      return failure("invalid_link", "This invitation is not valid any more (it lasts 7 days and works once). Ask for a new one.");
    }
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, await hash(token));
    const at = new Date(now).toISOString();
    const admitted = this.admit(person, at);
    if (!admitted.ok) return admitted;
    const current = this.roleOf(person.id);
    if (!current || !allows(current, invite.role!)) {
      const set = await this.setMember(blog, person, invite.role!, at);
      if (!set.ok) return set;
    }
    return { ok: true, personId: person.id, role: this.roleOf(person.id)! };
  }

  /**
   * The blog is being deleted: its people's objects forget it, then everything here goes (an
   * earlier version's blog never moved is forgotten by the old object too).
   */
  async purge(blog: string): Promise<void> {
    if (!this.own) await this.legacy().forgetBlog(blog);
    const emails = this.sql.exec<{ email: string }>("SELECT email FROM people").toArray();
    await Promise.all(emails.map(async (p) => (await this.personObject(p.email)).left(blog)));
    await wipe(this.ctx.storage, MIGRATIONS);
    this.own = false;
  }

  // The single object of earlier versions (named LEGACY_ACCOUNTS), asked by each blog's own object once.

  /** One blog's part (the old object only). */
  async exportBlog(blog: string, now: number): Promise<BlogPeople> {
    return exportBlog(this.sql, blog, now);
  }

  /** Forgets one blog's part (the old object only). */
  async forgetBlog(blog: string): Promise<void> {
    forgetBlog(this.sql, blog);
  }

  /** The blogs whose part is still here, up to `limit` (the old object only). */
  async blogsLeft(limit: number): Promise<string[]> {
    return blogsLeft(this.sql, limit);
  }
}
