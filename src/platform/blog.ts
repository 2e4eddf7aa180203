import { accountsName } from "../core/people";
import { DurableObject } from "cloudflare:workers";
import { type BlogRecord, type BlogSettings, CLOSED_GRACE_MS, FOLLOW_VARS, MAIN_BLOG, nameProblem } from "../core/blogs";
import { customHostnameUrl, type OwnerDomain } from "../core/custom-domain";
import { type DirectoryRow, onDirectory } from "../core/directory";
import { platformKeys } from "../core/keys";
import { migrate, type Migration, readMeta, wipe, writeMeta } from "../durable/sqlite";
import { failure, type Result } from "../errors";
import type { Domain } from "./domain";
import { legacyHolder } from "./legacy";
import { purgeStep } from "./purge";
import { log } from "../core/log";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec(`CREATE TABLE blog (
      name TEXT PRIMARY KEY,
      settings TEXT NOT NULL,
      created_at TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'active',
      owner_email TEXT,
      version INTEGER NOT NULL DEFAULT 0
    )`);
    sql.exec("CREATE TABLE domains (host TEXT PRIMARY KEY)");
  },
  // A blog its owner deleted: when its data goes (until then it can be restored).
  (sql) => {
    sql.exec("ALTER TABLE blog ADD COLUMN purge_at TEXT");
  },
  // The owner's own domain, through Cloudflare for SaaS (core/custom-domain.ts): one at most.
  (sql) => {
    sql.exec("CREATE TABLE owner_domain (host TEXT PRIMARY KEY, state TEXT NOT NULL)");
  },
];

type Row = {
  name: string;
  settings: string;
  created_at: string;
  state: BlogRecord["state"];
  owner_email: string | null;
  version: number;
  purge_at: string | null;
};

export interface NewBlog {
  name: string;
  title: string;
  description: string | null;
  domains: string[];
  /** Who asked for the blog (kept here and in the operator's directory, never in KV). */
  ownerEmail: string | null;
}

/** How long the directory (D1) may be out of reach before the alarm tries again. */
const DIRECTORY_RETRY_MS = 5_000;

/**
 * One blog's name (an object per name, `idFromName(name)`): it alone decides whether the name
 * is free, keeps the blog's settings and custom domains, and writes the blog's KV record (under
 * its name and each of its domains), which is all a request needs to find the blog. A change
 * writes 1 + (its domains) keys, whatever the number of blogs. Deleting marks the blog
 * `deleting` (its hosts answer 404 at once) and an alarm removes its data in batches; the name is
 * free again only once nothing is left. The operator's directory (D1) gets a row after each change,
 * retried by the alarm when D1 cannot be reached.
 */
