// @ts-check
/* The settings page's colour picker: it and the #rrggbb field follow each other, and the report
   of how readers will see the colour (its contrast) follows both. Without this script the field
   alone works, and the report is shown for the saved colour. */
(() => {
  var picker = /** @type {HTMLInputElement | null} */ (document.getElementById("set-accent-picker"));
  var field = /** @type {HTMLInputElement | null} */ (document.getElementById("set-accent"));
  var report = document.getElementById("accent-report");
  if (!picker || !field || !report) return;
  var colour = picker;
  var text = field;
  var line = report;
  colour.hidden = false;
  var asked = 0;
  /** @param {string} value */
  async function explain(value) {
    var mine = ++asked;
    try {
      var res = await fetch("/admin/settings/accent?accent=" + encodeURIComponent(value));
      var data = await res.json();
      if (mine !== asked || !res.ok) return;
      line.textContent = data.report;
      line.hidden = false;
    } catch (_err) {
      /* the saved colour's report stays */
    }
  }
  colour.addEventListener("input", () => {
    text.value = colour.value;
    explain(colour.value);
  });
  text.addEventListener("input", () => {
    var value = text.value.trim();
    if (/^#[0-9a-fA-F]{6}$/.test(value)) {
      colour.value = value.toLowerCase();
      explain(value);
    } else if (value === "") line.hidden = true;
  });
})();
