// After a form is sent back with errors, move keyboard and screen-reader focus to the summary
// of them (it lists each error with a link to its field), as the GOV.UK error summary does.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
