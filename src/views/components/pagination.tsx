import { type Messages, number, say } from "../../core/i18n";
import { english } from "../../core/i18n";

/** Newer/older links for a listing at `path`; page 1 has no `?page=`. */
export function Pagination({ path, page, pages, t = english() }: { path: string; page: number; pages: number; t?: Messages }) {
  if (pages <= 1) return null;
  const href = (n: number) => (n === 1 ? path : `${path}${path.includes("?") ? "&" : "?"}page=${n}`);
  return (
    <nav class="pagination" aria-label={t.listing.pagesLabel}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {t.listing.newer}
        </a>
      ) : (
        <span />
      )}
      <span class="page-count">{say(t.listing.pageOf, { page: number(t, page), pages: number(t, pages) })}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {t.listing.older}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
