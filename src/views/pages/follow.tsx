import type { BlogConfig } from "../../settings";
import { fediverseHandle } from "../../core/federation";
import { messagesFor, say } from "../../core/i18n";
import { SubscribeBox } from "../components/subscribe-box";
import { sayParts } from "../../core/i18n/parts";

export function FollowPage({ blog, email, error }: { blog: BlogConfig; email?: string; error?: string }) {
  const t = messagesFor(blog.language);
  return (
    <>
      <h1 class="page-title">{say(t.follow.title, { blog: blog.title })}</h1>
      <p class="intro">{t.follow.intro}</p>
      <SubscribeBox email={email} error={error} id="follow" heading={t.follow.byEmail} t={t} />
      <section class="fediverse" aria-labelledby="fediverse-title">
        <h2 id="fediverse-title">{t.follow.fediverseTitle}</h2>
        <p>{t.follow.fediverseText}</p>
        <p class="handle-line">
          <input
            id="fediverse-handle"
            class="handle"
            readonly
            value={fediverseHandle(blog.name, blog.baseUrl)}
            aria-label={t.follow.handleLabel}
          />{" "}
          <button type="button" class="small secondary" data-copy="fediverse-handle" data-copied={t.follow.copied} hidden>
            {t.follow.copy}
          </button>
        </p>
        <p class="hint">{t.follow.fediverseHint}</p>
        <script src="/follow.js" defer></script>
      </section>
      <section class="feeds" aria-labelledby="feeds-title">
        <h2 id="feeds-title">{t.follow.feedsTitle}</h2>
        <p>{t.follow.feedsText}</p>
        <ul>
          <li>
            <a href="/feed.xml" type="application/atom+xml">
              Atom
            </a>{" "}
            — {blog.baseUrl}/feed.xml
          </li>
          <li>
            <a href="/rss.xml" type="application/rss+xml">
              RSS
            </a>{" "}
            — {blog.baseUrl}/rss.xml
          </li>
          <li>
            <a href="/feed.json" type="application/feed+json">
              JSON Feed
            </a>{" "}
            — {blog.baseUrl}/feed.json
          </li>
        </ul>
        <p>{sayParts(t.follow.tagFeeds, { path: <code>/tags/&lt;tag&gt;/feed.xml</code> })}</p>
      </section>
    </>
  );
}
