import type { BlogConfig } from "../../settings";
import { fediverseHandle } from "../../core/federation";
import { SubscribeBox } from "../components/subscribe-box";

export function FollowPage({ blog, email, error }: { blog: BlogConfig; email?: string; error?: string }) {
  return (
    <>
      <h1 class="page-title">Follow {blog.title}</h1>
      <p class="intro">Get every new article by email, in your social timeline, or in your feed reader.</p>
      <SubscribeBox email={email} error={error} id="follow" heading="By email" />
      <section class="fediverse" aria-labelledby="fediverse-title">
        <h2 id="fediverse-title">From the fediverse (Mastodon and others)</h2>
        <p>
          The fediverse is a network of independent social sites — Mastodon, Pixelfed, Misskey and many more — whose accounts can follow
          each other across sites, like email between providers. If you have an account on one of them, search there for this blog's address
          and follow it:
        </p>
        <p class="handle-line">
          <input
            id="fediverse-handle"
            class="handle"
            readonly
            value={fediverseHandle(blog.name, blog.baseUrl)}
            aria-label="The blog's fediverse handle"
          />{" "}
          <button type="button" class="small secondary" data-copy="fediverse-handle" hidden>
            Copy
          </button>
        </p>
        <p class="hint">New articles arrive in your timeline; your replies appear here as comments.</p>
        <script src="/follow.js" defer></script>
      </section>
      <section class="feeds" aria-labelledby="feeds-title">
        <h2 id="feeds-title">Feeds</h2>
        <p>Full-text feeds of every article, for any feed reader:</p>
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
        <p>
          Each tag has its own Atom feed too, at <code>/tags/&lt;tag&gt;/feed.xml</code>.
        </p>
      </section>
    </>
  );
}
