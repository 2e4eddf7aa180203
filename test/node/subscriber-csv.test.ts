import { describe, expect, it } from "vitest";
import { csvRows, describeProblem, MAX_IMPORT_ROWS, readSubscriberCsv } from "../../src/core/subscriber-csv";

describe("reading a subscriber export", () => {
  it("reads RFC 4180 rows: quotes, doubled quotes, line breaks inside quotes, CRLF, a byte-order mark, blank lines", () => {
    const rows = csvRows('\ufeffemail,note\r\n"a@example.org","said ""hi"", twice"\r\n\r\nb@example.org,"two\nlines"\nc@example.org,');
    expect(rows).toEqual([
      { line: 1, cells: ["email", "note"] },
      { line: 2, cells: ["a@example.org", 'said "hi", twice'] },
      { line: 4, cells: ["b@example.org", "two\nlines"] },
      { line: 6, cells: ["c@example.org", ""] },
    ]);
  });

  it("finds the address column by its name, whatever the platform calls it", () => {
    for (const header of ["email", "Email", "E-mail", "Email Address", "email_address", "Subscriber Email", "courriel"]) {
      const list = readSubscriberCsv(`name,${header}\nAda,ada@example.org\n`);
      expect(list, header).toMatchObject({ column: header, emails: ["ada@example.org"] });
    }
    expect(readSubscriberCsv("name,city\nAda,Paris")).toEqual({ failure: "noColumn", columns: "name, city" });
    expect(readSubscriberCsv("")).toEqual({ failure: "empty" });
  });

  it("names each bad row by its line (a quoted line break counts), merges repeats in any case, and leaves out rows marked unsubscribed", () => {
    const list = readSubscriberCsv(
      [
        "email,note,status",
        'ada@example.org,"two',
        'lines",subscribed',
        "ADA@example.org,,",
        "nope,,",
        ",a note but no address,",
        ",,",
        "zed@example.org,,unsubscribed",
      ].join("\n"),
    );
    if ("failure" in list) throw new Error(list.failure);
    expect(list.emails).toEqual(["ada@example.org"]);
    expect(list.duplicates).toBe(1);
    expect(list.notSubscribed).toBe(1);
    expect(list.problems.map(describeProblem)).toEqual(["line 5: “nope” is not an email address", "line 6: no email address"]);
    // A row of nothing (",,") is a blank line, not a problem.
    expect(list.problems).toHaveLength(2);
  });

  it("refuses a file over the row limit as a whole", () => {
    const big = `email\n${"a@example.org\n".repeat(MAX_IMPORT_ROWS + 1)}`;
    expect(readSubscriberCsv(big)).toEqual({ failure: "tooMany", rows: MAX_IMPORT_ROWS + 1, max: MAX_IMPORT_ROWS });
  });
});
