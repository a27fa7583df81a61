// Full-text search with Pagefind's JavaScript API, rendered as a plain accessible list.
// The page works without it: the form falls back to links for browsing.
const script = document.currentScript || document.querySelector('script[data-bundle]');
const bundle = script.dataset.bundle;
const moreBundles = (script.dataset.moreBundles || "").split(" ").filter(Boolean);
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const fallback = document.getElementById("search-fallback");

let pagefind = null;

async function load() {
  try {
    pagefind = await import(bundle + "pagefind.js");
    const baseUrl = bundle.replace(/pagefind\/$/, "");
    await pagefind.options({ baseUrl });
    // A large site's index comes in parts (one Pagefind run each, to bound its memory):
    // search them all as one.
    for (const more of moreBundles) {
      await pagefind.mergeIndex(more, { baseUrl });
    }
    fallback.hidden = true;
    return true;
  } catch (error) {
    status.textContent = "Search is not available on this copy of the site.";
    return false;
  }
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const heading = document.createElement("h2");
  heading.className = "search-results__title";
  heading.appendChild(link);
  const excerpt = document.createElement("p");
  // Pagefind's excerpt is text from our own pages with <mark> around the matches.
  excerpt.innerHTML = data.excerpt;
  item.append(heading, excerpt);
  return item;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  if (!pagefind && !(await load())) return;
  status.textContent = "Searching…";
  const search = await pagefind.search(query);
  const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  results.forEach((data) => list.appendChild(resultItem(data)));
  const total = search.results.length;
  status.textContent = total === 0
    ? `No reports match “${query}”.`
    : `${total} ${total === 1 ? "page matches" : "pages match"} “${query}”` +
      (total > 20 ? "; showing the first 20." : ".");
}

const params = new URLSearchParams(window.location.search);
const initial = params.get("q") || "";
input.value = initial;
load().then((ok) => { if (ok && initial) run(initial); });
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value;
  const url = new URL(window.location.href);
  url.searchParams.set("q", query);
  window.history.replaceState(null, "", url);
  run(query);
});
