import type { Block, CommentDoc, Inline } from "../../content/comment-markdown";

/** Commenter text as JSX: every string is escaped by hono/jsx; nothing goes through raw(). */
function InlineNodes({ items }: { items: Inline[] }) {
  return (
    <>
      {items.map((i) => {
        if (typeof i === "string") return i;
        switch (i.t) {
          case "em":
            return <em><InlineNodes items={i.c} /></em>;
          case "strong":
            return <strong><InlineNodes items={i.c} /></strong>;
          case "del":
            return <del><InlineNodes items={i.c} /></del>;
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
            return <p><InlineNodes items={b.c} /></p>;
          case "pre":
            return <pre><code>{b.v}</code></pre>;
          case "quote":
            return <blockquote><BlockNodes blocks={b.c} /></blockquote>;
          case "ul":
            return <ul>{b.items.map((item) => <li><BlockNodes blocks={item} /></li>)}</ul>;
          case "ol":
            return <ol start={b.start === 1 ? undefined : b.start}>{b.items.map((item) => <li><BlockNodes blocks={item} /></li>)}</ol>;
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
