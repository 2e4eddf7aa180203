import { DurableObject } from "cloudflare:workers";
import { type BlogRecord, type BlogSettings, MAIN_BLOG, nameProblem, objectName, type RegistrySnapshot } from "../content/blogs";
import type { FederationApi } from "../content/federation";
import { blogRoot, keyKind, platformKeys } from "../content/keys";
import { mediaPrefix } from "../content/media";
import type { CommentThread } from "../durable/comment-thread";
import type { SiteEditor } from "../durable/site-editor";
import type { Accounts } from "./accounts";
import type { Subscribers } from "../durable/subscribers";
import { migrate, type Migration, readMeta, writeMeta } from "../durable/sqlite";
import { failure, type Result } from "../errors";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec(`CREATE TABLE blogs (
      name TEXT PRIMARY KEY,
      settings TEXT NOT NULL,
      created_at TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'active',
      owner_email TEXT
    )`);
    sql.exec("CREATE TABLE domains (host TEXT PRIMARY KEY, blog TEXT NOT NULL REFERENCES blogs(name))");
  },
];

/** KV keys removed per alarm run while a blog is deleted; the alarm comes back for the rest. */
const PURGE_BATCH = 200;

/** What the main blog's row says before anyone edits its settings: follow the deployment's vars. */
const FOLLOW_VARS: BlogSettings = {
  title: null,
  description: null,
  author: null,
  language: null,
  timeZone: null,
  moderation: null,
  blockedWords: null,
  rateLimit: null,
};

type Row = {
  name: string;
  settings: string;
  created_at: string;
  state: "active" | "deleting";
};

export interface NewBlog {
  name: string;
  title: string;
  description: string | null;
  domains: string[];
  /** Who asked for the blog (kept here only, never in the KV registry): its first owner once there are accounts. */
  ownerEmail: string | null;
}

/**
 * The platform's registry of blogs (one object): names, settings and custom domains. It is the
 * only writer of the registry, so two people can never take the same name or domain, and after
 * each change it writes the whole registry to one KV key that every isolate reads. Deleting a
 * blog marks it `deleting` and an alarm removes its keys and objects in batches; a crash
 * part-way resumes at the next alarm, and the name is freed only once nothing is left.
 */
