import type { OpenApiDocument } from "../../data/openapi";
/** A readable page of the API, from the same OpenAPI document as /api/openapi.json. */
export function ApiDocsPage({ doc }: { doc: OpenApiDocument }) {
  return (
    <section class="api-docs">
      <h1 class="page-title">{doc.info.title}</h1>
      <p>{doc.info.description}</p>
      <p>
        Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
      </p>
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(doc.paths).flatMap(([path, ops]) =>
            Object.entries(ops).map(([method, op]) => (
              <tr>
                <td>
                  <code>{method.toUpperCase()}</code>
                </td>
                <td>
                  <code>{path}</code>
                </td>
                <td>
                  {/* Summaries of protected operations say so themselves; others get the mark here. */}
                  {op.summary}
                  {op.security && !op.summary.endsWith("(admin)") ? " (admin)" : ""}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}
