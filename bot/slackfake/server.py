"""HTTP plumbing: a ThreadingHTTPServer on 127.0.0.1 in a daemon thread, routing to the Dispatcher.

Routes:
    POST|GET /api/<method>  (also /<method>, for clients whose base_url lacks /api/)
    POST /upload/v1/<token> file bytes for files.getUploadURLExternal
    POST /response/<token>  response_url messages
    GET  /files-pri/<team>-<file id>/[download/]<name>  url_private of a shared file (bot token required)
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .dispatch import Dispatcher, Reply


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    dispatcher: Dispatcher  # set on the subclass built by HttpServer

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        self._dispatch()

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch()

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = url.path
        if path.startswith("/upload/v1/"):
            reply = self.dispatcher.upload(path.rsplit("/", 1)[-1], headers, body)
        elif path.startswith("/files-pri/"):
            reply = self.dispatcher.file_download(path, headers)
        elif path.startswith("/response/"):
            reply = self.dispatcher.response_url(path.rsplit("/", 1)[-1], headers, body)
        else:
            method = path.removeprefix("/api/").strip("/")
            reply = self.dispatcher.api(method, url.query, headers, body)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        payload, content_type = reply.encoded()
        if isinstance(reply.body, bytes):
            payload, content_type = reply.body, reply.headers.pop("Content-Type", "application/octet-stream")
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        return


class HttpServer:
    def __init__(self, dispatcher: Dispatcher, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = type("SlackFakeHandler", (_Handler,), {"dispatcher": dispatcher})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        # A short poll interval keeps stop() fast (shutdown waits for the serve loop to notice).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="slackfake-http", daemon=True
        )

    @property
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"  # type: ignore[str-bytes-safe]  # an IPv4 address, always str

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
