/* The incident page: ask before the two review actions that take an incident out of the lists. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm], button[data-confirm]").forEach(function (element) {
    var form = element.tagName === "FORM" ? element : element.form;
    if (element.tagName === "BUTTON") {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.dataset.confirm)) event.preventDefault();
      });
    } else {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    }
  });
})();
