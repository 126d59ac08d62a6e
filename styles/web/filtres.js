// The filters of the list of proposals (propositions/index.html): progressive enhancement. The page
// holds every proposal; this script shows the filter form and hides the items it excludes. Each
// item carries what it is filtered on as data attributes (data-partie, data-acteurs, one per scale,
// data-phare); each list box is named after one of them.
(function () {
  "use strict";
  var box = document.getElementById("filtres");
  if (!box) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll(".proposal-item"));
  var selects = Array.prototype.slice.call(box.querySelectorAll("select"));
  var highlight = document.getElementById("filtre-phare");
  var count = document.getElementById("filtre-compte");
  var none = document.getElementById("filtre-aucune");
  var total = items.length;

  function keeps(item) {
    for (var i = 0; i < selects.length; i++) {
      var wanted = selects[i].value;
      var values = (item.getAttribute("data-" + selects[i].name) || "").split(" ");
      if (wanted && values.indexOf(wanted) < 0) { return false; }
    }
    return !(highlight.checked && item.getAttribute("data-phare") !== "oui");
  }

  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var keep = keeps(item);
      item.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll(".list-part").forEach(function (part) {
      part.hidden = !part.querySelector(".proposal-item:not([hidden])");
    });
    var words = count.getAttribute(shown <= 1 ? "data-singulier" : "data-pluriel");
    count.textContent = words.replace("{n}", String(shown)).replace("{total}", String(total));
    none.hidden = shown > 0;
  }

  selects.forEach(function (select) { select.addEventListener("change", apply); });
  highlight.addEventListener("change", apply);
  document.getElementById("filtre-tout").addEventListener("click", function () {
    selects.forEach(function (select) { select.value = ""; });
    highlight.checked = false;
    apply();
  });
  box.hidden = false;
  apply();
})();
