// The public questionnaire: a multiple-choice question with a limit counts the choices and
// stops further ones once the limit is reached. The server checks the limit anyway.
(function () {
  "use strict";
  document.querySelectorAll("[data-max-choices]").forEach(function (group) {
    var limit = parseInt(group.getAttribute("data-max-choices"), 10);
    var boxes = group.querySelectorAll("input[type=checkbox]");
    var counter = group.querySelector(".survey-counter");
    var update = function () {
      var chosen = 0;
      boxes.forEach(function (box) { if (box.checked) { chosen += 1; } });
      boxes.forEach(function (box) { box.disabled = !box.checked && chosen >= limit; });
      if (counter) {
        counter.textContent = counter.getAttribute("data-template")
          .replace("{chosen}", chosen).replace("{limit}", limit);
      }
    };
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });
})();
