import { describe, expect, it } from "vitest";
import { FRAME_SOURCES, playerUrl, rewriteFrames } from "../../src/core/embeds";
import { renderMarkdown } from "../../src/core/markdown";

describe("embedded videos", () => {
  it.each([
    ["https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["//www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"],
    ["https://player.vimeo.com/video/76979871?h=8272103f6e", "https://player.vimeo.com/video/76979871?dnt=1"],
    ["https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"],
  ])("plays %s through the privacy-enhanced player", (src, player) => {
    expect(playerUrl(src)).toBe(player);
    expect(FRAME_SOURCES.some((origin) => player.startsWith(`${origin}/`))).toBe(true);
  });

  it("turns an imported YouTube frame into the player, and any other frame into a link", () => {
    const { html } = renderMarkdown(
      'Before.\n\n<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="A talk" frameborder="0" allowfullscreen></iframe>\n\n' +
        '<iframe src="https://maps.example.com/embed?q=1" onload="alert(1)"></iframe>\n\nAfter.',
    );
    expect(html).toContain('<figure class="embed"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="A talk"');
    expect(html).not.toContain("www.youtube.com");
    expect(html).toContain('<a href="https://maps.example.com/embed?q=1">https://maps.example.com/embed?q=1</a>');
    expect(html).not.toContain('maps.example.com/embed?q=1"></iframe');
    expect(html).not.toContain("onload");
  });

  it("keeps players for authors whose HTML is filtered, and drops any other frame", () => {
    const { html } = renderMarkdown(
      '<iframe src="https://vimeo.com/76979871"></iframe>\n\n<iframe src="https://evil.example/"></iframe><form action="/x"></form>',
      { filter: true },
    );
    expect(html).toContain('<iframe src="https://player.vimeo.com/video/76979871?dnt=1"');
    expect(html).not.toContain("evil.example");
    expect(html).not.toContain("<form");
  });

  it("reports the frames that became links (the import warns of each)", () => {
    const others: string[] = [];
    rewriteFrames('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe><iframe src="https://x.example/a"></iframe>', others);
    expect(others).toEqual(["https://x.example/a"]);
  });

  it("makes a video's address alone on its line its player, for any author (no HTML needed)", () => {
    const { html } = renderMarkdown(
      "Before.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<https://vimeo.com/76979871>\n\n" +
        "See https://youtu.be/dQw4w9WgXcQ here.\n\n[the talk](https://youtu.be/dQw4w9WgXcQ)\n\nhttps://example.com/watch?v=dQw4w9WgXcQ\n",
      { filter: true },
    );
    // Named by their service: a player's title is the same word in every blog's language.
    expect(html).toContain('<figure class="embed"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube"');
    expect(html).toContain('<iframe src="https://player.vimeo.com/video/76979871?dnt=1" title="Vimeo"');
    expect(html.match(/<iframe/g)).toHaveLength(2);
    // In a sentence, with words of its own, or not a video: a link.
    expect(html).toContain('See <a href="https://youtu.be/dQw4w9WgXcQ">https://youtu.be/dQw4w9WgXcQ</a> here.');
    expect(html).toContain('<a href="https://youtu.be/dQw4w9WgXcQ">the talk</a>');
    expect(html).toContain('<a href="https://example.com/watch?v=dQw4w9WgXcQ">');
  });
});
