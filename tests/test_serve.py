"""`build.py serve` end to end: the real server in a subprocess, real file edits, real HTTP and
WebSocket clients. Behaviour only (no timing targets)."""
from __future__ import annotations

import asyncio
import json
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, ROOT, copy_project

FIXTURE = FIXTURE_SITE
REPORT = "content/reports/aland/2015.md"
PAGE = "countries/aland/2015/"


class Server:
    """`python build.py serve --port 0` in a project folder; its output is read line by line."""

    def __init__(self, project: Path, *args: str):
        self.project = project
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", *args],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_for(r"Serving .* on http://")
        match = re.search(r"http://([^/]+?):(\d+)(/\S*)", line)
        self.host, self.port, self.base = match.group(1), int(match.group(2)), match.group(3)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.log.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; output so far:\n" + "\n".join(self.log))

    def drain(self) -> list[str]:
        while True:
            try:
                self.log.append(self.lines.get_nowait())
            except queue.Empty:
                return self.log

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{self.base}{path}"

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def raw(self, target: str) -> tuple[int, bytes]:
        """A request with the path exactly as given (no client-side normalisation)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as conn:
            conn.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                         .encode("latin-1"))
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
        status = int(data.split(b" ", 2)[1])
        return status, data.split(b"\r\n\r\n", 1)[1]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_until(check, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, FIXTURE)


@pytest.fixture
def server(project: Path):
    running = Server(project)
    yield running
    running.stop()


class ReloadListener:
    """A livereload.js stand-in: WebSocket handshake, then collects the server's messages."""

    def __init__(self, port: int):
        self.messages: queue.Queue[dict] = queue.Queue()
        self.ready = threading.Event()
        self.port = port
        self.thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "WebSocket handshake did not complete"

    async def _listen(self) -> None:
        from tornado.websocket import websocket_connect

        conn = await websocket_connect(f"ws://127.0.0.1:{self.port}/livereload")
        conn.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        hello = json.loads(await conn.read_message())
        assert hello["command"] == "hello"
        conn.write_message(json.dumps({"command": "info", "url": "http://test/", "plugins": {}}))
        await asyncio.sleep(0.2)  # let the server register us
        self.ready.set()
        while True:
            message = await conn.read_message()
            if message is None:
                return
            self.messages.put(json.loads(message))

    def next_reload(self, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.2)
            except queue.Empty:
                continue
            if message.get("command") == "reload":
                return message
        raise AssertionError("no reload message")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_edit_rebuilds_the_page_and_reloads_the_browser(server: Server, project: Path):
    status, page = server.get(PAGE)
    assert status == 200 and "a short summary" in page
    # The reload script is injected into every HTML page as a same-origin file (the site's CSP
    # forbids inline scripts); it loads livereload.js.
    assert '<script src="/__preview/live.js"></script>' in page
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/__preview/live.js", timeout=10) as response:
        assert "/livereload.js?port=" in response.read().decode()
    listener = ReloadListener(server.port)
    edit(project / REPORT, "a short summary", "an edited summary")
    message = listener.next_reload()
    assert message["path"] == f"{PAGE}index.html" or message["path"].startswith("countries/")
    status, page = server.get(PAGE)
    assert status == 200 and "an edited summary" in page and "a short summary" not in page
    # The reload came after the page was on disk.
    assert "an edited summary" in (project / "site" / PAGE / "index.html").read_text()
    server.wait_for(r"Rebuilt after content/reports/aland/2015\.md")


def test_css_edit_sends_a_css_reload(server: Server, project: Path):
    listener = ReloadListener(server.port)
    with open(project / "static/css/site.css", "a") as handle:
        handle.write("\n/* live */\n")
    assert listener.next_reload()["path"] == "static/css/site.css"
    assert server.get("static/css/site.css")[1].endswith("/* live */\n")


def test_bad_content_shows_an_error_page_and_the_next_good_save_recovers(server: Server,
                                                                         project: Path):
    before = (project / "site" / PAGE / "index.html").read_bytes()
    listener = ReloadListener(server.port)
    good = (project / REPORT).read_text()
    edit(project / REPORT, "corruption: 4.25", "corruption: 9.25")
    listener.next_reload()
    status, page = server.get(PAGE)
    assert status == 200
    assert 'id="publisher-build-error"' in page and 'role="alert"' in page
    assert "content/reports/aland/2015.md:11: rating for &#x27;corruption&#x27; 9.25 is out of " \
           "range" in page
    assert "a short summary" in page  # the last good page is still served below the panel
    assert (project / "site" / PAGE / "index.html").read_bytes() == before
    line = server.wait_for(r"aland/2015\.md:11: rating for 'corruption'")
    assert "9.25" in line
    server.wait_for(r"Build failed: \d+ error\(s\); still serving the last good site")

    (project / REPORT).write_text(good.replace("a short summary", "a fixed summary"))
    listener.next_reload()
    status, page = server.get(PAGE)
    assert "publisher-build-error" not in page and "a fixed summary" in page


