import type { Child } from "hono/jsx";

/** A column heading; `{ hidden }` names a column of buttons for screen readers only. */
export type Column = string | { hidden: string };

/** An administration table (a phone scrolls the table, not the page): headings, then the rows given. */
export function AdminTable({ columns, children }: { columns: Column[]; children?: Child }) {
  return (
    <div class="table-scroll">
      <table class="admin-table">
        <thead>
          <tr>
            {columns.map((col) =>
              typeof col === "string" ? (
                <th scope="col">{col}</th>
              ) : (
                <th scope="col">
                  <span class="visually-hidden">{col.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
