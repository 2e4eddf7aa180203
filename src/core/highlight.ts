/**
 * Code highlighting (highlight.js), done once when a post is rendered: readers get coloured code
 * with no JavaScript. It is kept out of the reader's bundle: the worker asks the federation
 * worker's Highlighter entrypoint for a post's code blocks (core/markdown.ts `highlighted`),
 * while the scripts and tests, in Node, register it here by importing this module.
 */
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { type CodeBlock, useHighlighter } from "./markdown";

// The languages a news blog's code samples use.
for (const [name, lang] of Object.entries({ bash, javascript, json, python, rust, shell, xml, yaml })) {
  hljs.registerLanguage(name, lang);
}

/** One block's highlighted HTML, or null for a language it does not know. */
export function highlightCode(code: string, language: string): string | null {
  return hljs.getLanguage(language) ? hljs.highlight(code, { language, ignoreIllegals: true }).value : null;
}

/** Several blocks at once (what the worker asks over RPC). */
export const highlightBlocks = (blocks: CodeBlock[]): (string | null)[] => blocks.map((b) => highlightCode(b.code, b.language));

useHighlighter(highlightCode);
