import { DurableObject } from "cloudflare:workers";
import { toBase64url } from "../content/base64url";
import { allows, type Role, ROLES, TOKEN_PREFIX } from "../content/people";
import { migrate, type Migration } from "../durable/sqlite";
import { failure, type Result } from "../errors";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec("CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)");
    sql.exec(`CREATE TABLE members (
      blog TEXT NOT NULL,
      person_id INTEGER NOT NULL REFERENCES people(id),
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (blog, person_id)
    )`);
    sql.exec("CREATE INDEX members_person ON members (person_id)");
    // One-time links: only a hash of each token is kept.
    sql.exec(`CREATE TABLE links (
      hash TEXT PRIMARY KEY,
      purpose TEXT NOT NULL,
      blog TEXT NOT NULL,
      email TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    )`);
    sql.exec("CREATE INDEX links_expiry ON links (expires_at)");
  },
  // "+ Create my blog": what a creation link creates, and the requests counted for the abuse limits.
  (sql) => {
    sql.exec("ALTER TABLE links ADD COLUMN data TEXT");
    sql.exec("CREATE TABLE attempts (kind TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX attempts_key ON attempts (kind, key, at)");
  },
  // Personal API tokens: only a hash is kept; each acts as its person on one blog, with at most their role.
  (sql) => {
    sql.exec(`CREATE TABLE tokens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      hash TEXT NOT NULL UNIQUE,
      person_id INTEGER NOT NULL REFERENCES people(id),
      blog TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_used_at TEXT
    )`);
    sql.exec("CREATE INDEX tokens_owner ON tokens (blog, person_id)");
  },
  // Who changed what, per blog.
  (sql) => {
    sql.exec(`CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      blog TEXT NOT NULL,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL
    )`);
    sql.exec("CREATE INDEX audit_blog ON audit (blog, id)");
  },
];

/** One change as the audit log keeps it: who (the operator, a person, or a person's token), what, when. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
}

export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Sign-in links asked per IP per hour, and mailed per member's address and blog per hour. */
export const SIGNIN_LIMITS = { perIpHour: 30, perEmailHour: 5 } as const;
/** "+ Create my blog" limits: requests per address (IP) per hour, per email per day, and blogs asked for per day in all. */
export const SIGNUP_LIMITS = { perIpHour: 5, perEmailDay: 3, perDay: 200 } as const;
/** How long the hand-over from the main host to a new blog's host may take. */
const HANDOFF_MS = 2 * 60_000;

export type SignupMode = "open" | "invite" | "closed";

/** How long a mailed sign-in link stays good. */
export const LINK_MS = 15 * 60_000;
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

async function hash(token: string): Promise<string> {
  return toBase64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
}

/**
 * The platform's people (one object): accounts by email, their role on each blog, and the
 * one-time sign-in links mailed to them. A link is stored as a hash, good for 15 minutes, once,
 * on the blog it was asked on.
 */
