import { AdminSection } from "../components/admin-section";
import type { MediaItem } from "../../data/media";
import { ErrorNote, Notice } from "../components/notes";
import { useWords } from "../admin-words";
import { counted, sizeText } from "../../core/i18n";
import { sayParts } from "../../core/i18n/parts";

/** The blog's images: upload, see where each is used, copy its Markdown, delete the unused. */
export function MediaLibraryPage(props: {
  csrf: string;
  items: (MediaItem & { usedBy: { slug: string; title: string }[] })[];
  notice?: string;
  error?: string;
}) {
  const total = props.items.reduce((n, m) => n + m.size, 0);
  const words = useWords();
  const w = words.media;
  return (
    <AdminSection title={w.title}>
      <Notice message={props.notice} />
      <ErrorNote message={props.error} />
      <form method="post" action="/admin/media" enctype="multipart/form-data" class="comment-form media-upload">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="media-file">{w.upload}</label>
          <input id="media-file" name="file" type="file" accept="image/png,image/jpeg,image/webp,image/avif,image/gif" required />
        </p>
        <p>
          <button type="submit">{w.button}</button>
        </p>
      </form>
      {props.items.length ? <p>{counted(words, w.total, props.items.length, { size: sizeText(words.locale, total) })}</p> : null}
      {props.items.length ? (
        <ul class="media-library">
          {props.items.map((m) => (
            <li id={`media-${m.name}`}>
              <img src={m.url} alt="" loading="lazy" width={160} height={120} />
              <div>
                <p>
                  <strong>{m.originalName ?? m.name}</strong> · {m.type.replace("image/", "").toUpperCase()} ·{" "}
                  {sizeText(words.locale, m.size)}
                </p>
                <p>
                  <label>
                    {w.markdown} <input readonly value={`![${(m.originalName ?? "image").replace(/\.[a-z0-9]+$/i, "")}](${m.url})`} />
                  </label>
                </p>
                <p>
                  {m.usedBy.length
                    ? sayParts(w.usedBy, {
                        posts: m.usedBy.map((u, i) => (
                          <>
                            {i ? ", " : ""}
                            <a href={`/admin/posts/${u.slug}/edit`}>{u.title}</a>
                          </>
                        )),
                      })
                    : w.unused}
                </p>
                <form method="post" action={`/admin/media/${m.name}`}>
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit" class="small danger">
                    {w.delete}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p>{w.none}</p>
      )}
    </AdminSection>
  );
}
