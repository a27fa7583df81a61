"""`build.py serve`: preview on localhost, rebuild on every save, reload the open browser tab.

- Watching: `watchfiles` (inotify through the Rust `notify` crate) on content/, data/,
  templates/, static/ and site.yaml, never the output folder. An event arrives within a few
  milliseconds of the save, where livereload's own watcher polls every 800 ms; watchfiles
  yields once 50 ms pass without a further change, so a burst of saves becomes one batch.
- Building: one worker thread runs the pipeline's incremental engine (`pipeline.Builder`, the
  same engine as `build.py`); changes that arrive during a build are merged into a single next
  build. Serving never waits for a build: the output folder is swapped in atomically.
- Reloading: livereload's WebSocket handler and `livereload.js`; the reload message is sent
  by us right after the new output is on disk (not by livereload's poller, whose 3-second
  suppression would drop quick successive reloads).
- Errors: a failed build leaves the last good site in place and served; every HTML page then
  carries an error panel naming file, line and problem (also printed in the terminal), and
  the next good save rebuilds and reloads by itself.
- Serving: binds 127.0.0.1 unless told otherwise; only files inside the output folder are
  served (no `..`, no encoded `..`, no symlinks out); missing paths get the site's 404.html.
"""
from __future__ import annotations

import gc
import html
import mimetypes
import os
import signal
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problem, display_path
from .pipeline import Builder, Paths, error_problems
from .write import BuildLocked

HEAD_END = b"</head>"
DEBOUNCE_STEP_MS = 50  # quiet time that closes a batch of changes
DEBOUNCE_MAX_MS = 1000  # a continuous stream of saves still gets built at least this often
# The preview's own assets are served from /__preview/, outside the site, as files: the site's
# Content-Security-Policy allows only same-origin scripts and styles, never inline ones.
PREVIEW_PREFIX = "/__preview/"
LIVE_SCRIPT = f'<script src="{PREVIEW_PREFIX}live.js"></script>'
PANEL_STYLESHEET = f'<link rel="stylesheet" href="{PREVIEW_PREFIX}panel.css">'
PREVIEW_ASSETS = {
    "live.js": (
        "application/javascript; charset=utf-8",
        # Loads livereload.js from this server; it connects back over a same-origin WebSocket.
        '(function(){var s=document.createElement("script");'
        'var p=window.location.port||(window.location.protocol=="https:"?443:80);'
        's.src="/livereload.js?port="+p;document.head.appendChild(s);})();\n',
    ),
    "panel.css": (
        "text/css; charset=utf-8",
        "#publisher-build-error{position:relative;z-index:2147483647;margin:0;"
        "padding:1rem 1.25rem;background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #a40000;"
        "font:16px/1.5 system-ui,sans-serif}\n"
        "#publisher-build-error h2{margin:0 0 .5rem;color:#a40000;font-size:1.25rem}\n"
        "#publisher-build-error ul{margin:0;padding-left:1.25rem}\n"
        "#publisher-build-error p{margin:.5rem 0 0}\n",
    ),
}


def error_panel(problems: list[Problem]) -> bytes:
    """The panel shown on every page while the last build failed (styled by /__preview/panel.css)."""
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems[:50])
    more = f"<p>… and {len(problems) - 50} more.</p>" if len(problems) > 50 else ""
    return (
        '<section id="publisher-build-error" role="alert" aria-labelledby="publisher-build-error-title">'
        '<h2 id="publisher-build-error-title">'
        "Build failed: the site below is the last good build</h2>"
        f"<ul>{items}</ul>{more}"
        "<p>Fix the file and save: the page reloads by itself.</p>"
        "</section>"
    ).encode("utf-8")


class PreviewState:
    """What the server shows: the output folder, and the problems of the last build (if any)."""

    def __init__(self, out_dir: Path, base_url: str):
        self.out_dir = out_dir.resolve()
        self.base_url = base_url
        self.problems: list[Problem] = []
        self.lock = threading.Lock()

    def set_problems(self, problems: list[Problem]) -> None:
        with self.lock:
            self.problems = list(problems)

    def failing(self) -> list[Problem]:
        with self.lock:
            return list(self.problems)


def resolve_request(out_dir: Path, base_url: str, raw_path: str) -> tuple[str, Path | str | None]:
    """Map a request path to ("file", path), ("redirect", location) or ("missing", None).

    Only files inside `out_dir` are ever returned: `..` segments (also percent-encoded), NUL
    bytes and backslashes are refused, and the resolved path (symlinks followed) must stay
    inside the folder.
    """
    path = urlsplit(raw_path).path
    if path + "/" == base_url or (path == "/" and base_url != "/"):
        return "redirect", base_url
    if not path.startswith(base_url):
        return "missing", None
    try:
        decoded = unquote(path[len(base_url):], errors="strict")
    except UnicodeDecodeError:
        return "missing", None
    parts = decoded.split("/")
    if any(p in ("..", ".") or "\x00" in p or "\\" in p for p in parts):
        return "missing", None
    root = os.path.realpath(out_dir)
    target = os.path.realpath(os.path.join(root, *[p for p in parts if p]))
    if target != root and not target.startswith(root + os.sep):
        return "missing", None
    if os.path.isdir(target):
        if not path.endswith("/"):
            return "redirect", path + "/"
        target = os.path.join(target, "index.html")
    if os.path.isfile(target):
        return "file", Path(target)
    return "missing", None


