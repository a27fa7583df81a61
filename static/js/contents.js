// Progressive enhancement: on a wide screen, where the contents stay beside the report, mark
// the section being read (aria-current="location"). Without JavaScript the list is the same,
// only unmarked.
(function () {
  "use strict";

  var toc = document.querySelector(".toc");
  if (!toc || !("IntersectionObserver" in window)) return;
  var links = {};
  var sections = [];
  Array.prototype.forEach.call(toc.querySelectorAll("a[href^='#']"), function (link) {
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target || target.id === "top") return;
    var section = target.closest("section") || target;
    links[section.id || target.id] = link;
    sections.push(section);
  });
  var visible = {};

  function mark() {
    var current = null;
    sections.forEach(function (section) {
      if (current === null && visible[section.id]) current = section.id;
    });
    if (current === null) return;  // between sections: keep the last mark
    Object.keys(links).forEach(function (id) {
      if (id === current) links[id].setAttribute("aria-current", "location");
      else links[id].removeAttribute("aria-current");
    });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
    mark();
  }, {rootMargin: "0px 0px -60% 0px"});  // a section counts once it reaches the top 40 %
  sections.forEach(function (section) { if (section.id) observer.observe(section); });
})();
