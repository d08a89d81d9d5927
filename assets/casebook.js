// Small enhancements; every page works without them.
// A form that came back with mistakes: move focus to its summary, so a screen reader
// announces it and the keyboard starts from the links to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  // Links in the summary move focus to the field itself, not just scroll to it.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      var field = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input, select, textarea");
      if (field) {
        setTimeout(function () { field.focus(); }, 0);
      }
    });
  });
});
