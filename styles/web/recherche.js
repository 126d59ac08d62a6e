// The search page (recherche.html): asks the Pagefind index (pagefind/, static files made by the
// build) and lists the pages that hold the words, with their excerpt. A browser refuses to load the
// index from a page opened from disk: the page then says so and points at the list of proposals. The query may come in the address (recherche.html?q=mot).
(function () {
  "use strict";
  var tool = document.getElementById("recherche-outil");
  var offline = document.getElementById("recherche-hors-ligne");
  if (!tool) { return; }
  if (location.protocol.indexOf("http") !== 0) { offline.hidden = false; return; }
  var field = document.getElementById("recherche-mots");
  var count = document.getElementById("recherche-compte");
  var list = document.getElementById("recherche-resultats");
  var engine = null;
  var asked = 0;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", document.baseURI).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: new URL(".", document.baseURI).pathname }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function show(query, results) {
    list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = (result.meta && result.meta.title) || result.url;
      var excerpt = document.createElement("p");
      // Pagefind marks the words found with <mark> in an excerpt of the page's own text.
      excerpt.innerHTML = result.excerpt;
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    var words = results.length ? tool.getAttribute(results.length === 1 ? "data-singulier" : "data-pluriel")
                               : tool.getAttribute("data-aucun");
    count.textContent = words.replace("{n}", String(results.length)).replace("{q}", query);
  }

  function search() {
    var query = field.value.trim();
    var mine = ++asked;
    if (!query) { list.textContent = ""; count.textContent = ""; return; }
    load().then(function (pagefind) { return pagefind.search(query); })
      .then(function (found) { return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); })); })
      .then(function (results) { if (mine === asked) { show(query, results); } })
      .catch(function () { offline.hidden = false; });
  }

  var timer = null;
  field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
  field.addEventListener("keydown", function (event) { if (event.key === "Enter") { search(); } });
  document.getElementById("recherche-lancer").addEventListener("click", search);
  tool.hidden = false;
  var given = new URLSearchParams(location.search).get("q");
  if (given) { field.value = given; search(); }
})();
