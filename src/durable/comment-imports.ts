import { parseComment } from "../core/comment-markdown";
import type { ImportedComment } from "../core/imports";

/**
 * Writes a post's imported comments into its thread (inside the caller's transaction): new ones
 * published, under the comment they answer; ones already here (found by their id in the export)
 * keep their id and status but take the export's text. Returns how many rows changed,
 * so the caller knows whether readers' pages need a new version. A comment whose Markdown cannot
 * be read is left out.
 */
export function mergeImported(sql: SqlStorage, comments: readonly ImportedComment[]): number {
  const ids = new Map<string, number>();
  for (const row of sql.exec<{ id: number; import_id: string }>("SELECT id, import_id FROM comments WHERE import_id IS NOT NULL")) {
    ids.set(row.import_id, row.id);
  }
  let added = 0;
  for (const c of comments) {
    let doc: string;
    try {
      doc = JSON.stringify(parseComment(c.markdown));
    } catch {
      continue;
    }
    const known = ids.get(c.id);
    if (known !== undefined) {
      // A re-published import may have changed a comment: readers' caches must see a new version.
      added += sql.exec(
        "UPDATE comments SET author = ?, author_url = ?, body = ?, doc = ? WHERE id = ? AND status != 'deleted' AND (author IS NOT ? OR author_url IS NOT ? OR body IS NOT ?)",
        c.author,
        c.url,
        c.markdown,
        doc,
        known,
        c.author,
        c.url,
        c.markdown,
      ).rowsWritten;
      continue;
    }
    const parent = c.parent === null ? null : (ids.get(c.parent) ?? null);
    const id = sql
      .exec<{ id: number }>(
        `INSERT INTO comments (parent_id, author, author_url, commenter, body, doc, status, created_at, import_id)
           VALUES (?, ?, ?, ?, ?, ?, 'published', ?, ?) RETURNING id`,
        parent,
        c.author,
        c.url,
        `import:${c.id}`,
        c.markdown,
        doc,
        c.date,
        c.id,
      )
      .one().id;
    ids.set(c.id, id);
    added++;
  }
  return added;
}

/**
 * A thread's published comments as an export's comments file holds them (oldest first), the file
 * `npm run import` takes back: each keeps the id it was imported with, or `c-<id>` for one written
 * here, and the comment it answers when that one is published too. No address, IP or token leaves.
 */
export function exportedComments(sql: SqlStorage): ImportedComment[] {
  const rows = sql
    .exec<{
      id: number;
      parent_id: number | null;
      import_id: string | null;
      author: string;
      author_url: string | null;
      body: string;
      created_at: string;
    }>(
      "SELECT id, parent_id, import_id, author, author_url, body, created_at FROM comments WHERE status = 'published' ORDER BY created_at, id",
    )
    .toArray();
  const ids = new Map(rows.map((r) => [r.id, r.import_id ?? `c-${r.id}`]));
  return rows.map((r) => ({
    id: ids.get(r.id)!,
    parent: r.parent_id === null ? null : (ids.get(r.parent_id) ?? null),
    author: r.author,
    url: r.author_url,
    date: r.created_at,
    markdown: r.body,
  }));
}
