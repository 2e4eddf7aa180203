import { AdminSection } from "../components/admin-section";
import type { Role } from "../../core/people";
import { ROLES } from "../../core/people";
import { MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { formatDateTime } from "../format";
import { HeldMailForm, LanguageForm, SignOutForms } from "../components/account-forms";
import type { HeldMail } from "../../core/people";
import { ErrorNote, Notice } from "../components/notes";
import { AdminTable } from "../components/admin-table";
import { useWords } from "../admin-words";
import { type Language, say } from "../../core/i18n";
import { sayParts } from "../../core/i18n/parts";

interface MemberView {
  personId: number;
  email: string;
  role: Role;
  since: string;
}

function RoleSelect({ id, selected }: { id: string; selected?: Role }) {
  const roles = useWords().roles;
  return (
    <select id={id} name="role">
      {ROLES.map((r) => (
        <option value={r} selected={r === (selected ?? "editor")}>
          {roles[r]}
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
  const words = useWords();
  const w = words.people;
  const when = (iso: string) => formatDateTime(iso, props.timeZone, words.locale);
  return (
    <AdminSection title={w.title}>
      <Notice message={props.notice} />
      <AdminTable columns={[w.columns.member, w.columns.role, w.columns.since, { hidden: w.columns.actions }]}>
        {props.members.map((m) => {
          // A blog keeps an owner: its only owner is offered no change of role and no removal (they would be refused).
          const sole = m.role === "owner" && props.members.filter((o) => o.role === "owner").length === 1;
          return sole ? (
            <tr>
              <td>{m.email}</td>
              <td>{w.soleOwner}</td>
              <td>
                <time datetime={m.since}>{when(m.since)}</time>
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
                    {say(w.roleOf, { email: m.email })}
                  </label>
                  <RoleSelect id={`role-${m.personId}`} selected={m.role} />{" "}
                  <button type="submit" class="secondary">
                    {w.change}
                  </button>
                </form>
              </td>
              <td>
                <time datetime={m.since}>{when(m.since)}</time>
              </td>
              <td>
                <form method="post" action={`/admin/people/${m.personId}/remove`}>
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit" class="secondary">
                    {w.remove}
                  </button>
                </form>
              </td>
            </tr>
          );
        })}
      </AdminTable>
      {props.invitations.length ? (
        <>
          <h2>{w.invitations}</h2>
          <ul>
            {props.invitations.map((i) => (
              <li>
                {sayParts(w.invitation, {
                  email: i.email,
                  role: words.roles[i.role],
                  when: <time datetime={i.expiresAt}>{when(i.expiresAt)}</time>,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{w.invite}</h2>
      <form method="post" action="/admin/people" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="invite-email">{w.email}</label>
          <input id="invite-email" name="email" type="email" required maxlength={MAX_EMAIL_LENGTH} />
        </p>
        <p>
          <label for="invite-role">{w.role}</label>
          <RoleSelect id="invite-role" />
        </p>
        <p>
          <button type="submit">{w.send}</button>
        </p>
      </form>
    </AdminSection>
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
  notice?: string;
  language: { chosen: Language | null; browser: Language };
  heldMail: HeldMail;
}) {
  const words = useWords();
  const w = words.me;
  const when = (ms: number) => formatDateTime(new Date(ms).toISOString(), props.timeZone, words.locale);
  return (
    <AdminSection title={props.email}>
      <Notice message={props.notice} />
      <p>{say(w.yourRole, { role: words.roles[props.role] })}</p>
      <LanguageForm csrf={props.csrf} chosen={props.language.chosen} browser={props.language.browser} />
      <HeldMailForm csrf={props.csrf} mode={props.heldMail} />
      <h2>{w.sessions}</h2>
      <ul>
        {props.sessions.map((s) => (
          <li>{say(w.session, { created: when(s.createdAt), expires: when(s.expiresAt) })}</li>
        ))}
      </ul>
      <div class="admin-actions">
        <SignOutForms csrf={props.csrf} />
      </div>
      <h2>{w.tokens}</h2>
      {props.newToken ? <Notice>{sayParts(w.newToken, { token: <code>{props.newToken}</code> })}</Notice> : null}
      <ul>
        {props.tokens.map((t) => (
          <li>
            {say(w.token, {
              name: t.name,
              role: words.roles[t.role],
              when: t.lastUsedAt ? formatDateTime(t.lastUsedAt, props.timeZone, words.locale) : w.never,
            })}{" "}
            <form method="post" action={`/admin/me/tokens/${t.id}/revoke`} class="inline-form">
              <input type="hidden" name="csrf" value={props.csrf} />
              <button type="submit" class="secondary">
                {w.revoke}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/admin/me/tokens" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="token-name">{w.tokenName}</label>
          <input id="token-name" name="name" required maxlength={80} />
        </p>
        <p>
          <label for="token-role">{w.role}</label>
          <RoleSelect id="token-role" selected={props.role} />
        </p>
        <p>
          <button type="submit">{w.create}</button>
        </p>
      </form>
      <h2>{w.yourData}</h2>
      <p>
        <a href="/admin/me/data.json" download>
          {w.download}
        </a>
      </p>
      <p>
        <a href="/admin/me/delete">{w.deleteLink}</a>
      </p>
    </AdminSection>
  );
}

/** `/admin/me/delete`: what deleting one's account does; refused while the person is a blog's only owner. */
export function DeleteAccountPage(props: { csrf: string; email: string; blogs: string[]; lastOwnerOf: string[]; error?: string }) {
  const words = useWords();
  const w = words.me;
  return (
    <AdminSection title={w.deleteTitle}>
      <p>{say(w.deleteText, { blogs: props.blogs.join(", ") })}</p>
      <p>
        <a href="/admin/me/data.json" download>
          {w.download}
        </a>
      </p>
      {props.lastOwnerOf.length ? (
        <p class="error" role="alert">
          {say(w.lastOwner, { blogs: props.lastOwnerOf.join(", ") })}
        </p>
      ) : (
        <form method="post" action="/admin/me/delete" class="comment-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <ErrorNote message={props.error} />
          <p>
            <label for="delete-confirm">{say(w.deleteConfirm, { email: props.email })}</label>
            <input id="delete-confirm" name="confirm" type="email" required autocomplete="off" />
          </p>
          <p>
            <button type="submit" class="danger">
              {w.deleteButton}
            </button>
          </p>
        </form>
      )}
    </AdminSection>
  );
}
