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
import ipaddress
import mimetypes
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ContentError, Problem, display_path, grouped
from .errors import error_problems
from .pipeline import Builder, Paths
from .write import BuildLocked

HEAD_END = b"</head>"
DEBOUNCE_STEP_MS = 50  # quiet time that closes a batch of changes
DEBOUNCE_MAX_MS = 1000  # a continuous stream of saves still gets built at least this often
WATCH_SETTLE_SECONDS = 0.5  # after the watcher starts: time for its inotify watches to be set

# The preview's own assets are served from /__preview/, outside the site, as files: the site's
# Content-Security-Policy allows only same-origin scripts and styles, never inline ones.
PREVIEW_PREFIX = "/__preview/"
LIVE_SCRIPT = f'<script src="{PREVIEW_PREFIX}live.js"></script>'
PANEL_STYLESHEET = f'<link rel="stylesheet" href="{PREVIEW_PREFIX}panel.css">'
PREVIEW_ASSETS = {
    "live.js": (
        "application/javascript; charset=utf-8",
        # Loads livereload.js from this server; it connects back over a same-origin WebSocket.
        # Escape folds the error panel away (it is a <details>: Enter on its summary does too).
        '(function(){var s=document.createElement("script");'
        'var p=window.location.port||(window.location.protocol=="https:"?443:80);'
        's.src="/livereload.js?port="+p;document.head.appendChild(s);'
        'document.addEventListener("keydown",function(e){var d=document.getElementById('
        '"publisher-build-error");if(e.key==="Escape"&&d&&d.open){d.open=false;'
        'd.querySelector("summary").focus();}});})();\n',
    ),
    "panel.css": (
        "text/css; charset=utf-8",
        "#publisher-build-error{position:fixed;top:0;left:0;right:0;z-index:2147483647;"
        "max-height:60vh;overflow:auto;margin:0;padding:.75rem 1.25rem;background:#fff4f4;"
        "color:#1a1a1a;border-bottom:4px solid #a40000;box-shadow:0 2px 8px rgba(0,0,0,.3);"
        "font:16px/1.5 system-ui,sans-serif}\n"
        "#publisher-build-error>summary{cursor:pointer;color:#a40000;font-weight:700;"
        "font-size:1.125rem}\n"
        "#publisher-build-error summary:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}\n"
        "#publisher-build-error ul{margin:.5rem 0 0;padding-left:1.25rem}\n"
        "#publisher-build-error li.saved{font-weight:700}\n"
        "#publisher-build-error details details{margin-top:.5rem}\n"
        "#publisher-build-error p{margin:.5rem 0 0}\n",
    ),
}
PANEL_ERRORS_SHOWN = 50


def error_panel(problems: list[Problem], saved: frozenset[str] = frozenset()) -> bytes:
    """The panel shown over every page while the last build failed (styled by
    /__preview/panel.css): errors first, those of the files just saved first; warnings
    grouped and folded away. A <details> element, so the keyboard folds it without script;
    role="alert", so a screen reader announces it."""
    errors = [p for p in problems if p.severity == "error"]
    errors.sort(key=lambda p: p.path not in saved)  # stable: the file order stays
    warnings = grouped([p for p in problems if p.severity == "warning"])

    def item(problem: Problem) -> str:
        mark = ' class="saved"' if problem.path in saved else ""
        return f"<li{mark}><code>{html.escape(str(problem))}</code></li>"

    shown = "".join(item(p) for p in errors[:PANEL_ERRORS_SHOWN])
    more = (f"<p>… and {len(errors) - PANEL_ERRORS_SHOWN} more error(s) (see the terminal).</p>"
            if len(errors) > PANEL_ERRORS_SHOWN else "")
    folded = (f"<details><summary>{len(warnings)} warning(s)</summary>"
              f"<ul>{''.join(item(p) for p in warnings)}</ul></details>" if warnings else "")
    title = (f"Build failed: {len(errors)} error(s). The page below is the last good build.")
    return (
        '<div role="alert"><details id="publisher-build-error" open>'
        f"<summary>{html.escape(title)}</summary>"
        f"<ul>{shown}</ul>{more}{folded}"
        "<p>Fix the file and save: the page reloads by itself. Escape folds this panel.</p>"
        "</details></div>"
    ).encode("utf-8")


