import type { MediaItem } from "../../data/media";
import { ErrorNote, Notice } from "../components/notes";

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The blog's images: upload, see where each is used, copy its Markdown, delete the unused. */
export function MediaLibraryPage(props: {
  csrf: string;
  items: (MediaItem & { usedBy: { slug: string; title: string }[] })[];
  notice?: string;
  error?: string;
}) {
  const total = props.items.reduce((n, m) => n + m.size, 0);
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">Media</h1>
      <Notice message={props.notice} />
      <ErrorNote message={props.error} />
      <form method="post" action="/admin/media" enctype="multipart/form-data" class="comment-form media-upload">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="media-file">Upload an image (PNG, JPEG, WebP, AVIF or GIF, up to 10 MB)</label>
          <input id="media-file" name="file" type="file" accept="image/png,image/jpeg,image/webp,image/avif,image/gif" required />
        </p>
        <p>
          <button type="submit">Upload</button>
        </p>
      </form>
      {props.items.length ? (
        <p>
          {props.items.length} {props.items.length === 1 ? "image" : "images"}, {size(total)} in all.
        </p>
      ) : null}
      {props.items.length ? (
        <ul class="media-library">
          {props.items.map((m) => (
            <li id={`media-${m.name}`}>
              <img src={m.url} alt="" loading="lazy" width={160} height={120} />
              <div>
                <p>
                  <strong>{m.originalName ?? m.name}</strong> · {m.type.replace("image/", "").toUpperCase()} · {size(m.size)}
                </p>
                <p>
                  <label>
                    Markdown <input readonly value={`![${(m.originalName ?? "image").replace(/\.[a-z0-9]+$/i, "")}](${m.url})`} />
                  </label>
                </p>
                <p>
                  {m.usedBy.length ? (
                    <>
                      Used by{" "}
                      {m.usedBy.map((u, i) => (
                        <>
                          {i ? ", " : ""}
                          <a href={`/admin/posts/${u.slug}/edit`}>{u.title}</a>
                        </>
                      ))}
                    </>
                  ) : (
                    "Not used by any post."
                  )}
                </p>
                <form method="post" action={`/admin/media/${m.name}`}>
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit" class="small danger">
                    Delete
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p>No image yet. Upload one here, or paste or drop one into the editor.</p>
      )}
    </section>
  );
}
