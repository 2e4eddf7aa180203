/**
 * Earlier versions kept every blog's people in one Accounts object (named "accounts"). Each
 * blog's own object takes its part once, on first use or when the upgrade asks; the old object
 * then forgets it. These are the two sides of that move, as SQL.
 */

export interface BlogPeople {
  people: { id: number; email: string; created_at: string }[];
  members: { person_id: number; role: string; created_at: string }[];
  invites: { hash: string; email: string; expires_at: number; data: string }[];
  tokens: { id: number; hash: string; person_id: number; name: string; role: string; created_at: string; last_used_at: string | null }[];
  audit: { id: number; at: string; actor: string; action: string; target: string }[];
}

/** Everything the single object holds of one blog (open invitations, not sign-in links of 15 minutes). */
export function exportBlog(sql: SqlStorage, blog: string, now: number): BlogPeople {
  const members = sql.exec<BlogPeople["members"][number]>("SELECT person_id, role, created_at FROM members WHERE blog = ?", blog).toArray();
  const tokens = sql
    .exec<BlogPeople["tokens"][number]>("SELECT id, hash, person_id, name, role, created_at, last_used_at FROM tokens WHERE blog = ?", blog)
    .toArray();
  const invites = sql
    .exec<BlogPeople["invites"][number]>(
      "SELECT hash, email, expires_at, data FROM links WHERE blog = ? AND purpose = 'invite' AND used_at IS NULL AND expires_at > ?",
      blog,
      now,
    )
    .toArray();
  const ids = [...new Set([...members.map((m) => m.person_id), ...tokens.map((t) => t.person_id)])];
  const people = ids.length
    ? sql
        .exec<BlogPeople["people"][number]>(
          `SELECT id, email, created_at FROM people WHERE id IN (${ids.map(() => "?").join(",")})`,
          ...ids,
        )
        .toArray()
    : [];
  const audit = sql
    .exec<BlogPeople["audit"][number]>("SELECT id, at, actor, action, target FROM audit WHERE blog = ? ORDER BY id", blog)
    .toArray();
  return { people, members, invites, tokens, audit };
}

/** The blogs the single object still holds something of, up to `limit`. */
export function blogsLeft(sql: SqlStorage, limit: number): string[] {
  return sql
    .exec<{ blog: string }>(
      `SELECT blog FROM (SELECT blog FROM members UNION SELECT blog FROM tokens UNION SELECT blog FROM audit
       UNION SELECT blog FROM links WHERE purpose = 'invite') ORDER BY blog LIMIT ?`,
      limit,
    )
    .toArray()
    .map((r) => r.blog);
}

/** Forgets one blog in the single object (moved, or deleted before it was moved). */
export function forgetBlog(sql: SqlStorage, blog: string): void {
  for (const table of ["members", "links", "tokens", "audit"]) sql.exec(`DELETE FROM ${table} WHERE blog = ?`, blog);
}

/**
 * Writes a blog's part into its own object. `ids` maps each old person id to the id their
 * person object keeps (the same, unless the address made a new account before the move).
 */
export function importBlog(sql: SqlStorage, blog: string, data: BlogPeople, ids: Map<number, number>): void {
  const id = (old: number) => ids.get(old) ?? old;
  for (const p of data.people) {
    sql.exec("INSERT OR IGNORE INTO people (id, email, created_at) VALUES (?, ?, ?)", id(p.id), p.email, p.created_at);
  }
  for (const m of data.members) {
    sql.exec(
      "INSERT OR IGNORE INTO members (blog, person_id, role, created_at) VALUES (?, ?, ?, ?)",
      blog,
      id(m.person_id),
      m.role,
      m.created_at,
    );
  }
  for (const l of data.invites) {
    sql.exec(
      "INSERT OR IGNORE INTO links (hash, purpose, blog, email, expires_at, data) VALUES (?, 'invite', ?, ?, ?, ?)",
      l.hash,
      blog,
      l.email,
      l.expires_at,
      l.data,
    );
  }
  for (const t of data.tokens) {
    sql.exec(
      "INSERT OR IGNORE INTO tokens (id, hash, person_id, blog, name, role, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      t.id,
      t.hash,
      id(t.person_id),
      blog,
      t.name,
      t.role,
      t.created_at,
      t.last_used_at,
    );
  }
  for (const a of data.audit) {
    sql.exec(
      "INSERT OR IGNORE INTO audit (id, blog, at, actor, action, target) VALUES (?, ?, ?, ?, ?, ?)",
      a.id,
      blog,
      a.at,
      a.actor,
      a.action,
      a.target,
    );
  }
}
