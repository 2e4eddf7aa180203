import { counted, type Messages } from "../src/core/i18n";

/** Every text of a catalog by its path ("comments.title"), places kept, a counted one in its form for 2. */
export function catalogTexts(t: Messages): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: Record<string, unknown>, path: string) => {
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof value === "string") out.set(at, value);
      else if (value && typeof value === "object" && "other" in value) out.set(at, counted(t, value as never, 2));
      else if (value && typeof value === "object") walk(value as Record<string, unknown>, at);
    }
  };
  walk(t as unknown as Record<string, unknown>, "");
  out.delete("locale");
  return out;
}
