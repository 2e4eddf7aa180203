import type { Block, CommentDoc, Inline } from "./comment-markdown";

/**
 * Commenter text as HTML, rendered from the parsed tree (see comment-markdown.ts) by JSX: every
 * string is escaped by hono/jsx and nothing goes through raw(). Shared by the pages, the JSON API
 * and the live events the comment thread sends.
 */
function InlineNodes({ items }: { items: Inline[] }) {
  return (
    <>
      {items.map((i) => {
        if (typeof i === "string") return i;
        switch (i.t) {
          case "em":
            return (
              <em>
                <InlineNodes items={i.c} />
              </em>
            );
          case "strong":
            return (
              <strong>
                <InlineNodes items={i.c} />
              </strong>
            );
          case "del":
            return (
              <del>
                <InlineNodes items={i.c} />
              </del>
            );
          case "code":
            return <code>{i.v}</code>;
          case "br":
            return <br />;
          case "a":
            return (
              <a href={i.href} rel="nofollow ugc noopener">
                <InlineNodes items={i.c} />
              </a>
            );
          default:
            return null;
        }
      })}
    </>
  );
}

function BlockNodes({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((b) => {
        switch (b.t) {
          case "p":
            return (
              <p>
                <InlineNodes items={b.c} />
              </p>
            );
          case "pre":
            return (
              <pre>
                <code>{b.v}</code>
              </pre>
            );
          case "quote":
            return (
              <blockquote>
                <BlockNodes blocks={b.c} />
              </blockquote>
            );
          case "ul":
            return (
              <ul>
                {b.items.map((item) => (
                  <li>
                    <BlockNodes blocks={item} />
                  </li>
                ))}
              </ul>
            );
          case "ol":
            return (
              <ol start={b.start === 1 ? undefined : b.start}>
                {b.items.map((item) => (
                  <li>
                    <BlockNodes blocks={item} />
                  </li>
                ))}
              </ol>
            );
          default:
            return null;
        }
      })}
    </>
  );
}

export function CommentBody({ doc }: { doc: CommentDoc }) {
  return <BlockNodes blocks={doc} />;
}

/** The same rendering as a string, for the JSON API and live events. */
export function commentHtml(doc: CommentDoc): string {
  return String(<CommentBody doc={doc} />);
}