def make_app(state: PreviewState):
    """The Tornado application: livereload's WebSocket and script, and our safe file handler."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from tornado import web

    class SiteHandler(web.RequestHandler):
        def compute_etag(self):
            return None

        def head(self, *args):
            self.get(head=True)

        def get(self, *args, head: bool = False):
            kind, target = resolve_request(state.out_dir, state.base_url, self.request.path)
            if kind == "redirect":
                self.redirect(str(target), permanent=False)
                return
            status = 200
            if kind == "missing":
                status = 404
                target = state.out_dir / "404.html"
                problems = state.failing()
                if not target.is_file() and problems:  # no good build yet: the error alone
                    body = inject(b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                  b"<title>Build failed</title></head><body></body></html>", problems)
                    self.set_status(500 if kind == "missing" and not state.out_dir.is_dir() else 404)
                    self.set_header("Content-Type", "text/html; charset=utf-8")
                    self.set_header("Cache-Control", "no-store")
                    self.finish(body if not head else None)
                    return
                if not target.is_file():
                    self.set_status(404)
                    self.set_header("Content-Type", "text/plain; charset=utf-8")
                    self.finish(b"Not found\n" if not head else None)
                    return
            try:
                body = target.read_bytes()
            except OSError:  # swapped away between the check and the read: try once more
                body = b"Not found\n"
                status = 404
            content_type = mimetypes.guess_type(str(target))[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type in ("application/javascript",
                                                                     "application/json"):
                content_type += "; charset=utf-8"
            if content_type.startswith("text/html"):
                body = inject(body, state.failing())
            self.set_status(status)
            self.set_header("Content-Type", content_type)
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Length", str(len(body)))
            if not head:
                self.write(body)
            self.finish()

    class PreviewAssetHandler(web.RequestHandler):
        def get(self, name: str):
            content_type, text = PREVIEW_ASSETS[name]
            self.set_header("Content-Type", content_type)
            self.set_header("Cache-Control", "no-store")
            self.finish(text.encode("utf-8"))

    return web.Application([
        (PREVIEW_PREFIX + r"(live\.js|panel\.css)", PreviewAssetHandler),
        (r"/livereload", LiveReloadHandler),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r".*", SiteHandler),
    ], compress_response=False)


def inject(body: bytes, problems: list[Problem]) -> bytes:
    """Add the live-reload script (and the error panel while the build is failing)."""
    head = LIVE_SCRIPT + (PANEL_STYLESHEET if problems else "")
    if HEAD_END in body:
        body = body.replace(HEAD_END, head.encode() + HEAD_END, 1)
    else:
        body = head.encode() + body
    if problems:
        panel = error_panel(problems)
        start = body.find(b"<body")
        end = body.find(b">", start) if start >= 0 else -1
        body = body[:end + 1] + panel + body[end + 1:] if end >= 0 else panel + body
    return body


class Rebuilder:
    """One worker thread that runs builds; changes arriving meanwhile make one more build."""

    def __init__(self, builder: Builder, out_dir: Path, base_url: str | None, search: bool,
                 state: PreviewState, notify, log=print):
        self.builder = builder
        self.out_dir = out_dir
        self.base_url = base_url
        self.search = search
        self.state = state
        self.notify = notify  # called with the changed output paths after a good build
        self.log = log
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.changed: set[str] = set()
        self.lock = threading.Lock()
        self.builds = 0
        self.thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def request(self, paths: set[str]) -> None:
        with self.lock:
            self.changed |= paths
        self.wanted.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            if self.stopping.is_set():
                return
            self.wanted.clear()
            with self.lock:
                changed, self.changed = self.changed, set()
            self.run_build(changed)

    def run_build(self, changed: set[str] | None = None) -> bool:
        started = time.perf_counter()
        shown = ", ".join(sorted(display_path(p) for p in (changed or ())))
        try:
            result = self.builder.build(self.out_dir, self.base_url, self.search)
        except BuildLocked as error:
            self.log(f"error: {error}", file=sys.stderr)
            return False
        except Exception as error:  # content, template or any other error: keep the last site
            problems = error_problems(error, self.builder.paths.templates)
            self.state.set_problems(problems)
            for problem in problems:
                self.log(str(problem), file=sys.stderr)
            errors = sum(1 for p in problems if p.severity == "error")
            self.log(f"Build failed: {errors} error(s); still serving the last good site.",
                     file=sys.stderr)
            self.builds += 1
            self.notify(["*"])
            return False
        was_failing = bool(self.state.failing())
        self.state.set_problems([])
        if self.builder.site is not None:  # site.yaml's base_url may have changed
            self.state.base_url = self.builder.site.config.base_url
        self.builds += 1
        elapsed = (time.perf_counter() - started) * 1000
        if result.changed or was_failing:
            self.notify(list(result.written) or ["*"])
        what = f" after {shown}" if shown else ""
        self.log(f"Rebuilt{what}: {len(result.rendered)} page(s) rendered, {len(result.written)} "
                 f"file(s) written, {len(result.removed)} removed in {elapsed:.0f} ms.")
        try:
            self.builder.tidy(self.out_dir)  # after the reload: ready the next build's folder
            self.builder.prepare_spare(self.out_dir)  # none yet after a first, fresh build
        except BuildLocked:
            pass
        gc.collect()  # while idle, not during the next build
        return True


def send_reload(path: str) -> None:
    """Tell every connected page to reload (on the IO loop; livereload.js protocol 7)."""
    from livereload.handlers import LiveReloadHandler

    message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # a closed tab: forget it
            LiveReloadHandler.waiters.discard(waiter)


def watch_paths(paths: Paths) -> list[Path]:
    found = [p for p in (paths.content, paths.data, paths.templates, paths.static) if p.is_dir()]
    if paths.config.exists():
        found.append(paths.config)
    return found


def watch_loop(paths: Paths, out_dir: Path, rebuilder: Rebuilder, stop: threading.Event,
               ready: threading.Event | None = None) -> None:
    """Feed batches of file changes to the rebuilder until `stop` is set."""
    import watchfiles

    out = str(out_dir.resolve())
    cache = str((paths.config.parent / ".build-cache").resolve())
    default = watchfiles.DefaultFilter()

    def wanted(change, path: str) -> bool:
        if path.startswith((out + os.sep, cache + os.sep)) or path in (out, cache):
            return False
        name = os.path.basename(path)
        if name.startswith(f".{os.path.basename(out)}."):
            return False
        return default(change, path)

    roots = [str(p) for p in watch_paths(paths)]
    if ready is not None:
        ready.set()
    for batch in watchfiles.watch(*roots, watch_filter=wanted, debounce=DEBOUNCE_MAX_MS,
                                  step=DEBOUNCE_STEP_MS, stop_event=stop, raise_interrupt=False,
                                  yield_on_timeout=False, rust_timeout=500):
        if stop.is_set():
            return
        rebuilder.request({path for _, path in batch})


def serve(paths: Paths, out_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          base_url: str | None = None, search: bool = False, ready=None,
          stop: threading.Event | None = None) -> int:
    """Build, then serve `out_dir` and rebuild/reload on every change until interrupted."""
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    builder = Builder(paths, keep_spare=True)
    try:
        config_base = builder._config(base_url).base_url
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    state = PreviewState(out_dir, config_base)
    loop_holder: dict = {}

    def notify(changed: list[str]) -> None:
        loop = loop_holder.get("loop")
        if loop is None:
            return
        css = [p for p in changed if p.endswith(".css")]
        target = css[0] if css and len(css) == len(changed) else (changed[0] if changed else "*")
        loop.add_callback(send_reload, target)

    rebuilder = Rebuilder(builder, out_dir, base_url, search, state, notify)
    # The first build runs before any thread starts (its worker processes are forked safely).
    rebuilder.run_build()

    loop = ioloop.IOLoop.current()
    loop_holder["loop"] = loop
    LiveReloadHandler.live_css = True
    app = make_app(state)
    try:
        server = app.listen(port, address=host)
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    actual_port = next(iter(server._sockets.values())).getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Serving {display_path(out_dir)}/ on http://{shown_host}:{actual_port}{config_base} "
          f"(watching content/, data/, templates/, static/ and site.yaml; Ctrl+C stops)",
          flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}: other machines on the network can see the preview",
              file=sys.stderr)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # stop cleanly, as on Ctrl+C
    rebuilder.start()
    watcher = threading.Thread(target=watch_loop, args=(paths, out_dir, rebuilder, stop),
                               name="watch", daemon=True)
    watcher.start()
    if ready is not None:
        ready(actual_port)

    def check_stop() -> None:
        if stop.is_set():
            loop.stop()

    ioloop.PeriodicCallback(check_stop, 200).start()
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
        rebuilder.stop()
        watcher.join(timeout=5)
        builder.prune_cache()  # the edits of this session left entries nobody needs
    print("Stopped.")
    return 0
