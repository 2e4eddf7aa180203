/**
 * A comment thread as nightly backups keep it (core/backups.ts), and put back from one: every
 * comment but its IP address, and the post's likes and boosts. The fingerprint of those rows goes
 * with the thread's count key (its KV metadata), so a night's backup asks only the threads whose
 * fingerprint moved.
 */
import { type BackupComment, type ErasedPeople, sha256, type ThreadBackup } from "../core/backups";
import { contentValidator } from "../core/hash";
import { anonymize } from "./comment-people";

const BACKUP_COLUMNS =
  "id, parent_id, author, email, commenter, body, doc, status, created_at, edited_at, import_id, author_url, remote_id, remote_actor, notify";

export function threadBackup(sql: SqlStorage): ThreadBackup {
  const comments = sql.exec<BackupComment>(`SELECT ${BACKUP_COLUMNS} FROM comments ORDER BY id`).toArray();
  const reactions = sql.exec<{ kind: string; actor: string }>("SELECT kind, actor FROM reactions ORDER BY kind, actor").toArray();
  return { h: fingerprint(comments, reactions), comments, reactions };
}

export const fingerprint = (comments: BackupComment[], reactions: ThreadBackup["reactions"]) =>
  contentValidator(JSON.stringify([comments, reactions]));

/**
 * Replaces the thread's rows with a backup's, but leaves out again the people erased on request
 * since (`erased`: hashes of their addresses and browsers → what the owner chose). Answers false
 * when the thread already holds exactly that.
 */
export async function restoreThread(
  storage: DurableObjectStorage,
  backup: Omit<ThreadBackup, "h">,
  erased: ErasedPeople,
  formerReader: string,
): Promise<boolean> {
  const sql = storage.sql;
  const hashes = new Map<BackupComment, string | undefined>();
  for (const c of backup.comments) {
    const mode = (c.email && erased[await sha256(c.email.trim().toLowerCase())]) || erased[await sha256(c.commenter)];
    hashes.set(c, mode);
  }
  const current = threadBackup(sql);
  const wanted = fingerprint(backup.comments, backup.reactions);
  if (current.h === wanted && !backup.comments.some((c) => hashes.get(c))) return false;
  storage.transactionSync(() => {
    sql.exec("DELETE FROM comments");
    sql.exec("DELETE FROM reactions");
    for (const c of backup.comments) {
      sql.exec(
        `INSERT INTO comments (${BACKUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...[c.id, c.parent_id, c.author, c.email, c.commenter, c.body, c.doc, c.status, c.created_at, c.edited_at],
        ...[c.import_id, c.author_url, c.remote_id, c.remote_actor, c.notify],
      );
      const mode = hashes.get(c);
      if (mode === "anonymize") anonymize(sql, c.id, formerReader);
      else if (mode === "delete")
        sql.exec("UPDATE comments SET body = '', doc = '[]', email = NULL, status = 'deleted' WHERE id = ?", c.id);
    }
    for (const r of backup.reactions) sql.exec("INSERT OR IGNORE INTO reactions (kind, actor) VALUES (?, ?)", r.kind, r.actor);
  });
  return true;
}
