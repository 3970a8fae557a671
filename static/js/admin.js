// Names the admin's own widgets leave out, added whenever they are drawn (on load, and in inline
// rows added later):
// - the autocomplete pickers (select2) draw a combobox with no accessible name (axe:
//   aria-input-field-name): each is named by its field's label, as the select it stands for is;
// - a tabular inline's fields have a column heading but no label (axe: label): each is named by
//   its column's heading;
// - the two-box picker's help icons carry a name on an element with no role (axe:
//   aria-prohibited-attr): they become images with that name;
// - a tabular inline's first column (each saved row's name) has an empty heading (axe:
//   empty-table-header): it gets one for screen readers.
(function () {
  "use strict";

  function labelFor(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) return null;
    if (!label.id) label.id = select.id + "-label";
    return label;
  }

  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      var label = labelFor(select);
      var combobox = container.querySelector('[role="combobox"]');
      var rendered = container.querySelector(".select2-selection__rendered");
      if (!combobox) return;
      if (label) {
        var ids = label.id + (rendered && rendered.id ? " " + rendered.id : "");
        if (combobox.getAttribute("aria-labelledby") !== ids) {
          combobox.setAttribute("aria-labelledby", ids);
        }
        if (rendered && rendered.getAttribute("aria-labelledby") !== label.id) {
          rendered.setAttribute("aria-labelledby", label.id);
        }
      } else if (!combobox.hasAttribute("aria-label")) {
        combobox.setAttribute("aria-label", select.name);
      }
    });
  }

  function nameInlineFields() {
    document.querySelectorAll(".tabular td[class*='field-']").forEach(function (cell) {
      var name = Array.from(cell.classList).find(function (c) { return c.indexOf("field-") === 0; });
      var table = cell.closest("table");
      var heading = table && table.querySelector("th.column-" + name.slice(6));
      if (!heading) return;
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
        var labelled = field.id && document.querySelector('label[for="' + field.id + '"]');
        if (!labelled && !field.hasAttribute("aria-label")) {
          field.setAttribute("aria-label", heading.textContent.trim());
        }
      });
    });
  }

  function nameHelpIcons() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameEmptyHeadings() {
    document.querySelectorAll(".tabular thead th.original").forEach(function (heading) {
      if (heading.textContent.trim()) return;
      var text = document.createElement("span");
      text.className = "tsoc-visually-hidden";
      text.textContent = gettext("Saved record");
      heading.appendChild(text);
    });
  }

  function nameAll() {
    nameEmptyHeadings();
    nameComboboxes();
    nameInlineFields();
    nameHelpIcons();
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
