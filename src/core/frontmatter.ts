import YAML from "yaml";

/** A file whose front matter cannot be read; the message says why, for `file: front matter: …`. */
export class FrontMatterError extends Error {}

const OPEN = /^---\r?\n/;
/** The closing fence: a line that is exactly `---`. */
const CLOSE = /^---[ \t]*(?:\r?\n|$)/m;

/**
 * Splits a Markdown file into its YAML front matter (parsed as YAML 1.2) and its body. Only YAML
 * is accepted: the first line must be exactly `---`, so no other front-matter language (`---js`,
 * `---coffee`, …) and nothing that evaluates code is reachable from a file.
 */
export function parseFrontMatter(text: string): { data: unknown; body: string } {
  const source = text.replace(/^\uFEFF/, "");
  const open = OPEN.exec(source);
  if (!open) {
    const first = source.split(/\r?\n/, 1)[0] ?? "";
    throw new FrontMatterError(
      first.startsWith("---")
        ? `the first line must be exactly "---" (only YAML front matter is accepted), not "${first.slice(0, 40)}"`
        : 'the file must start with YAML front matter: a line "---", the fields, then another "---"',
    );
  }
  const rest = source.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) throw new FrontMatterError('the front matter has no closing "---" line');
  const yaml = rest.slice(0, close.index);
  let data: unknown;
  try {
    data = YAML.parse(yaml, { prettyErrors: true, uniqueKeys: true }) ?? {};
  } catch (err) {
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new FrontMatterError(`front matter is not valid YAML: ${detail}`);
  }
  return { data, body: rest.slice(close.index + close[0].length) };
}
