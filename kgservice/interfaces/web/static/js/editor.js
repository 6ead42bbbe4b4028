// The query editor: YASGUI on this service's endpoint, the named queries as a list that opens each in
// its own tab, and IRIs of the graph in the results linked to their pages on this service.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var NAMESPACE = "https://w3id.org/kgservice/id/";
  var first = config.examples.filter(function (e) { return e.name === "strategies"; })[0] || config.examples[0];

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    tabName: first ? first.title : "Query",
    // Only this endpoint: the default catalogue lists public endpoints this page must not call.
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; }, keys: [] },
    // Tabs are remembered per service address, so a tab never points at another instance's endpoint.
    persistenceId: "kgservice-editor-" + location.host,
    // No Linked Open Vocabularies look-ups: the prefix and variable completers work offline.
    yasqe: { value: first ? first.text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10", autocompleters: ["prefixes", "variables"] },
    yasr: { defaultPlugin: "table" },
  });
  window.kgserviceYasgui = yasgui;

  function tabNamed(name) {
    var ids = Object.keys(yasgui._tabs);
    for (var i = 0; i < ids.length; i++) {
      if (yasgui._tabs[ids[i]].getName() === name) return yasgui._tabs[ids[i]];
    }
    return null;
  }

  function open(example) {
    var tab = tabNamed(example.title);
    if (tab) {
      yasgui.selectTabId(tab.getId());
      tab.setQuery(example.text);
    } else {
      yasgui.addTab(true, { name: example.title, yasqe: { value: example.text } });
    }
  }

  var byName = {};
  config.examples.forEach(function (example) { byName[example.name] = example; });
  document.querySelectorAll("#named-queries button.example").forEach(function (button) {
    button.addEventListener("click", function () { open(byName[button.dataset.name]); });
  });

  // IRIs of our namespace in the results open their page here rather than at w3id.org.
  function localise(root) {
    root.querySelectorAll('a[href^="' + NAMESPACE + '"]').forEach(function (link) {
      link.href = "/id/" + link.getAttribute("href").slice(NAMESPACE.length) + "?lang=" + document.documentElement.lang;
      link.removeAttribute("target");
    });
  }
  new MutationObserver(function () { localise(document.getElementById("yasgui")); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
})();