class PreviewState:
    """What the server shows: the output folder, under which base URL, the problems of the
    last build (if any), and the host names it answers to."""

    def __init__(self, out_dir: Path, base_url, hosts: "AllowedHosts"):
        self.out_dir = out_dir.resolve()
        self._base_url = base_url  # () -> the site's base URL as the last build saw it
        self.hosts = hosts
        self.problems: list[Problem] = []
        self.saved: frozenset[str] = frozenset()  # files of the failed build's save, as shown
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return self._base_url()

    def set_problems(self, problems: list[Problem], saved: frozenset[str] = frozenset()) -> None:
        with self.lock:
            self.problems = list(problems)
            self.saved = saved

    def failing(self) -> list[Problem]:
        with self.lock:
            return list(self.problems)

    def panel(self) -> bytes | None:
        """The error panel to show over every page, while the last build failed."""
        with self.lock:
            return error_panel(self.problems, self.saved) if self.problems else None


class AllowedHosts:
    """The Host names the preview answers to, against DNS rebinding: a page on another site
    whose name is made to resolve to this machine must not read the preview's drafts.

    Loopback names and addresses always; when listening beyond loopback (`--host`), also any
    IP address literal and this machine's own names. Any other name gets 403, and a live-reload
    connection from a page of another origin is refused.
    """

    LOOPBACK = ("localhost", "127.0.0.1", "::1")

    def __init__(self, host: str, port: int):
        self.port = port
        self.names = set(self.LOOPBACK)
        self.any_address = host not in self.LOOPBACK
        if self.any_address:
            self.names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
            if host not in ("0.0.0.0", "::", ""):
                self.names.add(host.lower())

    def allows(self, host_header: str | None) -> bool:
        """Is `Host: <host_header>` this preview (name or address, and its port)?"""
        if not host_header:
            return False
        name, port = _split_host(host_header.strip().lower())
        if port is not None and port != self.port:
            return False
        if name in self.names:
            return True
        return self.any_address and _is_address(name)

    def allows_origin(self, origin: str | None) -> bool:
        """A WebSocket `Origin`: this preview's own pages only (absent: not a browser page)."""
        if origin is None:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and self.allows(parts.netloc)


def _split_host(value: str) -> tuple[str, int | None]:
    if value.startswith("["):  # [::1]:8000
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        name, port = value.split(":")
    else:
        name, port = value, ""
    try:
        return name, int(port) if port else None
    except ValueError:
        return name, -1


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


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

    def refuse_foreign_host(handler: web.RequestHandler) -> None:
        if not state.hosts.allows(handler.request.headers.get("Host")):
            raise web.HTTPError(403, reason="Unknown Host: this preview answers only to its "
                                            "own address")

    class OwnHostsOnly:
        def prepare(self):
            refuse_foreign_host(self)

    class ReloadSocket(OwnHostsOnly, LiveReloadHandler):
        def check_origin(self, origin):
            return state.hosts.allows_origin(origin)

    class ReloadScript(OwnHostsOnly, LiveReloadJSHandler):
        pass

    class SiteHandler(OwnHostsOnly, web.RequestHandler):
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
                                  b"<title>Build failed</title></head><body></body></html>",
                                  state.panel())
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
                body = inject(body, state.panel())
            self.set_status(status)
            self.set_header("Content-Type", content_type)
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Length", str(len(body)))
            if not head:
                self.write(body)
            self.finish()

    class PreviewAssetHandler(OwnHostsOnly, web.RequestHandler):
        def get(self, name: str):
            content_type, text = PREVIEW_ASSETS[name]
            self.set_header("Content-Type", content_type)
            self.set_header("Cache-Control", "no-store")
            self.finish(text.encode("utf-8"))

    return web.Application([
        (PREVIEW_PREFIX + r"(live\.js|panel\.css)", PreviewAssetHandler),
        (r"/livereload", ReloadSocket),
        (r"/livereload\.js", ReloadScript),
        (r".*", SiteHandler),
    ], compress_response=False)


