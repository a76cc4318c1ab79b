/* What every page's script does, kept out of the HTML (the Content-Security-Policy
 * allows no inline script): mark the page as having JavaScript (CSS hides the buttons
 * that only a page without it needs), submit a form when one of its
 * <select data-autosubmit> changes, and select the whole text of an
 * <input data-select-all> (or textarea) when it is clicked, ready to copy. The handlers sit on the
 * document, so they also work for what htmx swaps in. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit")
        && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var field = event.target;
    if ((field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)
        && field.hasAttribute("data-select-all")) {
      field.select();
    }
  });
})();