export class Accounts extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  private person(email: string): { id: number } | undefined {
    return this.sql.exec<{ id: number }>("SELECT id FROM people WHERE email = ?", email).toArray()[0];
  }

  private ensurePerson(email: string, now: string): number {
    const known = this.person(email);
    if (known) return known.id;
    return this.sql.exec<{ id: number }>("INSERT INTO people (email, created_at) VALUES (?, ?) RETURNING id", email, now).one().id;
  }

  /** A person's role on a blog, or null. */
  async role(blog: string, personId: number): Promise<Role | null> {
    const row = this.sql.exec<{ role: string }>("SELECT role FROM members WHERE blog = ? AND person_id = ?", blog, personId).toArray()[0];
    return row && (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : null;
  }

  /** The blogs a person is a member of ("sign out everywhere" ends their sessions on each). */
  async blogsOf(personId: number): Promise<string[]> {
    return this.sql
      .exec<{ blog: string }>("SELECT blog FROM members WHERE person_id = ? ORDER BY blog", personId)
      .toArray()
      .map((r) => r.blog);
  }

  /** A blog's members, owners first. */
  async members(blog: string): Promise<Member[]> {
    return this.sql
      .exec<{ person_id: number; email: string; role: string; created_at: string }>(
        `SELECT m.person_id, p.email, m.role, m.created_at FROM members m JOIN people p ON p.id = m.person_id
         WHERE m.blog = ? ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, p.email`,
        blog,
      )
      .toArray()
      .map((r) => ({ personId: r.person_id, email: r.email, role: r.role as Role, since: r.created_at }));
  }

  private owners(blog: string): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM members WHERE blog = ? AND role = 'owner'", blog).one().n;
  }

  /** Gives a person (created if new) a role on a blog, or changes it; the last owner keeps being one. */
  async setMember(blog: string, email: string, role: Role, now: string): Promise<Result<{ member: Member }>> {
    const personId = this.ensurePerson(email, now);
    const current = await this.role(blog, personId);
    if (current === "owner" && role !== "owner" && this.owners(blog) === 1) {
      return failure("last_owner", "A blog keeps at least one owner: make someone else owner first.");
    }
    this.sql.exec(
      `INSERT INTO members (blog, person_id, role, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(blog, person_id) DO UPDATE SET role = excluded.role`,
      blog,
      personId,
      role,
      now,
    );
    const member = (await this.members(blog)).find((m) => m.personId === personId)!;
    return { ok: true, member };
  }

  /** Takes a person off a blog (never its last owner). */
  async removeMember(blog: string, personId: number): Promise<Result<{ removed: true }>> {
    const role = await this.role(blog, personId);
    if (!role) return failure("not_found", "That person is not a member of this blog.");
    if (role === "owner" && this.owners(blog) === 1) {
      return failure("last_owner", "A blog keeps at least one owner: make someone else owner first.");
    }
    this.sql.exec("DELETE FROM members WHERE blog = ? AND person_id = ?", blog, personId);
    this.sql.exec("DELETE FROM tokens WHERE blog = ? AND person_id = ?", blog, personId);
    return { ok: true, removed: true };
  }

  /**
   * A sign-in link for a member of the blog, or null for an address that is not one (the caller
   * answers the same either way and mails only a real link).
   */
  async signInLink(blog: string, email: string, ip: string, now: number): Promise<Result<{ token: string | null }>> {
    const wait = this.over("signin-ip", ip, 3600_000, SIGNIN_LIMITS.perIpHour, now);
    if (wait !== null) return failure("rate_limited", `Too many sign-in requests. Try again in ${wait} seconds.`, wait);
    this.sql.exec("INSERT INTO attempts (kind, key, at) VALUES (?, ?, ?)", "signin-ip", ip, now);
    this.sql.exec("DELETE FROM links WHERE expires_at <= ?", now - LINK_MS);
    const person = this.person(email);
    let member = !!person && !!(await this.role(blog, person.id));
    // Mail to an address is limited per blog and only for its members (strangers get no mail), so
    // asking in someone's name elsewhere never locks them out of their own blog. Past the limit the
    // answer stays the same (a 429 would tell members from strangers); only no new link is mailed.
    if (member) {
      const key = `${blog}\n${email}`;
      if (this.over("signin-member", key, 3600_000, SIGNIN_LIMITS.perEmailHour, now) !== null) member = false;
      else this.sql.exec("INSERT INTO attempts (kind, key, at) VALUES (?, ?, ?)", "signin-member", key, now);
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
    const row = await this.link(token);
    return row && row.blog === blog && row.used_at === null && row.expires_at > now ? { ok: true, email: row.email } : { ok: false };
  }

  private link(token: string) {
    return this.linkOf("signin", token);
  }

  private async linkOf(purpose: "signin" | "create" | "handoff" | "invite", token: string) {
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
    const row = await this.link(token);
    const invalid = failure(
      "invalid_link",
      "This sign-in link is not valid (it works once, for 15 minutes, on the blog it was asked on). Ask for a new one.",
    );
    if (!row || row.blog !== blog || row.used_at !== null || row.expires_at <= now) return invalid;
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, row.hash);
    const person = this.person(row.email);
    const role = person ? await this.role(blog, person.id) : null;
    if (!person || !role) return invalid;
    return { ok: true, personId: person.id, email: row.email, role };
  }

  /** Counts a request against a limit; answers the seconds to wait when it is over. */
  private over(kind: string, key: string, windowMs: number, max: number, now: number): number | null {
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - 24 * 3600_000);
    const rows = this.sql
      .exec<{ at: number }>("SELECT at FROM attempts WHERE kind = ? AND key = ? AND at > ? ORDER BY at", kind, key, now - windowMs)
      .toArray();
    if (rows.length >= max) return Math.max(1, Math.ceil((rows[rows.length - max]!.at + windowMs - now) / 1000));
    return null;
  }

  /**
   * A link that creates blog `name` for `email` (and the account if needed), or why not:
   * sign-ups closed (or by invitation and the address has no account), or a limit reached.
   */
  async createLink(
    input: { email: string; name: string; title: string; ip: string },
    mode: SignupMode,
    now: number,
  ): Promise<Result<{ token: string | null }>> {
    if (mode === "closed") return failure("signups_closed", "New blogs cannot be created here at the moment.");
    const checks: [string, string, number, number, string][] = [
      ["ip", input.ip, 3600_000, SIGNUP_LIMITS.perIpHour, "Too many requests from your address"],
      ["email", input.email, 24 * 3600_000, SIGNUP_LIMITS.perEmailDay, "Too many requests for this email address today"],
      ["all", "", 24 * 3600_000, SIGNUP_LIMITS.perDay, "Too many new blogs today"],
    ];
    for (const [kind, key, windowMs, max, what] of checks) {
      const wait = this.over(kind, key, windowMs, max, now);
      if (wait !== null) return failure("rate_limited", `${what}. Try again in ${wait} seconds.`, wait);
    }
    for (const [kind, key] of checks) this.sql.exec("INSERT INTO attempts (kind, key, at) VALUES (?, ?, ?)", kind, key, now);
    // By invitation: only people who already have an account (the same answer either way).
    if (mode === "invite" && !this.person(input.email)) return { ok: true, token: null };
    const token = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
    this.sql.exec(
      "INSERT INTO links (hash, purpose, blog, email, expires_at, data) VALUES (?, 'create', ?, ?, ?, ?)",
      await hash(token),
      input.name,
      input.email,
      now + LINK_MS,
      JSON.stringify({ title: input.title }),
    );
    return { ok: true, token };
  }

  /** A creation link's request while it is good, without using it (the page with the button). */
  async checkCreateLink(token: string, now: number): Promise<{ ok: boolean; email?: string; name?: string; title?: string }> {
    const row = await this.linkOf("create", token);
    if (!row || row.used_at !== null || row.expires_at <= now) return { ok: false };
    return { ok: true, email: row.email, name: row.blog, title: (JSON.parse(row.data ?? "{}") as { title?: string }).title ?? row.blog };
  }

  /** Uses a creation link: the account (made if new) and the blog it asks for. */
  async useCreateLink(token: string, now: number): Promise<Result<{ personId: number; email: string; name: string; title: string }>> {
    const request = await this.checkCreateLink(token, now);
    if (!request.ok) return failure("invalid_link", "This link is not valid: it works once, within 15 minutes. Ask again at /create.");
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, await hash(token));
    const personId = this.ensurePerson(request.email!, new Date(now).toISOString());
    return { ok: true, personId, email: request.email!, name: request.name!, title: request.title! };
  }

  /** A short-lived, single-use token that signs a person in on a blog's own host (after creating it on the main host). */
  async handoff(blog: string, personId: number, now: number): Promise<string> {
    const token = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
    const email = this.sql.exec<{ email: string }>("SELECT email FROM people WHERE id = ?", personId).one().email;
    this.sql.exec(
      "INSERT INTO links (hash, purpose, blog, email, expires_at) VALUES (?, 'handoff', ?, ?, ?)",
      await hash(token),
      blog,
      email,
      now + HANDOFF_MS,
    );
    return token;
  }

  /** Uses a hand-over token on its blog: the person it signs in. */
  async useHandoff(blog: string, token: string, now: number): Promise<Result<{ personId: number; role: Role }>> {
    const row = await this.linkOf("handoff", token);
    const invalid = failure("invalid_link", "This sign-in hand-over is not valid any more. Sign in with your email address.");
    if (!row || row.blog !== blog || row.used_at !== null || row.expires_at <= now) return invalid;
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, row.hash);
    const person = this.person(row.email);
    const role = person ? await this.role(blog, person.id) : null;
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
    const mine = await this.role(blog, personId);
    if (!mine || !allows(mine, role)) return failure("forbidden", `A token cannot have more than your role (${mine ?? "none"}).`);
    const token = `${TOKEN_PREFIX}${toBase64url(crypto.getRandomValues(new Uint8Array(32)))}`;
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO tokens (hash, person_id, blog, name, role, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        await hash(token),
        personId,
        blog,
        name,
        role,
        now,
      )
      .one().id;
    return { ok: true, token, info: { id, name, role, createdAt: now, lastUsedAt: null } };
  }

  /** A member's tokens on a blog (never the tokens themselves). */
  async tokens(blog: string, personId: number): Promise<ApiToken[]> {
    return this.sql
      .exec<{ id: number; name: string; role: string; created_at: string; last_used_at: string | null }>(
        "SELECT id, name, role, created_at, last_used_at FROM tokens WHERE blog = ? AND person_id = ? ORDER BY id DESC",
        blog,
        personId,
      )
      .toArray()
      .map((r) => ({ id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
  }

  async revokeToken(blog: string, personId: number, id: number): Promise<Result<{ revoked: true }>> {
    const gone = this.sql.exec("DELETE FROM tokens WHERE id = ? AND blog = ? AND person_id = ? RETURNING id", id, blog, personId).toArray();
    return gone.length ? { ok: true, revoked: true } : failure("not_found", "There is no such token.");
  }

  /** Who a token acts as on this blog: its person, with the lesser of the token's role and their role now; null when it is not good here. */
  async tokenPrincipal(blog: string, token: string, now: string): Promise<{ personId: number; role: Role; tokenName: string } | null> {
    const row = this.sql
      .exec<{ id: number; person_id: number; blog: string; role: string; name: string; last_used_at: string | null }>(
        "SELECT id, person_id, blog, role, name, last_used_at FROM tokens WHERE hash = ?",
        await hash(token),
      )
      .toArray()[0];
    if (!row || row.blog !== blog) return null;
    const current = await this.role(blog, row.person_id);
    if (!current) return null;
    // Last use to the minute: a busy script does not write on every request.
    if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
      this.sql.exec("UPDATE tokens SET last_used_at = ? WHERE id = ?", now, row.id);
    }
    const role = allows(current, row.role as Role) ? (row.role as Role) : current;
    return { personId: row.person_id, role, tokenName: row.name };
  }

  /** Records a change on a blog; `personId` null is the operator. */
  async record(
    blog: string,
    who: { personId: number | null; tokenName?: string },
    action: string,
    target: string,
    now: string,
  ): Promise<void> {
    const email =
      who.personId === null
        ? null
        : this.sql.exec<{ email: string }>("SELECT email FROM people WHERE id = ?", who.personId).toArray()[0]?.email;
    const actor = email ? (who.tokenName ? `${email} (token “${who.tokenName}”)` : email) : "the operator";
    this.sql.exec("INSERT INTO audit (blog, at, actor, action, target) VALUES (?, ?, ?, ?, ?)", blog, now, actor, action, target);
  }

  /** A blog's changes, newest first: a page of `limit` before entry `before` (0: the newest). */
  async auditLog(blog: string, before: number, limit: number): Promise<{ entries: AuditEntry[]; next: number | null }> {
    const rows = this.sql
      .exec<{ id: number; at: string; actor: string; action: string; target: string }>(
        "SELECT id, at, actor, action, target FROM audit WHERE blog = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
        blog,
        before,
        before,
        limit + 1,
      )
      .toArray();
    const entries = rows.slice(0, limit).map(({ id, at, actor, action, target }) => ({ id, at, actor, action, target }));
    return { entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null };
  }

  /** Invites an address to a blog with a role (replacing an open invitation of the same address); answers the token to mail. */
  async invite(blog: string, email: string, role: Role, now: number): Promise<{ token: string; invitation: Invitation }> {
    this.sql.exec("DELETE FROM links WHERE purpose = 'invite' AND blog = ? AND email = ? AND used_at IS NULL", blog, email);
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

  /** A blog's open invitations. */
  async invitations(blog: string, now: number): Promise<Invitation[]> {
    return this.sql
      .exec<{ email: string; data: string; expires_at: number }>(
        "SELECT email, data, expires_at FROM links WHERE purpose = 'invite' AND blog = ? AND used_at IS NULL AND expires_at > ? ORDER BY email",
        blog,
        now,
      )
      .toArray()
      .map((r) => ({ email: r.email, role: (JSON.parse(r.data) as { role: Role }).role, expiresAt: new Date(r.expires_at).toISOString() }));
  }

  /** An invitation while it is open on this blog (the page with the button). */
  async checkInvite(blog: string, token: string, now: number): Promise<{ ok: boolean; email?: string; role?: Role }> {
    const row = await this.linkOf("invite", token);
    if (!row || row.blog !== blog || row.used_at !== null || row.expires_at <= now) return { ok: false };
    return { ok: true, email: row.email, role: (JSON.parse(row.data ?? "{}") as { role: Role }).role };
  }

  /** Accepts an invitation: the account (made if new) becomes a member with the invited role. */
  async acceptInvite(blog: string, token: string, now: number): Promise<Result<{ personId: number; role: Role }>> {
    const invite = await this.checkInvite(blog, token, now);
    if (!invite.ok)
      return failure("invalid_link", "This invitation is not valid any more (it lasts 7 days and works once). Ask for a new one.");
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, await hash(token));
    const at = new Date(now).toISOString();
    const personId = this.ensurePerson(invite.email!, at);
    const current = await this.role(blog, personId);
    // Accepting never lowers a role the person already has.
    if (!current || !allows(current, invite.role!)) await this.setMember(blog, invite.email!, invite.role!, at);
    return { ok: true, personId, role: (await this.role(blog, personId))! };
  }

  /** Forgets a blog's memberships (the blog is being deleted). */
  async forgetBlog(blog: string): Promise<void> {
    this.sql.exec("DELETE FROM members WHERE blog = ?", blog);
    this.sql.exec("DELETE FROM links WHERE blog = ?", blog);
    this.sql.exec("DELETE FROM tokens WHERE blog = ?", blog);
    this.sql.exec("DELETE FROM audit WHERE blog = ?", blog);
  }
}
