/* The review queue's keyboard: j/k next/previous, v verify, x reject, o open the current incident.
   v and x tick the current incident alone and submit the queue's form (the same bulk decision). */
(function () {
  "use strict";

  var form = document.getElementById("queue-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".queue-row"));
  var current = 0;

  function show(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, position) {
      row.classList.toggle("current", position === current);
      if (position === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    rows[current].scrollIntoView({ block: "nearest" });
    document.getElementById("review-queue").dataset.current = rows[current].dataset.incidentId;
  }

  function decide(decision) {
    rows.forEach(function (row, position) {
      row.querySelector("input[name=incidents]").checked = position === current;
    });
    form.querySelector("select[name=decision]").value = decision;
    form.requestSubmit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
      (target.tagName === "INPUT" && !/^(checkbox|radio|button|submit)$/.test(target.type)));
    if (typing) return;
    var actions = {
      j: function () { show(current + 1); },
      k: function () { show(current - 1); },
      v: function () { decide("verify"); },
      x: function () { decide("reject"); },
      o: function () { window.location.assign(rows[current].dataset.url); },
    };
    var action = actions[event.key];
    if (!action || !rows.length) return;
    event.preventDefault();
    action();
  });

  show(0);
  document.getElementById("review-queue").dataset.keysReady = "true";
})();