export class Blogs extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  private rows(): Row[] {
    return this.sql
      .exec<Row>("SELECT name, settings, created_at, state FROM blogs ORDER BY name <> ?, created_at, name", MAIN_BLOG)
      .toArray();
  }

  private record(row: Row, domains: Map<string, string[]>): BlogRecord {
    return {
      ...FOLLOW_VARS,
      ...(JSON.parse(row.settings) as Partial<BlogSettings>),
      name: row.name,
      domains: domains.get(row.name) ?? [],
      createdAt: row.created_at,
      state: row.state,
    };
  }

  private snapshot(): RegistrySnapshot {
    const domains = new Map<string, string[]>();
    for (const { host, blog } of this.sql.exec<{ host: string; blog: string }>("SELECT host, blog FROM domains ORDER BY host")) {
      domains.set(blog, [...(domains.get(blog) ?? []), host]);
    }
    const version = Number(readMeta(this.sql, "version") ?? 0);
    return { v: 1, version, blogs: this.rows().map((r) => this.record(r, domains)) };
  }

  /** The main blog has a row from the first time anyone asks, so it lists like any other. */
  private ensureMain(now: string) {
    this.sql.exec(
      "INSERT INTO blogs (name, settings, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING",
      MAIN_BLOG,
      JSON.stringify(FOLLOW_VARS),
      now,
    );
  }

  /** Bumps the version and writes the registry to KV, where the worker's isolates read it. */
  private async publish(): Promise<RegistrySnapshot> {
    writeMeta(this.sql, "version", String(Number(readMeta(this.sql, "version") ?? 0) + 1));
    const snapshot = this.snapshot();
    await this.env.POSTS.put(platformKeys.registry, JSON.stringify(snapshot));
    return snapshot;
  }

  private domainsTaken(domains: string[], except: string | null): string | null {
    for (const host of domains) {
      const owner = this.sql.exec<{ blog: string }>("SELECT blog FROM domains WHERE host = ?", host).toArray()[0]?.blog;
      if (owner && owner !== except) return host;
    }
    return null;
  }

  /** The registry as it stands (the main blog included). */
  async list(now: string): Promise<RegistrySnapshot> {
    this.ensureMain(now);
    return this.snapshot();
  }

  /** Creates a blog with the deployment's defaults for whatever the creator did not choose. */
  async create(input: NewBlog, defaults: BlogSettings, now: string): Promise<Result<{ blog: BlogRecord; registry: RegistrySnapshot }>> {
    this.ensureMain(now);
    const problem = nameProblem(input.name);
    if (problem === "invalid_name") {
      return failure(problem, 'A blog name is 3 to 30 lowercase letters, digits and single hyphens, e.g. "city-notes".');
    }
    if (problem) return failure(problem, `"${input.name}" is reserved; please choose another name.`);
    if (this.sql.exec("SELECT 1 FROM blogs WHERE name = ?", input.name).toArray().length) {
      return failure("name_taken", `The name "${input.name}" is already taken.`);
    }
    const taken = this.domainsTaken(input.domains, null);
    if (taken) return failure("domain_taken", `The domain ${taken} is already attached to another blog.`);
    const settings: BlogSettings = { ...defaults, title: input.title, description: input.description ?? defaults.description };
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT INTO blogs (name, settings, created_at, owner_email) VALUES (?, ?, ?, ?)",
        input.name,
        JSON.stringify(settings),
        now,
        input.ownerEmail,
      );
      for (const host of input.domains) this.sql.exec("INSERT INTO domains (host, blog) VALUES (?, ?)", host, input.name);
    });
    const registry = await this.publish();
    return { ok: true, blog: registry.blogs.find((b) => b.name === input.name)!, registry };
  }

  /** Changes a blog's settings and, when given, replaces its custom domains. */
  async configure(
    name: string,
    patch: Partial<BlogSettings>,
    domains: string[] | null,
    now: string,
  ): Promise<Result<{ blog: BlogRecord; registry: RegistrySnapshot }>> {
    this.ensureMain(now);
    const row = this.sql.exec<Row>("SELECT name, settings, created_at, state FROM blogs WHERE name = ?", name).toArray()[0];
    if (row?.state !== "active") return failure("blog_not_found", `There is no blog "${name}".`);
    if (domains) {
      const taken = this.domainsTaken(domains, name);
      if (taken) return failure("domain_taken", `The domain ${taken} is already attached to another blog.`);
    }
    const settings = { ...(JSON.parse(row.settings) as BlogSettings), ...patch };
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("UPDATE blogs SET settings = ? WHERE name = ?", JSON.stringify(settings), name);
      if (domains) {
        this.sql.exec("DELETE FROM domains WHERE blog = ?", name);
        for (const host of domains) this.sql.exec("INSERT INTO domains (host, blog) VALUES (?, ?)", host, name);
      }
    });
    const registry = await this.publish();
    return { ok: true, blog: registry.blogs.find((b) => b.name === name)!, registry };
  }

  /** Starts deleting a blog: its hosts stop answering at once, its data goes in the background. */
  async remove(name: string, now: string): Promise<Result<{ registry: RegistrySnapshot }>> {
    this.ensureMain(now);
    if (name === MAIN_BLOG) return failure("forbidden", "The main blog cannot be deleted.");
    const row = this.sql.exec<Row>("SELECT state FROM blogs WHERE name = ?", name).toArray()[0];
    if (row?.state !== "active") return failure("blog_not_found", `There is no blog "${name}".`);
    this.sql.exec("UPDATE blogs SET state = 'deleting' WHERE name = ?", name);
    const registry = await this.publish();
    await this.ctx.storage.setAlarm(Date.now());
    return { ok: true, registry };
  }

  override async alarm(): Promise<void> {
    const deleting = this.sql.exec<{ name: string }>("SELECT name FROM blogs WHERE state = 'deleting' ORDER BY name").toArray();
    const next = deleting[0];
    if (!next) return;
    const done = await this.purgeStep(next.name);
    if (done) {
      this.ctx.storage.transactionSync(() => {
        this.sql.exec("DELETE FROM domains WHERE blog = ?", next.name);
        this.sql.exec("DELETE FROM blogs WHERE name = ?", next.name);
      });
      await this.publish();
      console.log(`blog "${next.name}" deleted`);
    }
    if (!done || deleting.length > 1) await this.ctx.storage.setAlarm(Date.now() + 100);
  }

  /** The host names a blog answers at: its subdomain and its custom domains (Fedify keys its entries by them). */
  private hostsOf(blog: string): string[] {
    const domains = this.sql
      .exec<{ host: string }>("SELECT host FROM domains WHERE blog = ?", blog)
      .toArray()
      .map((r) => r.host);
    const under = (this.env.BLOGS_DOMAIN || "").toLowerCase();
    return [...(under ? [`${blog}.${under}`] : []), ...domains];
  }

  /** Removes one batch of a blog's KV keys (and the comment threads they name); true once nothing is left. */
  private async purgeStep(blog: string): Promise<boolean> {
    const kv = this.env.POSTS;
    const page = await kv.list({ prefix: blogRoot(blog), limit: PURGE_BATCH });
    const threads = new Set<string>();
    for (const { name } of page.keys) {
      const kind = keyKind(name);
      if (kind === "post" || kind === "count") threads.add(name.slice(name.lastIndexOf(":") + 1));
    }
    // Threads first: if this run dies, their keys are still there to name them next time.
    for (const slug of threads) {
      const stub = this.env.COMMENTS.get(this.env.COMMENTS.idFromName(objectName(blog, slug))) as unknown as CommentThread;
      await stub.purge();
    }
    await Promise.all(page.keys.map(({ name }) => kv.delete(name)));
    if (page.keys.length) return false;
    // Its images (R2, under the blog's prefix), a batch at a time.
    const media = await this.env.MEDIA.list({ prefix: mediaPrefix(blog), limit: PURGE_BATCH });
    if (media.objects.length) {
      await this.env.MEDIA.delete(media.objects.map((o) => o.key));
      return false;
    }
    // Its fediverse self: key pair, followers, deliveries, and Fedify's entries under its hosts.
    const federation = (this.env as { FEDERATION?: unknown }).FEDERATION as FederationApi | undefined;
    if (federation && !(await federation.forgetBlog(blog, this.hostsOf(blog)))) return false;
    const subscribers = this.env.SUBSCRIBERS.get(this.env.SUBSCRIBERS.idFromName(objectName(blog, "subscribers")));
    await (subscribers as unknown as Subscribers).purge();
    const editor = this.env.EDITOR.get(this.env.EDITOR.idFromName(objectName(blog, "site")));
    await (editor as unknown as SiteEditor).purge();
    const people = this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName("accounts"));
    await (people as unknown as Accounts).forgetBlog(blog);
    return true;
  }
}