def test_template_error_names_the_template_file_and_line(server: Server, project: Path):
    listener = ReloadListener(server.port)
    template = project / "templates/report.html"
    good = template.read_text()
    template.write_text(good + "{% if %}\n")
    listener.next_reload()
    page = server.get(PAGE)[1]
    number = good.count("\n") + 1
    assert f"templates/report.html:{number}: template error:" in page
    template.write_text(good)
    listener.next_reload()
    assert "publisher-build-error" not in server.get(PAGE)[1]


def test_nothing_outside_the_output_folder_is_served(server: Server, project: Path):
    (project / "secret.txt").write_text("TOP SECRET")
    (project / "site.yaml").read_text()
    attempts = ["/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
                "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt",
                "/countries/../../secret.txt", "/countries/%2e%2e/%2e%2e/secret.txt",
                "/..%5csecret.txt", "/%252e%252e/secret.txt", "/.%00./secret.txt",
                "/%c0%ae%c0%ae/secret.txt", "/../site.yaml", "/%2e%2e/content/" + REPORT,
                "//etc/passwd", "/..", "/%2e%2e"]
    for target in attempts:
        status, body = server.raw(target)
        assert status in (400, 404), (target, status)
        assert b"TOP SECRET" not in body and b"root:" not in body and b"ratings:" not in body
    # A symlink inside the output folder that points out of it is not followed.
    (project / "site/escape.txt").symlink_to(project / "secret.txt")
    status, body = server.raw("/escape.txt")
    assert status == 404 and b"TOP SECRET" not in body


def test_missing_paths_get_the_sites_404_page(server: Server):
    for path in ("nope", "countries/nope/2015/", "a/b/c/missing.html"):
        status, page = server.get(path)
        assert status == 404
        assert "Page not found" in page and "/static/css/site.css" in page


def test_binds_localhost_by_default(server: Server):
    assert server.host == "127.0.0.1"
    hex_port = f"{server.port:04X}"
    listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                 if line.split()[1].endswith(":" + hex_port) and line.split()[3] == "0A"]
    assert listening and all(row[1] == f"0100007F:{hex_port}" for row in listening)
    assert not [line for line in Path("/proc/net/tcp6").read_text().splitlines()[1:]
                if line.split()[1].endswith(":" + hex_port) and line.split()[3] == "0A"]


def test_burst_of_saves_is_coalesced(server: Server, project: Path):
    path = project / REPORT
    text = path.read_text()
    server.drain()
    builds_before = sum(1 for line in server.log if line.startswith(("Rebuilt", "Build failed")))
    for n in range(200):
        path.write_text(text.replace("a short summary", f"summary number {n}"))
        time.sleep(0.005)
    wait_until(lambda: "summary number 199" in server.get(PAGE)[1], what="the last save")
    time.sleep(1.5)
    server.drain()
    builds = sum(1 for line in server.log if line.startswith(("Rebuilt", "Build failed"))) \
        - builds_before
    # One build per batch of changes (changes during a build join the next one), never one
    # per save: on a busy machine a few batches, far fewer than 200 builds.
    assert 1 <= builds <= 20, f"{builds} builds for 200 saves"
    assert "summary number 199" in (project / "site" / PAGE / "index.html").read_text()


def test_output_folder_is_not_watched(server: Server, project: Path):
    server.drain()
    before = len(server.log)
    (project / "site/by-hand.txt").write_text("x")
    time.sleep(1.0)
    server.drain()
    assert not [line for line in server.log[before:] if line.startswith("Rebuilt")]


def test_serves_under_the_base_url(project: Path):
    running = Server(project, "--base-url", "/reports-site/")
    try:
        assert running.base == "/reports-site/"
        status, page = running.get(PAGE)
        assert status == 200 and 'href="/reports-site/static/css/site.css"' in page
        with urllib.request.urlopen(f"http://127.0.0.1:{running.port}/", timeout=10) as response:
            assert response.url.endswith("/reports-site/")
        assert running.raw("/countries/aland/2015/")[0] == 404  # outside the base URL
    finally:
        running.stop()


def test_starts_with_bad_content_shows_the_error_then_serves_the_fixed_site(project: Path):
    good = (project / REPORT).read_text()
    (project / REPORT).write_text(good.replace("corruption: 4.25", "corruption: 0.25"))
    running = Server(project)
    try:
        status, page = running.get()
        assert status == 500 and "publisher-build-error" in page
        assert "content/reports/aland/2015.md:11:" in page and "/__preview/live.js" in page
        listener = ReloadListener(running.port)
        (project / REPORT).write_text(good)
        listener.next_reload()
        status, page = running.get(PAGE)
        assert status == 200 and "publisher-build-error" not in page
    finally:
        running.stop()


