/** Comment bodies that cost marked's lexer quadratic time or its whole stack (the attack review's, and their cousins). */
export const HOSTILE: Record<string, string> = {
  '"**a_" ×1250': "**a_".repeat(1250),
  '">" ×3000': ">".repeat(3000),
  '"*"×2000 x "*"×2000': `${"*".repeat(2000)}x${"*".repeat(2000)}`,
  '"- " ×2500': "- ".repeat(2500),
  '"[" ×5000': "[".repeat(5000),
  '"[a](" ×1250': "[a](".repeat(1250),
  '"`a" ×2500': "`a".repeat(2500),
  '"<a" ×2500': "<a".repeat(2500),
  '"_a*b" ×1250': "_a*b".repeat(1250),
  '"~~a " ×1250': "~~a ".repeat(1250),
  "200 nested list levels": Array.from({ length: 200 }, (_, i) => `${" ".repeat(i * 2)}- x`).join("\n"),
  "an ordinary long comment": "Hello **world**, a *normal* comment with a [link](https://example.com).\n\n> quoted\n\n- a\n- b\n".repeat(
    60,
  ),
};
