import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "../../src");

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next */
    }
  }
  throw new Error(`${relative(SRC, from)} imports ${spec}, which does not resolve`);
}

/** Every import and re-export between the worker's own modules, type-only ones included. */
function graph(): Edge[] {
  const edges: Edge[] = [];
  const pattern = /^(import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
  for (const file of files(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(pattern)) {
      const to = resolveImport(file, m[3]!);
      if (!to) continue;
      const clause = m[0];
      // `import { type A, type B }` is type-only too.
      const named = /\{([^}]*)\}/.exec(clause)?.[1];
      const allTypes = !!named && named.split(",").every((n) => !n.trim() || n.trim().startsWith("type "));
      edges.push({
        from: relative(SRC, file),
        to: relative(SRC, to),
        typeOnly: !!m[2] || (allTypes && !/^import\s+\w/.test(clause.replace(/^import\s+type/, ""))),
      });
    }
  }
  return edges;
}

/** The layer of a module: lower layers never import higher ones. */
function layer(path: string): string {
  const top = path.split("/")[0]!;
  if (path.includes("/")) return top;
  return path.replace(/\.tsx?$/, "");
}

/** Which layers each layer may import values from (itself always). Type-only imports may also reach `typesFrom`. */
const RULES: Record<string, { values: string[]; typesFrom?: string[] }> = {
  core: { values: [] },
  errors: { values: [] },
  settings: { values: ["core"] },
  durable: { values: ["core", "errors"] },
  // Platform-level objects (a Blog and a Domain per name and host, people): beside the blog's own objects, which they clean up.
  platform: { values: ["core", "errors", "durable"] },
  data: { values: ["core", "errors", "settings"], typesFrom: ["durable", "platform"] },
  mail: { values: ["core", "data", "settings"], typesFrom: ["durable"] },
  views: { values: ["core"], typesFrom: ["data", "durable", "settings"] },
  http: { values: ["core", "data", "errors", "settings", "views"] },
  announce: { values: ["core", "data", "mail", "settings"] },
  // The jobs queue's consumer: long jobs a step at a time, a peer of the cron job.
  jobs: { values: ["core", "data", "mail", "settings"] },
  // The entrypoint the federation worker calls (replies, reactions): a peer of the cron job.
  internal: { values: ["core", "data", "errors", "settings"] },
  // One place per use case (saving a post): what every door to it (form, JSON API, trash) goes through.
  editing: { values: ["core", "data", "errors", "http", "settings"], typesFrom: ["durable"] },
  routes: { values: ["core", "data", "editing", "errors", "http", "mail", "settings", "views"], typesFrom: ["durable"] },
  app: { values: ["core", "errors", "http", "routes", "settings", "views"] },
  openapi: { values: ["core", "routes"] },
  index: { values: ["app", "announce", "core", "durable", "internal", "jobs", "platform"] },
};

describe("src/ imports", () => {
  const edges = graph();

  it("finds the modules it checks", () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(new Set(files(SRC).map((f) => layer(relative(SRC, f))))).toEqual(new Set(Object.keys(RULES)));
  });

  it("point one way: routes → data/durable → content, views on types only", () => {
    const wrong = edges
      .filter((e) => {
        const [from, to] = [layer(e.from), layer(e.to)];
        if (from === to) return false;
        const rule = RULES[from];
        if (!rule) return true;
        return !(rule.values.includes(to) || (e.typeOnly && rule.typesFrom?.includes(to)));
      })
      .map((e) => `${e.from} → ${e.to}${e.typeOnly ? " (type)" : ""}`);
    expect(wrong).toEqual([]);
  });

  it("have no cycles, type-only imports included", () => {
    const next = new Map<string, string[]>();
    for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "open") {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      state.set(node, "open");
      for (const to of next.get(node) ?? []) visit(to, [...path, node]);
      state.set(node, "done");
    };
    for (const node of next.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});

describe("log lines", () => {
  it("are written by core/log.ts alone, so each is one JSON object with the request's id", () => {
    const FEDERATION = resolve(__dirname, "../../federation/src");
    const bare = [...files(SRC), ...files(FEDERATION)]
      .filter((file) => !file.endsWith("core/log.ts"))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .flatMap((line, i) => (/\bconsole\.(log|info|warn|error|debug)\(/.test(line) ? [`${relative(SRC, file)}:${i + 1}`] : [])),
      );
    expect(bare).toEqual([]);
  });
});

describe("caching headers", () => {
  it("are decided in http/freshness.ts: no other module writes a Cache-Control value of its own", () => {
    const VALUE = /["'`](?:public|private|no-store|no-cache|max-age=)[,"'`\s]/;
    const own = files(SRC)
      .filter((file) => !/http\/(freshness|cache)\.ts$/.test(file))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .flatMap((line, i) => (VALUE.test(line) ? [`${relative(SRC, file)}:${i + 1}`] : [])),
      );
    expect(own).toEqual([]);
  });
});

describe("the OpenAPI descriptions beside the routes", () => {
  it("are read by src/openapi.ts alone (build time), so none of them reaches the worker", () => {
    const wrong = graph()
      .filter((e) => /(\.doc\.ts|routes\/openapi-kit\.ts)$/.test(e.to) && e.from !== "openapi.ts" && !e.from.endsWith(".doc.ts"))
      .map((e) => `${e.from} → ${e.to}`);
    expect(wrong).toEqual([]);
    expect(files(join(SRC, "routes")).filter((f) => f.endsWith(".doc.ts")).length).toBeGreaterThan(5);
  });
});
