import matter from "gray-matter";
import YAML from "yaml";

/** Splits a Markdown file into its YAML front matter (parsed as YAML 1.2) and its body. */
export function parseFrontMatter(text: string): { data: unknown; body: string } {
  const file = matter(text.replace(/^\uFEFF/, ""), {
    engines: { yaml: (source: string) => (YAML.parse(source, { prettyErrors: true, uniqueKeys: true }) ?? {}) as object },
  });
  return { data: file.data, body: file.content };
}
