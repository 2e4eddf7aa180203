import { AdminSection } from "../components/admin-section";
import type { FollowerView } from "../../core/federation";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";
import { AdminTable } from "../components/admin-table";
import { useWords } from "../admin-words";
import { sayParts } from "../../core/i18n/parts";

/** The blog's followers in the fediverse, for its owners: who, since when, and Remove. */
export function FollowersPage(props: {
  handle: string;
  followers: FollowerView[] | null;
  csrf: string;
  timeZone: string;
  notice?: string;
}) {
  const words = useWords();
  const w = words.followers;
  return (
    <AdminSection title={w.title}>
      <p>{sayParts(w.intro, { handle: <strong>{props.handle}</strong> })}</p>
      <Notice message={props.notice} />
      {props.followers === null ? (
        <ErrorNote message={w.unavailable} />
      ) : props.followers.length ? (
        <AdminTable columns={[w.columns.follower, w.columns.since, { hidden: w.columns.action }]}>
          {props.followers.map((f) => (
            <tr>
              <td>
                {f.url ? (
                  <a href={f.url} rel="nofollow noopener external">
                    {f.handle}
                  </a>
                ) : (
                  f.handle
                )}
              </td>
              <td>
                <time datetime={f.createdAt}>{formatDateTime(f.createdAt, props.timeZone, words.locale)}</time>
              </td>
              <td>
                <form method="post" action="/admin/followers">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <input type="hidden" name="actor" value={f.id} />
                  <button type="submit" class="small danger">
                    {w.remove}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </AdminTable>
      ) : (
        <p>{w.none}</p>
      )}
    </AdminSection>
  );
}
