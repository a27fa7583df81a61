"""What the browser tests measure inside the page: axe runs, the Tab walk, focus styles, overflow."""
from __future__ import annotations

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core on the whole document with the WCAG 2.0-2.2 A/AA tags and best practices."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the site's Content-Security-Policy stays on.
        page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                          html: n.html.slice(0, 200)})),
            }));
        }""", AXE_TAGS)


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['id']}] ({v['impact']}) {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    target: {node['target']}\n      html: {node['html']}\n      {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


HELPERS = r"""
window.__t = (() => {
    const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), '
        + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

    function rendered(el) {
        const s = getComputedStyle(el);
        return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0;
    }
    function name(el) {
        const cls = typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\s+/).join('.') : '';
        return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls;
    }
    function label(el) {
        const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
        return `<${name(el)}> "${text}" ${el.getAttribute('href') || ''}`;
    }
    function kindOf(el) {
        const role = el.getAttribute('role');
        if (role === 'doc-noteref' || role === 'doc-backlink') return role;
        if (el.classList.contains('skip-link')) return 'skip link';
        if (el.closest('nav')) return 'navigation link';
        return el.tagName.toLowerCase();
    }
    // The parts of an element's look that can show focus.
    function look(el) {
        const s = getComputedStyle(el);
        return {
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none',
            boxShadow: s.boxShadow, background: s.backgroundColor,
            border: `${s.borderTopColor} ${s.borderBottomColor} ${s.borderBottomWidth}`,
        };
    }
    return {
        // Tag every element a keyboard user should reach with a number; note its unfocused look.
        tagFocusables() {
            if (document.activeElement) document.activeElement.blur();
            const found = [];
            for (const el of document.querySelectorAll(FOCUSABLE)) {
                if (el.closest('[inert], [hidden]') || !rendered(el)) continue;
                el.dataset.kb = String(found.length);
                found.push({kb: found.length, label: label(el), kind: kindOf(el), look: look(el)});
            }
            return found;
        },
        // Where focus is now: which tagged element, how it looks, whether it can be seen.
        active() {
            const el = document.activeElement;
            if (!el || el === document.body || el === document.documentElement) return null;
            const rect = el.getBoundingClientRect();
            const s = getComputedStyle(el);
            return {
                kb: el.dataset.kb === undefined ? null : Number(el.dataset.kb),
                label: label(el), look: look(el),
                // At least partly on screen (WCAG 2.4.11 asks that focus is not entirely hidden).
                inViewport: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
                    && rect.top < innerHeight && rect.left < innerWidth,
                visible: s.visibility === 'visible' && parseFloat(s.opacity) > 0
                    && s.clipPath === 'none' && rect.width > 1 && rect.height > 1,
            };
        },
        // Content pushed sideways or cut off: elements past the viewport's edges (unless inside
        // their own scrolling container) and boxes that clip their own content.
        horizontalLoss() {
            const width = document.documentElement.clientWidth;
            const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
            const problems = [];
            // A scrolling box clips an absolutely positioned element only when it holds the
            // element's containing block (a visually hidden span in a table escapes otherwise).
            const positioned = (el) => getComputedStyle(el).position !== 'static'
                || getComputedStyle(el).transform !== 'none';
            function clipper(el) {
                const position = getComputedStyle(el).position;
                if (position === 'fixed') return null;
                // An inline SVG clips what it draws to its viewport (a map's Russia runs past
                // the view box): its shapes are inside the <svg>'s own box.
                const svg = el.ownerSVGElement;
                if (svg && !['visible', 'auto'].includes(getComputedStyle(svg).overflow)) return svg;
                let box = el.parentElement;
                if (position === 'absolute') while (box && box !== document.body && !positioned(box)) box = box.parentElement;
                while (box && box !== document.body && !scrolls(box)) box = box.parentElement;
                return box === document.body ? null : box;
            }
            for (const el of document.body.querySelectorAll('*')) {
                if (!rendered(el)) continue;
                const rect = el.getBoundingClientRect();
                if (rect.width === 0 || rect.height === 0 || rect.bottom < 0) continue;
                const box = clipper(el);
                if (!box && (rect.right > width + 1 || rect.left < -1)) {
                    problems.push(`${name(el)} spans ${Math.round(rect.left)}..${Math.round(rect.right)} px `
                                  + `of a ${width} px wide viewport`);
                }
                const s = getComputedStyle(el);
                if (['hidden', 'clip'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1
                        && !el.closest('.visually-hidden, .narrow-hidden')) {
                    problems.push(`${name(el)} cuts off its content (${el.scrollWidth} px in ${el.clientWidth} px)`);
                }
            }
            return {scrollWidth: document.scrollingElement.scrollWidth,
                    clientWidth: document.scrollingElement.clientWidth, problems: problems.slice(0, 15)};
        },
        rendered, name, label, look,
    };
})();
"""


def install(page) -> None:
    if not page.evaluate("typeof window.__t !== 'undefined'"):
        page.evaluate(HELPERS)


def focus_shows(before: dict, after: dict) -> list[str]:
    """The properties whose change makes focus visible (empty: no visible focus indicator)."""
    changed = []
    if after["outline"] != "none" and after["outline"] != before["outline"]:
        changed.append("outline")
    if after["boxShadow"] != "none" and after["boxShadow"] != before["boxShadow"]:
        changed.append("box-shadow")
    if after["background"] != before["background"]:
        changed.append("background")
    if after["border"] != before["border"]:
        changed.append("border")
    return changed


def tab_walk(page, limit: int) -> list[dict]:
    """Press Tab from the top of a freshly loaded page until focus comes round again; each stop."""
    install(page)
    stops: list[dict] = []
    seen: set[int] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("__t.active()")
        if stop is None:  # focus went to the browser's own UI, past the end of the page
            if stops:
                break
            continue
        if stop["kb"] is not None and stop["kb"] in seen:
            break
        if stop["kb"] is not None:
            seen.add(stop["kb"])
        stops.append(stop)
    return stops


def horizontal_loss(page) -> dict:
    install(page)
    return page.evaluate("__t.horizontalLoss()")
