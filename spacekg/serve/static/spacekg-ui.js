// The query editor: YASGUI on this server's /sparql endpoint, with the named query library
// (each query with its example parameters bound) in a menu that opens a query in its own tab.
(function () {
  "use strict";
  var endpoint = window.location.origin + "/sparql";
  document.getElementById("endpoint-url").textContent = window.location.origin + "/query";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] }
  });
  window.spacekgYasgui = yasgui;
  var menu = document.getElementById("named-query");
  var description = document.getElementById("query-description");
  var byName = {};
  fetch("/queries.json").then(function (response) {
    if (!response.ok) { throw new Error("HTTP " + response.status); }
    return response.json();
  }).then(function (queries) {
    queries.forEach(function (q) {
      byName[q.name] = q;
      var option = document.createElement("option");
      option.value = q.name;
      option.textContent = q.name + " — " + q.title;
      menu.appendChild(option);
    });
    menu.dataset.loaded = String(queries.length);
  }).catch(function (error) {
    description.textContent = "could not load the named queries: " + error.message;
  });
  menu.addEventListener("change", function () {
    var q = byName[menu.value];
    if (!q) { return; }
    description.textContent = q.description + (q.note ? " (" + q.note + ")" : "");
    var tab = yasgui.addTab(true, { name: q.name, yasqe: { value: q.query }, requestConfig: { endpoint: endpoint } });
    tab.show();
  });
})();
