// After a form is sent back with errors, move keyboard and screen-reader focus to the summary
// of them (it lists each error with a link to its field), as the GOV.UK error summary does.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});

// A live character count under each text area with a limit (data-maxlength), as the GOV.UK
// character count does. Where scripts run, the hard maxlength is lifted, so pasted text is never
// cut off unseen: the count says how far over it is, and the server refuses it with the count.
document.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll("textarea[data-maxlength]")) {
    const limit = Number(field.dataset.maxlength);
    const count = document.createElement("div");
    count.className = "hint char-count";
    count.id = `${field.id}_count`;
    count.setAttribute("aria-live", "polite");
    field.removeAttribute("maxlength");
    field.after(count);
    field.setAttribute(
      "aria-describedby",
      `${field.getAttribute("aria-describedby") || ""} ${count.id}`.trim(),
    );
    const show = () => {
      // Line breaks count once, as the server counts them.
      const left = limit - field.value.replace(/\r\n/g, "\n").length;
      const over = left < 0;
      const number = Math.abs(left);
      const words = over
        ? ngettext("%(count)s character too many", "%(count)s characters too many", number)
        : ngettext("%(count)s character left", "%(count)s characters left", number);
      count.textContent = interpolate(words, { count: number.toLocaleString("en-NZ") }, true);
      count.classList.toggle("char-count--over", over);
    };
    field.addEventListener("input", show);
    show();
  }
});
