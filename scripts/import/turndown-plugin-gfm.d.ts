declare module "@joplin/turndown-plugin-gfm" {
  import type TurndownService from "turndown";
  /** GitHub Flavored Markdown for turndown: tables, strikethrough, task lists. */
  export const gfm: TurndownService.Plugin;
}
