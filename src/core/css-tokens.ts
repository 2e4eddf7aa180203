/**
 * The tokens of a custom stylesheet that matter to customCssProblem, read as CSS Syntax Level 3
 * reads them for a sheet with no escapes and no `<` (both refused before this runs): strings,
 * `url(…)`, functions, at-keywords, identifiers and closing parentheses; comments, whitespace and
 * the rest are skipped. Where it differs from the full algorithm it reads more (digits before a
 * name: `10behavior` is read as `behavior`), never less.
 */
export type CssToken = { kind: "string" | "bad-string" | "url" | "bad-url" | "at" | "function" | "ident" | ")"; value: string; at: number };

/** CSS's non-ASCII name code points (CSS Syntax Level 3, as of 2021; an astral one is a surrogate pair). */
const NON_ASCII =
  "\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff\u200c\u200d\u203f\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\ud800-\udfff";
const NAME = new RegExp(`[\\w${NON_ASCII}-]`);
const NAME_START = new RegExp(`[a-zA-Z_${NON_ASCII}]`);
const SPACE = /[ \t\n\r\f]/;

export function cssTokens(css: string): CssToken[] {
  const out: CssToken[] = [];
  const n = css.length;
  const startsName = (i: number) =>
    NAME_START.test(css[i] ?? "") || (css[i] === "-" && (NAME_START.test(css[i + 1] ?? "") || css[i + 1] === "-"));
  const nameEnd = (i: number) => {
    while (i < n && NAME.test(css[i]!)) i++;
    return i;
  };
  let i = 0;
  while (i < n) {
    const c = css[i]!;
    const at = i;
    if (c === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && css[j] !== c && !/[\n\r\f]/.test(css[j]!)) j++;
      const closed = j >= n || css[j] === c;
      out.push({ kind: closed ? "string" : "bad-string", value: css.slice(i + 1, j), at });
      i = closed ? j + 1 : j;
    } else if (c === "@" && startsName(i + 1)) {
      const end = nameEnd(i + 1);
      out.push({ kind: "at", value: css.slice(i + 1, end), at });
      i = end;
    } else if (startsName(i)) {
      const end = nameEnd(i);
      const name = css.slice(i, end);
      i = end;
      if (css[i] !== "(") {
        out.push({ kind: "ident", value: name, at });
        continue;
      }
      i++;
      let k = i;
      while (k < n && SPACE.test(css[k]!)) k++;
      // After `#` or a digit the name is a hash's or a number's (`#url(`, `10url(`), and what follows is
      // no URL: read it as a function, whose argument must then be a string (stricter, never looser).
      const attached = at > 0 && /[#\w]/.test(css[at - 1]!);
      if (name.toLowerCase() !== "url" || attached || css[k] === '"' || css[k] === "'") {
        out.push({ kind: "function", value: name, at });
        continue;
      }
      // An unquoted url(…): up to `)`, whitespace only before it; a quote, `(` or a control makes it a bad URL.
      let m = k;
      while (m < n && css[m] !== ")" && !/[\s"'(\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(css[m]!)) m++;
      const value = css.slice(k, m);
      while (m < n && SPACE.test(css[m]!)) m++;
      if (m >= n || css[m] === ")") {
        out.push({ kind: "url", value, at });
        i = m + 1;
      } else {
        out.push({ kind: "bad-url", value: "", at });
        const close = css.indexOf(")", m);
        i = close < 0 ? n : close + 1;
      }
    } else {
      if (c === ")") out.push({ kind: ")", value: "", at });
      i++;
    }
  }
  return out;
}
