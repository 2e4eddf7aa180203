import type { Child } from "hono/jsx";

/** A catalog text with markup in its places: `sayParts(t.errorPage.whereNext, { home: <a …/> })`. */
export function sayParts(text: string, values: Record<string, Child>): Child[] {
  return text
    .split(/(\{\w+\})/)
    .filter((part) => part !== "")
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name !== undefined && name in values ? values[name] : part;
    });
}
