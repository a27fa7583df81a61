// Progressive enhancement: make the columns of `table.sortable` sortable with buttons.
// The table is complete and sorted without JavaScript; this only adds reordering.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    raw = raw.trim();
    var number = parseFloat(raw.replace("\u2212", "-"));
    return raw !== "" && !isNaN(number) && /^[\u2212+\-]?\d/.test(raw) ? number : raw.toLowerCase();
  }

  function compare(a, b) {
    if (a === "" && b !== "") return 1;
    if (b === "" && a !== "") return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }

  function sortBy(table, index, button) {
    var header = button.parentNode;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(cellValue(r1, index), cellValue(r2, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var status = table.parentNode.querySelector(".sort-status");
    if (status) {
      status.textContent = "Sorted by " + button.textContent.trim() + ", " +
        (ascending ? "ascending" : "descending") + ".";
    }
  }

  function enhance(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, button); });
    });
    var status = document.createElement("p");
    status.className = "sort-status visually-hidden";
    status.setAttribute("role", "status");
    table.parentNode.appendChild(status);
  }

  document.querySelectorAll("table.sortable").forEach(enhance);
})();
