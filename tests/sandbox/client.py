"""The sandbox as a person uses it: `python -m bot sandbox` in its own process, driven over HTTP
like a browser without JavaScript (forms posted, redirects followed, the page read back)."""
import html
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.server import free_port

ROOT = Path(__file__).resolve().parents[2]
ADMIN, COORDINATOR, CHAIR, POLICE, HEALTH, AUTHOR = (
    "U0DEMOADM", "U0DEMOCRD", "U0DEMOCHR", "U0DEMOPOL", "U0DEMOHLT", "U0DEMOIMR")
BANNER = "Sandbox — fictional data, not connected to Slack or Teams"


def start_sandbox(tmp: Path, *args: str, argv: tuple = ("sandbox",), env_extra=None):
    """Start the sandbox; returns (process, base url, log path) once its address is printed."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_", "DATABASE_URL", "PORT"))}
    env.update(PYTHONUNBUFFERED="1", PORT=str(port), **(env_extra or {}))
    log = tmp / "sandbox.log"
    extra = ["--data-dir", str(tmp / "data"), *args] if argv else []
    proc = subprocess.Popen([sys.executable, "-m", "bot", *argv, *extra], cwd=tmp, env=env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
        if found:
            return proc, f"http://127.0.0.1:{found.group(1)}", log
        if proc.poll() is not None:
            raise RuntimeError(f"sandbox exited:\n{text}")
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"sandbox did not start:\n{log.read_text(errors='replace')}")


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@dataclass
class Page:
    url: str
    status: int
    html: str
    headers: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What a person reads: tags dropped, entities decoded, spaces squeezed."""
        no_script = re.sub(r"<(script|style)\b.*?</\1>", " ", self.html, flags=re.S)
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", no_script))).strip()

    def modal_html(self) -> str:
        found = re.search(r'<div class="modal".*?</form>', self.html, re.S)
        return found.group(0) if found else ""

    def view_id(self) -> str | None:
        found = re.search(r'/view/(V[A-Z0-9]+)/submit', self.html)
        return found.group(1) if found else None

    def channel_link(self, label: str) -> str | None:
        found = re.search(r'href="(/as/[^"]+/c/([A-Z0-9]+))"[^>]*>\s*' + re.escape(label), self.html)
        return found.group(2) if found else None

    def buttons(self, label: str) -> list[dict]:
        """The hidden fields of each form whose button reads `label` (message and Home buttons)."""
        out = []
        for form in re.findall(r'<form method="post" action="[^"]*/click" class="el-form">(.*?)</form>', self.html,
                               re.S):
            button = re.search(r'<button[^>]*name="click" value="([^"]*)"[^>]*>\s*' + re.escape(label), form)
            if button:
                fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
                fields = {k: html.unescape(v) for k, v in fields.items()}
                fields["click"] = html.unescape(button.group(1))
                out.append(fields)
        return out


class Browser:
    """Cookies kept (for the page's notices), redirects followed, like a browser with scripts off."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict | list) -> Page:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, method="POST"))

    def _open(self, request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as resp:
                return Page(resp.url, resp.status, resp.read().decode("utf-8", "replace"), dict(resp.headers))
        except urllib.error.HTTPError as err:
            return Page(request.full_url, err.code, err.read().decode("utf-8", "replace"), dict(err.headers))

    def raw(self, path: str) -> tuple[int, bytes, dict]:
        try:
            with self.opener.open(self.base + path, timeout=30) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read(), dict(err.headers)

    # ---- what people do ----------------------------------------------------------------------

    def conversation(self, user: str, channel: str) -> Page:
        return self.get(f"/as/{user}/c/{channel}")

    def command(self, user: str, channel: str, text: str) -> Page:
        return self.post(f"/as/{user}/command", {"channel": channel, "text": text, "back": f"/as/{user}/c/{channel}"})

    def wait_page(self, path: str, predicate, what: str, timeout: float = 20) -> Page:
        deadline = time.monotonic() + timeout
        while True:
            page = self.get(path)
            if predicate(page):
                return page
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the page read:\n{page.text[:3000]}")
            time.sleep(0.2)

    def wait_modal(self, user: str, channel: str, title_text: str) -> Page:
        return self.wait_page(f"/as/{user}/c/{channel}", lambda p: title_text in p.modal_html() and
                              "Loading" not in p.modal_html(), f"the {title_text!r} form")

    def submit(self, user: str, channel: str, view_id: str, values: list[tuple[str, str]]) -> Page:
        fields = [("back", f"/as/{user}/c/{channel}"), ("view_id", view_id), ("in_modal", "1")]
        fields += [(f"i.{k}", v) for k, v in values]
        return self.post(f"/as/{user}/view/{view_id}/submit", fields)

    def click(self, user: str, fields: dict) -> Page:
        return self.post(f"/as/{user}/click", fields)

    def upload(self, user: str, channel: str, filename: str, content: bytes, content_type="text/csv") -> Page:
        """The page's "Upload a file" form: a multipart POST, as the browser sends it."""
        boundary = "sandbox" + os.urandom(8).hex()
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"back\"\r\n\r\n/as/{user}/c/{channel}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self._open(urllib.request.Request(f"{self.base}/as/{user}/c/{channel}/upload", data=body, method="POST",
                                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}))


def general_channel(browser: Browser, user: str = ADMIN) -> str:
    page = browser.get(f"/as/{user}/")
    return re.search(r"/c/([A-Z0-9]+)", page.url).group(1)
