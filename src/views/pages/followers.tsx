import type { FollowerView } from "../../core/federation";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";
import { AdminTable } from "../components/admin-table";

/** The blog's followers in the fediverse, for its owners: who, since when, and Remove. */
export function FollowersPage(props: {
  handle: string;
  followers: FollowerView[] | null;
  csrf: string;
  timeZone: string;
  notice?: string;
}) {
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">Followers in the fediverse</h1>
      <p>
        People follow this blog from Mastodon and other servers as <strong>{props.handle}</strong>. New posts, edits and deletions reach
        them through a queue; their replies arrive as comments, under the blog's moderation rules.
      </p>
      <Notice message={props.notice} />
      {props.followers === null ? (
        <ErrorNote message="The federation worker is unavailable right now." />
      ) : props.followers.length ? (
        <AdminTable columns={["Follower", "Since", { hidden: "Action" }]}>
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
                <time datetime={f.createdAt}>{formatDateTime(f.createdAt, props.timeZone)}</time>
              </td>
              <td>
                <form method="post" action="/admin/followers">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <input type="hidden" name="actor" value={f.id} />
                  <button type="submit" class="small danger">
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </AdminTable>
      ) : (
        <p>Nobody follows this blog from the fediverse yet.</p>
      )}
    </section>
  );
}
