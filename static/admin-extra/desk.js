/* The attribution desk: "n" (outside a field) goes to the next row not yet checked and
 * puts the cursor in its first field; after a save the page opens at that row. A row's
 * autocompletes (Django's select2) start when the row is first pointed at or focused:
 * started all at once, hundreds of them froze the page. */
(function () {
  "use strict";
  function startAutocompletes(row) {
    var lazy = row && row.querySelectorAll("select.cp-lazy-autocomplete");
    if (!lazy || !lazy.length || !window.django || !django.jQuery.fn.djangoAdminSelect2) return;
    django.jQuery(lazy).removeClass("cp-lazy-autocomplete").addClass("admin-autocomplete")
      .djangoAdminSelect2();
  }
  ["pointerover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      startAutocompletes(event.target.closest && event.target.closest(".cp-desk-row"));
    });
  });
  function focusRow(row) {
    if (!row) return;
    startAutocompletes(row);
    row.scrollIntoView({ block: "center" });
    var field = row.querySelector(".cp-desk-fields select, .cp-desk-fields input:not([type=hidden])");
    if (field) field.focus();
  }
  function nextUnchecked() {
    var rows = Array.prototype.slice.call(document.querySelectorAll(".cp-desk-row:not(.is-checked)"));
    var current = document.activeElement && document.activeElement.closest(".cp-desk-row");
    var after = current ? rows.filter(function (row) {
      return current.compareDocumentPosition(row) & Node.DOCUMENT_POSITION_FOLLOWING;
    }) : rows;
    return after[0] || rows[0];
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest("input, select, textarea, .select2-container")) return;
    event.preventDefault();
    focusRow(nextUnchecked());
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.indexOf("#row-") === 0) focusRow(document.getElementById(location.hash.slice(1)));
  });
})();