def test_base_url_change_in_site_yaml_moves_the_preview(project: Path):
    running = Server(project)
    try:
        listener = ReloadListener(running.port)
        config = project / "site.yaml"
        config.write_text(config.read_text().replace("base_url: /", "base_url: /moved/"))
        listener.next_reload()
        with urllib.request.urlopen(f"http://127.0.0.1:{running.port}/moved/{PAGE}",
                                    timeout=10) as response:
            assert 'href="/moved/static/css/site.css"' in response.read().decode()
    finally:
        running.stop()


# --- issue 12, item 9: DNS rebinding -----------------------------------------------------------

def raw_with_host(port: int, host: str, target: str = "/") -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                     .encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1])


def test_only_the_previews_own_host_names_are_answered(server: Server):
    port = server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        assert raw_with_host(port, host, "/index.html") == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.nip.io:{port}",
                 f"localhost:{port + 1}", ""):
        assert raw_with_host(port, host, "/index.html") == 403, host
    assert raw_with_host(port, "evil.example", "/livereload.js") == 403
    assert raw_with_host(port, "evil.example", "/__preview/live.js") == 403


def test_live_reload_refuses_pages_of_other_origins(server: Server):
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    async def connect(origin: str) -> bool:
        request = HTTPRequest(f"ws://127.0.0.1:{server.port}/livereload",
                              headers={"Origin": origin})
        try:
            conn = await websocket_connect(request)
        except HTTPClientError as error:
            assert error.code == 403
            return False
        conn.close()
        return True

    def run(coroutine) -> bool:
        # On a thread of its own: in a full run Playwright's sync API keeps a loop running here.
        result: list[bool] = []
        thread = threading.Thread(target=lambda: result.append(asyncio.run(coroutine)))
        thread.start()
        thread.join(timeout=30)
        return result[0]

    assert run(connect(f"http://127.0.0.1:{server.port}")) is True
    assert run(connect(f"http://localhost:{server.port}")) is True
    assert run(connect("http://evil.example")) is False
    assert run(connect(f"http://evil.example:{server.port}")) is False


def test_beyond_loopback_addresses_are_answered_but_not_foreign_names():
    from publisher.serve import AllowedHosts

    hosts = AllowedHosts("0.0.0.0", 8000)
    assert hosts.allows("192.168.1.20:8000") and hosts.allows("[fe80::1]:8000")
    assert not hosts.allows("attacker.example:8000") and not hosts.allows("192.168.1.20:9000")
    local = AllowedHosts("127.0.0.1", 8000)
    assert not local.allows("192.168.1.20:8000")


# --- issue 12, item 5: a save while another build holds the lock is built afterwards ----------

def test_a_save_during_another_builds_lock_is_built_when_it_is_released(server: Server,
                                                                       project: Path):
    import fcntl

    lock_file = next(project.glob(".site*.lock"))
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a CLI build into the same folder does
        edit(project / REPORT, "a short summary", "a summary saved while locked")
        server.wait_for(r"another build is writing to .*building as soon as it is done")
        time.sleep(0.5)
        assert "saved while locked" not in server.get(PAGE)[1]
    wait_until(lambda: "saved while locked" in server.get(PAGE)[1], what="the locked save built")


# --- issue 13: the error panel shows the error ---------------------------------------------------

def test_the_error_panel_puts_errors_first_the_saved_files_first_and_folds_warnings():
    from bs4 import BeautifulSoup

    from publisher.errors import Problem
    from publisher.serve import error_panel

    problems = [Problem("other.md", 3, f"note [^{n}] has no text yet", "warning", "missing-note")
                for n in range(40)]
    problems += [Problem("b.md", 9, "an old error"), Problem("2016.md", 42, "a reference without a note")]
    panel = BeautifulSoup(error_panel(problems, frozenset({"2016.md"})), "html.parser")
    assert panel.find(attrs={"role": "alert"}) is not None
    details = panel.find("details", id="publisher-build-error")
    assert details.has_attr("open") and "2 error(s)" in details.summary.text
    errors = [li.text for li in details.find("ul", recursive=False).find_all("li")]
    assert errors == ["2016.md:42: a reference without a note", "b.md:9: an old error"]
    folded = details.find("details")
    assert not folded.has_attr("open") and folded.summary.text == "1 warning(s)"
    assert "40 notes have no text yet" in folded.text


def test_the_preview_shows_drafts(project: Path):
    text = (project / REPORT).read_text().replace("---\n", "---\ndraft: true\n", 1)
    (project / "content/reports/aland/2016.md").write_text(text.replace("edition: 2015", "edition: 2016"))
    running = Server(project)
    try:
        status, page = running.get("countries/aland/2016/")
        assert status == 200 and 'class="draft-banner"' in page and "Draft." in page
        assert '<meta name="robots" content="noindex">' in page
        assert 'class="draft-banner"' not in running.get("countries/aland/2015/")[1]
    finally:
        running.stop()
    published = subprocess.run([sys.executable, str(ROOT / "build.py"), "--no-search", "--out",
                                "published"], cwd=project, capture_output=True, text=True)
    assert published.returncode == 0, published.stderr
    assert not (project / "published/countries/aland/2016").exists()
