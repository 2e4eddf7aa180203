import { say } from "../../core/i18n";
import type { OwnerDomain } from "../../core/custom-domain";
import { useWords } from "../admin-words";
import { AdminSection } from "../components/admin-section";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";

/** `/admin/domain` (owners): the blog's own domain, the DNS records to create while Cloudflare waits, its status. */
export function OwnerDomainPage(props: {
  csrf: string;
  offered: boolean;
  main: boolean;
  domain: OwnerDomain | null;
  timeZone: string;
  error?: string;
  notice?: string;
}) {
  const words = useWords();
  const w = words.domain;
  const d = props.domain;
  if (props.main || !props.offered) {
    return (
      <AdminSection title={w.title}>
        <p class="notice">{props.main ? w.mainBlog : w.off}</p>
      </AdminSection>
    );
  }
  return (
    <AdminSection title={w.title}>
      <Notice message={props.notice} />
      <ErrorNote message={props.error} />
      <p>{w.text}</p>
      {d ? (
        <div data-domain-status={d.status}>
          <p aria-live="polite">
            <strong>{d.host}</strong> —{" "}
            {d.status === "active"
              ? say(w.active, { url: `https://${d.host}` })
              : d.status === "failed"
                ? say(w.failed, { reason: d.reason ?? "" })
                : w.pending}
          </p>
          {d.status !== "active" ? (
            <section class="table-scroll" tabindex={0} aria-label={w.title}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{w.record}</th>
                    <th scope="col">{w.name}</th>
                    <th scope="col">{w.value}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.records.map((r) => (
                    <tr>
                      <td>{r.type}</td>
                      <td>
                        <code>{r.name}</code>
                      </td>
                      <td>
                        <code>{r.value}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
          <p class="hint">{say(w.checked, { date: formatDateTime(d.checkedAt, props.timeZone, words.locale) })}</p>
          {d.status === "pending" ? (
            <form method="post" action="/admin/domain/check">
              <input type="hidden" name="csrf" value={props.csrf} />
              <button type="submit">{w.check}</button>
            </form>
          ) : null}
          <form method="post" action="/admin/domain/remove">
            <input type="hidden" name="csrf" value={props.csrf} />
            <button type="submit" class="secondary">
              {w.remove}
            </button>
          </form>
        </div>
      ) : (
        <form method="post" action="/admin/domain" class="comment-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <p>
            <label for="domain-host">{w.label}</label>
            <input
              id="domain-host"
              name="host"
              required
              maxlength={253}
              autocomplete="off"
              spellcheck={false}
              autocapitalize="none"
              placeholder="blog.example.org"
            />
          </p>
          <p>
            <button type="submit">{w.add}</button>
          </p>
        </form>
      )}
    </AdminSection>
  );
}
