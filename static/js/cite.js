// Progressive enhancement: a "Copy citation" button beside the citation of a report.
// The citation is plain text on the page without JavaScript; the button copies it with today's
// date as the access date, and says so in a status message that screen readers announce.
(function () {
  "use strict";

  var citation = document.getElementById("citation-text");
  if (!citation || !navigator.clipboard || !navigator.clipboard.writeText) return;

  function today() {
    var lang = document.documentElement.lang || "en";
    try {
      return new Date().toLocaleDateString(lang, {day: "numeric", month: "long", year: "numeric"});
    } catch (error) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  // The citation's text as it reads, with the access date filled in.
  function citationText(date) {
    var copy = citation.cloneNode(true);
    var placeholder = copy.querySelector("[data-accessed-placeholder]");
    if (placeholder) placeholder.textContent = date;
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  var row = document.createElement("p");
  row.className = "cite__copy";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy citation";
  var status = document.createElement("span");
  status.className = "cite__status";
  status.setAttribute("role", "status");
  row.appendChild(button);
  row.appendChild(document.createTextNode(" "));
  row.appendChild(status);
  citation.parentNode.insertBefore(row, citation.nextSibling);

  button.addEventListener("click", function () {
    var date = today();
    navigator.clipboard.writeText(citationText(date)).then(function () {
      status.textContent = "Citation copied, with today’s date (" + date + ") as the access date.";
    }, function () {
      status.textContent = "Could not copy: select the citation above and copy it by hand.";
    });
  });
})();
