/**
 * `npm run bench:comments`: how long the comment parser takes on hostile bodies at the size limit
 * (5,000 characters), next to marked's lexer given the same text without the bounds.
 */
import { Lexer } from "marked";
import { parseComment } from "../src/core/comment-markdown";
import { MAX_COMMENT_LENGTH } from "../src/core/vocabulary";
import { HOSTILE } from "./lib/hostile-comments";

function timeOf(run: () => unknown): { median: number; max: number } | string {
  try {
    for (let i = 0; i < 20; i++) run();
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { median: times[10]!, max: times[20]! };
  } catch (err) {
    return (err as Error).message;
  }
}

const show = (r: ReturnType<typeof timeOf>) =>
  typeof r === "string" ? `fails: ${r}` : `${r.median.toFixed(2)} ms (max ${r.max.toFixed(2)})`;

console.log("| body (5,000 characters at most) | parseComment, median | marked alone, median |");
console.log("|---|---|---|");
for (const [name, text] of Object.entries(HOSTILE)) {
  const body = text.slice(0, MAX_COMMENT_LENGTH);
  const ours = timeOf(() => parseComment(body));
  const plain = timeOf(() => new Lexer({ gfm: true, breaks: true }).lex(body));
  console.log(`| ${name} | ${show(ours)} | ${show(plain)} |`);
}
