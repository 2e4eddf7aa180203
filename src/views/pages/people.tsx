import type { Role } from "../../core/people";
import { ROLES } from "../../core/people";
import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { formatDateTime } from "../format";
import { SignOutForms } from "./admin";
import { Notice } from "../components/notes";
import { AdminTable } from "../components/admin-table";

interface MemberView {
  personId: number;
  email: string;
  role: Role;
  since: string;
}

function RoleSelect({ id, selected }: { id: string; selected?: Role }) {
  return (
    <select id={id} name="role">
      {ROLES.map((r) => (
        <option value={r} selected={r === (selected ?? "editor")}>
          {r}
        </option>
      ))}
    </select>
  );
}

/** The owners' page: members, open invitations, and the invitation form. */
export function PeoplePage(props: {
  csrf: string;
  members: MemberView[];
  invitations: { email: string; role: Role; expiresAt: string }[];
  timeZone: string;
  notice?: string;
}) {
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">People</h1>
      <Notice message={props.notice} />
      <AdminTable columns={["Member", "Role", "Since", { hidden: "Actions" }]}>
        {props.members.map((m) => {
          // A blog keeps an owner: its only owner is offered no change of role and no removal (they would be refused).
          const sole = m.role === "owner" && props.members.filter((o) => o.role === "owner").length === 1;
          return sole ? (
            <tr>
              <td>{m.email}</td>
              <td>owner (the only one: make someone else an owner to change this)</td>
              <td>
                <time datetime={m.since}>{formatDateTime(m.since, props.timeZone)}</time>
              </td>
              <td />
            </tr>
          ) : (
            <tr>
              <td>{m.email}</td>
              <td>
                <form method="post" action={`/admin/people/${m.personId}/role`} class="inline-form">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <label for={`role-${m.personId}`} class="visually-hidden">
                    Role of {m.email}
                  </label>
                  <RoleSelect id={`role-${m.personId}`} selected={m.role} />{" "}
                  <button type="submit" class="secondary">
                    Change
                  </button>
                </form>
              </td>
              <td>
                <time datetime={m.since}>{formatDateTime(m.since, props.timeZone)}</time>
              </td>
              <td>
                <form method="post" action={`/admin/people/${m.personId}/remove`}>
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit" class="secondary">
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          );
        })}
      </AdminTable>
      {props.invitations.length ? (
        <>
          <h2>Open invitations</h2>
          <ul>
            {props.invitations.map((i) => (
              <li>
                {i.email} as {i.role}, until <time datetime={i.expiresAt}>{formatDateTime(i.expiresAt, props.timeZone)}</time>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Invite someone</h2>
      <form method="post" action="/admin/people" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="invite-email">Email address</label>
          <input id="invite-email" name="email" type="email" required maxlength={MAX_EMAIL_LENGTH} />
        </p>
        <p>
          <label for="invite-role">Role</label>
          <RoleSelect id="invite-role" />
        </p>
        <p>
          <button type="submit">Send the invitation</button>
        </p>
      </form>
    </section>
  );
}

/** A member's own page: their sessions, their API tokens (a new one shown once), signing out. */
export function MePage(props: {
  csrf: string;
  email: string;
  role: Role;
  sessions: { createdAt: number; expiresAt: number }[];
  tokens: { id: number; name: string; role: Role; createdAt: string; lastUsedAt: string | null }[];
  timeZone: string;
  newToken?: string;
}) {
  const when = (ms: number) => formatDateTime(new Date(ms).toISOString(), props.timeZone);
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">{props.email}</h1>
      <p>Your role on this blog: {props.role}.</p>
      <h2>Your sessions</h2>
      <ul>
        {props.sessions.map((s) => (
          <li>
            Signed in {when(s.createdAt)}, until {when(s.expiresAt)}
          </li>
        ))}
      </ul>
      <div class="admin-actions">
        <SignOutForms csrf={props.csrf} />
      </div>
      <h2>API tokens</h2>
      {props.newToken ? (
        <Notice>
          Your new token (shown once; copy it now): <code>{props.newToken}</code>
        </Notice>
      ) : null}
      <ul>
        {props.tokens.map((t) => (
          <li>
            {t.name} ({t.role}), last used {t.lastUsedAt ? formatDateTime(t.lastUsedAt, props.timeZone) : "never"}{" "}
            <form method="post" action={`/admin/me/tokens/${t.id}/revoke`} class="inline-form">
              <input type="hidden" name="csrf" value={props.csrf} />
              <button type="submit" class="secondary">
                Revoke
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/admin/me/tokens" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="token-name">What the token is for</label>
          <input id="token-name" name="name" required maxlength={80} />
        </p>
        <p>
          <label for="token-role">Role</label>
          <RoleSelect id="token-role" selected={props.role} />
        </p>
        <p>
          <button type="submit">Create a token</button>
        </p>
      </form>
    </section>
  );
}