def inject(body: bytes, panel: bytes | None) -> bytes:
    """Add the live-reload script (and the error panel while the build is failing)."""
    head = LIVE_SCRIPT + (PANEL_STYLESHEET if panel else "")
    if HEAD_END in body:
        body = body.replace(HEAD_END, head.encode() + HEAD_END, 1)
    else:
        body = head.encode() + body
    if panel:
        start = body.find(b"<body")
        end = body.find(b">", start) if start >= 0 else -1
        body = body[:end + 1] + panel + body[end + 1:] if end >= 0 else panel + body
    return body


class Rebuilder:
    """One worker thread that runs builds; changes arriving meanwhile make one more build.

    `base_url` is the command line's (None: site.yaml's); the base URL the site is served
    under is the one the last good build used (`served_base_url`).
    """

    LOCK_RETRY_SECONDS = 0.25  # while another process (a CLI build) holds the output lock

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
        self.waiting = False  # for another process's build to release the output lock
        self.thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    def served_base_url(self) -> str:
        site = self.builder.site
        return site.config.base_url if site is not None else self.builder.config(self.base_url).base_url

    def start(self) -> None:
        self.thread.start()

    def catch_up(self) -> None:
        """Build if an input changed since the last build looked, or if that build found the
        output locked by another."""
        if self.waiting or self.builder.inputs_changed():
            self.request(set())

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
            if self.run_build(changed) is None:  # locked: the save is kept and built later
                self.request(changed)
                self.stopping.wait(self.LOCK_RETRY_SECONDS)

    def run_build(self, changed: set[str] | None = None) -> bool | None:
        """Build once: True when the site was brought up to date, False when the build failed
        (the last good site stays), None when another process holds the output lock."""
        started = time.perf_counter()
        shown = ", ".join(sorted(display_path(p) for p in (changed or ())))
        try:
            result = self.builder.build(self.out_dir, self.base_url, self.search)
        except BuildLocked as error:
            if not self.waiting:
                self.log(f"{error}; building as soon as it is done", file=sys.stderr)
            self.waiting = True
            return None
        except Exception as error:  # content, template or any other error: keep the last site
            self.waiting = False
            problems = error_problems(error, self.builder.project.templates)
            self.state.set_problems(problems, frozenset(display_path(p) for p in changed or ()))
            for problem in problems:
                self.log(str(problem), file=sys.stderr)
            errors = sum(1 for p in problems if p.severity == "error")
            self.log(f"Build failed: {errors} error(s); still serving the last good site.",
                     file=sys.stderr)
            self.builds += 1
            self.notify(["*"])
            return False
        self.waiting = False
        was_failing = bool(self.state.failing())
        self.state.set_problems([])
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
          stop: threading.Event | None = None, drafts: bool = True) -> int:
    """Build, then serve `out_dir` and rebuild/reload on every change until interrupted.
    `drafts`: show reports marked as drafts (each page says so), as an editor previewing
    expects; False previews the site as it will be published."""
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    builder = Builder(paths, keep_spare=True, drafts=drafts)
    try:
        builder.config(base_url)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    hosts = AllowedHosts(host, port)
    state = PreviewState(out_dir, lambda: rebuilder.served_base_url(), hosts)
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
    hosts.port = actual_port
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Serving {display_path(out_dir)}/ on http://{shown_host}:{actual_port}"
          f"{rebuilder.served_base_url()} "
          f"(watching content/, data/, templates/, static/ and site.yaml; Ctrl+C stops)",
          flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}: other machines on the network can see the preview",
              file=sys.stderr)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # stop cleanly, as on Ctrl+C
    rebuilder.start()
    watching = threading.Event()
    watcher = threading.Thread(target=watch_loop, args=(paths, out_dir, rebuilder, stop, watching),
                               name="watch", daemon=True)
    watcher.start()
    watching.wait(10)
    # A save made before the watcher was up would go unseen: look once more, and build if an
    # input changed (or if the first build found the output locked by another build).
    threading.Timer(WATCH_SETTLE_SECONDS, rebuilder.catch_up).start()
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