export class Blog extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  private row(): Row | undefined {
    return this.sql.exec<Row>("SELECT name, settings, created_at, state, owner_email, version, purge_at FROM blog").toArray()[0];
  }

  private domains(): string[] {
    return this.sql
      .exec<{ host: string }>("SELECT host FROM domains ORDER BY host")
      .toArray()
      .map((r) => r.host);
  }

  private ownerDomainValue(): OwnerDomain | null {
    const row = this.sql.exec<{ state: string }>("SELECT state FROM owner_domain").toArray()[0];
    return row ? (JSON.parse(row.state) as OwnerDomain) : null;
  }

  private record(row: Row): BlogRecord {
    const own = this.ownerDomainValue();
    return {
      ...FOLLOW_VARS,
      ...(JSON.parse(row.settings) as Partial<BlogSettings>),
      name: row.name,
      domains: this.domains(),
      createdAt: row.created_at,
      state: row.state,
      version: row.version,
      ...(row.state === "closed" && row.purge_at ? { purgeAt: row.purge_at } : {}),
      ...(own?.status === "active" && this.domains().includes(own.host) ? { primaryDomain: own.host } : {}),
    };
  }

  /** The owner's own domain and where Cloudflare is with it (null: none). */
  async ownerDomain(): Promise<OwnerDomain | null> {
    return this.ownerDomainValue();
  }

  /**
   * Keeps what Cloudflare says of the owner's domain. Once it is active the blog is served there (a
   * custom domain like the operator's, claimed the same way) and becomes its address; null forgets it
   * and the blog leaves it.
   */
  async setOwnerDomain(name: string, next: OwnerDomain | null, now: string): Promise<Result<{ blog: BlogRecord }>> {
    const before = this.ownerDomainValue();
    if (next && before && before.host !== next.host)
      return failure("invalid_domain", `The blog already has its own domain, ${before.host}: remove it first.`);
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM owner_domain");
      if (next) this.sql.exec("INSERT INTO owner_domain (host, state) VALUES (?, ?)", next.host, JSON.stringify(next));
    });
    const domains = this.domains();
    const host = next?.host ?? before?.host;
    const served = !!host && domains.includes(host);
    if (next?.status === "active" && !served) return this.configure(name, {}, [...domains, next.host], now);
    if (host && served && next?.status !== "active")
      return this.configure(
        name,
        {},
        domains.filter((d) => d !== host),
        now,
      );
    const row = this.row();
    if (!row) return failure("blog_not_found", `There is no blog "${name}".`);
    return { ok: true, blog: await this.publish([], now) };
  }

  /** The blog's record as requests see it, or null when the name is free. */
  async get(): Promise<BlogRecord | null> {
    const row = this.row();
    return row ? this.record(row) : null;
  }

  /** Creates a blog with the deployment's defaults for whatever the creator did not choose. */
  async create(input: NewBlog, defaults: BlogSettings, now: string): Promise<Result<{ blog: BlogRecord }>> {
    const problem = nameProblem(input.name);
    if (problem === "invalid_name") {
      return failure(problem, 'A blog name is 3 to 30 lowercase letters, digits and single hyphens, e.g. "city-notes".');
    }
    if (problem) return failure(problem, `"${input.name}" is reserved; please choose another name.`);
    const settings: BlogSettings = { ...defaults, title: input.title, description: input.description ?? defaults.description };
    // The check and the row (the claim) together, nothing else let in between: neither a second
    // creation of the name nor the upgrade's adoption of an earlier version's blog of that name.
    const taken = await this.ctx.blockConcurrencyWhile(async () => {
      const existing = this.row();
      if (input.name === MAIN_BLOG || existing || (await legacyHolder(this.env, { name: input.name }))) {
        return existing?.state === "deleting" || existing?.state === "closed" ? " (its old blog is still being deleted)" : "";
      }
      this.sql.exec(
        "INSERT INTO blog (name, settings, created_at, owner_email) VALUES (?, ?, ?, ?)",
        input.name,
        JSON.stringify(settings),
        now,
        input.ownerEmail,
      );
      return null;
    });
    if (taken !== null) return failure("name_taken", `The name "${input.name}" is already taken${taken}.`);
    const hosts = [...new Set(input.domains)];
    try {
      const held = await this.claimDomains(input.name, hosts);
      if (held) {
        this.sql.exec("DELETE FROM blog");
        return failure("domain_taken", `The domain ${held} is already attached to another blog.`);
      }
      for (const host of hosts) this.sql.exec("INSERT INTO domains (host) VALUES (?)", host);
      // A new blog's people start from nothing: its object never asks the old single Accounts object.
      await this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(accountsName(input.name))).begin();
      return { ok: true, blog: await this.publish([], now) };
    } catch (err) {
      // A creation that failed part-way (a domain's object or KV out of reach) leaves the name free to try again.
      await Promise.allSettled([
        ...hosts.map((host) => this.domain(host).release(input.name)),
        this.env.POSTS.delete(platformKeys.blog(input.name)),
        ...hosts.map((host) => this.env.POSTS.delete(platformKeys.domain(host))),
      ]);
      this.sql.exec("DELETE FROM domains");
      this.sql.exec("DELETE FROM blog");
      throw err;
    }
  }

  /** Changes the blog's settings and, when given, replaces its custom domains. The main blog gets its row on its first change. */
  async configure(name: string, patch: Partial<BlogSettings>, asked: string[] | null, now: string): Promise<Result<{ blog: BlogRecord }>> {
    const domains = asked && [...new Set(asked)];
    if (name === MAIN_BLOG && !this.row()) {
      this.sql.exec("INSERT INTO blog (name, settings, created_at) VALUES (?, ?, ?)", MAIN_BLOG, JSON.stringify(FOLLOW_VARS), now);
    }
    if (this.row()?.state !== "active") return failure("blog_not_found", `There is no blog "${name}".`);
    let released: string[] = [];
    if (domains) {
      const added = domains.filter((d) => !this.domains().includes(d));
      const taken = await this.claimDomains(name, added);
      if (taken) return failure("domain_taken", `The domain ${taken} is already attached to another blog.`);
      released = this.domains().filter((d) => !domains.includes(d));
    }
    // Read again after the awaits above: a change that ran meanwhile is kept, not overwritten.
    const row = this.row();
    if (row?.state !== "active") return failure("blog_not_found", `There is no blog "${name}".`);
    const settings = { ...(JSON.parse(row.settings) as BlogSettings), ...patch };
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("UPDATE blog SET settings = ?", JSON.stringify(settings));
      if (domains) {
        this.sql.exec("DELETE FROM domains");
        for (const host of domains) this.sql.exec("INSERT INTO domains (host) VALUES (?)", host);
      }
    });
    const blog = await this.publish(released, now);
    await Promise.all(released.map((host) => this.domain(host).release(name)));
    return { ok: true, blog };
  }

  /** Starts deleting the blog (the operator; a closed one too): its hosts stop answering at once, its data goes in the background. */
  async remove(name: string, now: string): Promise<Result<{ blog: BlogRecord }>> {
    if (name === MAIN_BLOG) return failure("forbidden", "The main blog cannot be deleted.");
    const state = this.row()?.state;
    if (state !== "active" && state !== "closed") return failure("blog_not_found", `There is no blog "${name}".`);
    this.sql.exec("UPDATE blog SET state = 'deleting'");
    const blog = await this.publish([], now);
    await this.ctx.storage.setAlarm(Date.now());
    return { ok: true, blog };
  }

  /**
   * Its owner deletes the blog: readers get 404 at once, its members may still sign in and restore
   * it until `purgeAt` (CLOSED_GRACE_MS later), when the alarm starts removing its data.
   */
  async close(name: string, now: string, graceMs = CLOSED_GRACE_MS): Promise<Result<{ blog: BlogRecord }>> {
    if (name === MAIN_BLOG) return failure("forbidden", "The main blog cannot be deleted.");
    if (this.row()?.state !== "active") return failure("blog_not_found", `There is no blog "${name}".`);
    const purgeAt = new Date(Date.parse(now) + graceMs).toISOString();
    this.sql.exec("UPDATE blog SET state = 'closed', purge_at = ?", purgeAt);
    const blog = await this.publish([], now);
    await this.ctx.storage.setAlarm(Date.parse(purgeAt));
    return { ok: true, blog };
  }

  /** Its owner changes their mind before `purgeAt`: the blog answers again, as it was. */
  async reopen(name: string, now: string): Promise<Result<{ blog: BlogRecord }>> {
    if (this.row()?.state !== "closed") return failure("not_found", `The blog "${name}" is not waiting to be deleted.`);
    this.sql.exec("UPDATE blog SET state = 'active', purge_at = NULL");
    return { ok: true, blog: await this.publish([], now) };
  }

  /** The main blog's row, made (following the vars) the first time the operator lists the blogs. */
  async ensureMain(now: string): Promise<BlogRecord> {
    const row = this.row();
    if (row) return this.record(row);
    this.sql.exec("INSERT INTO blog (name, settings, created_at) VALUES (?, ?, ?)", MAIN_BLOG, JSON.stringify(FOLLOW_VARS), now);
    return this.publish([], now);
  }

  /**
   * Takes a blog from the single registry of earlier versions (the upgrade): its settings,
   * domains, creation time and state as they were. A name that already has a row keeps it.
   */
  async adopt(record: BlogRecord, ownerEmail: string | null, now: string): Promise<boolean> {
    if (this.row()) return false;
    const { name, domains, createdAt, state, version: _version, ...settings } = record;
    this.sql.exec(
      "INSERT INTO blog (name, settings, created_at, state, owner_email) VALUES (?, ?, ?, ?, ?)",
      name,
      JSON.stringify(settings),
      createdAt,
      state,
      ownerEmail,
    );
    for (const host of domains) {
      if (await this.domain(host).claim(name, host)) this.sql.exec("INSERT INTO domains (host) VALUES (?)", host);
      else log("warn", "upgrade: a domain is held by another blog; left out", { blog: name, host });
    }
    await this.publish([], now);
    if (state === "deleting") await this.ctx.storage.setAlarm(Date.now());
    return true;
  }

  override async alarm(): Promise<void> {
    let row = this.row();
    if (!row) return;
    if (row.state === "closed") {
      // Not yet (or the alarm was run early): it comes back when the grace ends.
      const due = Date.parse(row.purge_at ?? "");
      if (Date.now() < due) {
        await this.ctx.storage.setAlarm(due);
        return;
      }
      this.sql.exec("UPDATE blog SET state = 'deleting'");
      await this.publish([], new Date().toISOString());
      row = this.row()!;
    }
    if (row.state === "deleting") {
      if (!(await purgeStep(this.env, row.name, this.hosts(row.name)))) {
        await this.ctx.storage.setAlarm(Date.now() + 100);
        return;
      }
      if (!(await this.releaseOwnerDomain())) {
        await this.ctx.storage.setAlarm(Date.now() + 60_000);
        return;
      }
      await this.forget(row.name);
      log("info", "blog deleted", { blog: row.name });
      return;
    }
    if (readMeta(this.sql, "unlisted")) await this.list(this.record(row), row.owner_email, new Date().toISOString());
  }

  /** A deleted blog's own domain is deleted at Cloudflare too; false while Cloudflare cannot be reached (the alarm tries again). */
  private async releaseOwnerDomain(): Promise<boolean> {
    const own = this.ownerDomainValue();
    const { CF_ZONE_ID: zone, CF_API_TOKEN: token } = this.env;
    if (!own || !zone || !token) return true;
    const res = await fetch(customHostnameUrl(this.env.CF_API_BASE, zone, own.id), {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => null);
    if (!res || res.status >= 500 || res.status === 429) return false;
    await res.body?.cancel();
    return true;
  }

  private domain(host: string) {
    return this.env.DOMAINS.get(this.env.DOMAINS.idFromName(host)) as unknown as Pick<Domain, "claim" | "release">;
  }

  /** Claims each host for `name`; on the first one held elsewhere, lets the others go again and answers it. */
  private async claimDomains(name: string, hosts: string[]): Promise<string | null> {
    const claimed: string[] = [];
    for (const host of hosts) {
      if (!(await this.domain(host).claim(name, host))) {
        await Promise.all(claimed.map((h) => this.domain(h).release(name)));
        return host;
      }
      claimed.push(host);
    }
    return null;
  }

  /** The host names the blog answers at: its subdomain and its custom domains (Fedify keys its entries by them). */
  private hosts(name: string): string[] {
    const under = (this.env.BLOGS_DOMAIN || "").toLowerCase();
    return [...(under ? [`${name}.${under}`] : []), ...this.domains()];
  }

  /** Bumps the version and writes the record under the name and each domain; `released` domains lose theirs. */
  private async publish(released: string[], now: string): Promise<BlogRecord> {
    this.sql.exec("UPDATE blog SET version = version + 1");
    const row = this.row()!;
    const record = this.record(row);
    const text = JSON.stringify(record);
    const kv = this.env.POSTS;
    await Promise.all([
      kv.put(platformKeys.blog(record.name), text),
      ...record.domains.map((host) => kv.put(platformKeys.domain(host), text)),
      ...released.map((host) => kv.delete(platformKeys.domain(host))),
    ]);
    await this.list(record, row.owner_email, now);
    return record;
  }

  /** The operator's directory row; when D1 cannot be reached the alarm tries again (the blog itself works meanwhile). */
  private async list(record: BlogRecord, ownerEmail: string | null, now: string): Promise<void> {
    const db = this.env.PLATFORM;
    const row: DirectoryRow = {
      name: record.name,
      title: record.title,
      description: record.description,
      state: record.state,
      created_at: record.createdAt,
      domains: JSON.stringify(record.domains),
      owner_email: ownerEmail,
      updated_at: now,
    };
    try {
      await onDirectory(db, () =>
        db
          .prepare(
            `INSERT INTO blogs (name, title, description, state, created_at, domains, owner_email, updated_at, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET title = excluded.title, description = excluded.description, state = excluded.state, created_at = excluded.created_at,
               domains = excluded.domains, owner_email = excluded.owner_email, updated_at = excluded.updated_at`,
          )
          .bind(
            row.name,
            row.title,
            row.description,
            row.state,
            row.created_at,
            row.domains,
            row.owner_email,
            row.updated_at,
            row.name === MAIN_BLOG ? 0 : 1,
          )
          .run(),
      );
      this.sql.exec("DELETE FROM meta WHERE key = 'unlisted'");
    } catch (err) {
      log("warn", "the directory row could not be written; retrying", { blog: record.name, error: err });
      writeMeta(this.sql, "unlisted", "1");
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + DIRECTORY_RETRY_MS);
    }
  }

  /** Everything of the blog is gone: its records, domains and directory row go too, and the name is free. */
  private async forget(name: string): Promise<void> {
    const hosts = this.domains();
    const kv = this.env.POSTS;
    await Promise.all([kv.delete(platformKeys.blog(name)), ...hosts.map((host) => kv.delete(platformKeys.domain(host)))]);
    await Promise.all(hosts.map((host) => this.domain(host).release(name)));
    const db = this.env.PLATFORM;
    await onDirectory(db, () => db.prepare("DELETE FROM blogs WHERE name = ?").bind(name).run());
    await wipe(this.ctx.storage, MIGRATIONS);
  }
}
