import { allows, type Role } from "../core/people";

/**
 * A blog's personal API tokens and audit log, as SQL over the blog's own Accounts object (the
 * object keeps people and links; these are its two other tables).
 */

export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
}

/** One change as the audit log keeps it: who (the operator, a person, or a person's token), what, when. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
}

export function insertToken(sql: SqlStorage, hash: string, personId: number, blog: string, name: string, role: Role, now: string): number {
  return sql
    .exec<{ id: number }>(
      "INSERT INTO tokens (hash, person_id, blog, name, role, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      hash,
      personId,
      blog,
      name,
      role,
      now,
    )
    .one().id;
}

export function listTokens(sql: SqlStorage, personId: number): ApiToken[] {
  return sql
    .exec<{ id: number; name: string; role: string; created_at: string; last_used_at: string | null }>(
      "SELECT id, name, role, created_at, last_used_at FROM tokens WHERE person_id = ? ORDER BY id DESC",
      personId,
    )
    .toArray()
    .map((r) => ({ id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** The token's person and role on this blog (the lesser of the token's and theirs now), its last use noted to the minute. */
export function useToken(
  sql: SqlStorage,
  hash: string,
  roleNow: (personId: number) => Role | null,
  now: string,
): { personId: number; role: Role; tokenName: string } | null {
  const row = sql
    .exec<{ id: number; person_id: number; role: string; name: string; last_used_at: string | null }>(
      "SELECT id, person_id, role, name, last_used_at FROM tokens WHERE hash = ?",
      hash,
    )
    .toArray()[0];
  if (!row) return null;
  const current = roleNow(row.person_id);
  if (!current) return null;
  // Last use to the minute: a busy script does not write on every request.
  if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
    sql.exec("UPDATE tokens SET last_used_at = ? WHERE id = ?", now, row.id);
  }
  const role = allows(current, row.role as Role) ? (row.role as Role) : current;
  return { personId: row.person_id, role, tokenName: row.name };
}

export function appendAudit(sql: SqlStorage, blog: string, actor: string, action: string, target: string, now: string): void {
  sql.exec("INSERT INTO audit (blog, at, actor, action, target) VALUES (?, ?, ?, ?, ?)", blog, now, actor, action, target);
}

/** A page of the log, newest first: `limit` entries before entry `before` (0: the newest). */
export function auditPage(sql: SqlStorage, before: number, limit: number): { entries: AuditEntry[]; next: number | null } {
  const rows = sql
    .exec<{ id: number; at: string; actor: string; action: string; target: string }>(
      "SELECT id, at, actor, action, target FROM audit WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
      before,
      before,
      limit + 1,
    )
    .toArray();
  const entries = rows.slice(0, limit).map(({ id, at, actor, action, target }) => ({ id, at, actor, action, target }));
  return { entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null };
}
