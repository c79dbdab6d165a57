"""Routing: one HTTP server plays the login service, Bot Framework's key host, the Bot Connector
(under the service URL's path) and Graph. Every request is recorded; a crash inside the fake is
answered 500 and kept in `internal_errors` for the test to see."""

from __future__ import annotations

import threading
import time
import traceback
from typing import Any, Callable
from urllib.parse import unquote

from . import permissions
from .auth import Authority
from .connector import Connector
from .graph import Graph
from .keys import GRAPH_SCOPE
from .model import Call
from .state import Tenant
from .wire import Reply, Request, graph_error

Handler = Callable[..., Reply]
P = None  # a path segment captured as an argument


class Dispatcher:
    def __init__(self, tenant: Tenant, authority: Authority, connector: Connector, graph: Graph) -> None:
        self.tenant = tenant
        self.authority = authority
        self.calls: list[Call] = []
        self.internal_errors: list[str] = []
        self.file_reads: list[tuple[str, bool]] = []  # (download token, whether the whole file was sent)
        self._lock = threading.Lock()
        c, g = connector, graph
        conv = ("v3", "conversations")
        self._connector_routes: list[tuple[str, tuple[str | None, ...], Handler]] = [
            ("POST", conv, c.create_conversation),
            ("POST", (*conv, P, "activities"), c.send),
            ("POST", (*conv, P, "activities", P), c.send),
            ("PUT", (*conv, P, "activities", P), c.update),
            ("DELETE", (*conv, P, "activities", P), c.delete),
            ("GET", (*conv, P, "members"), c.members),
            ("GET", (*conv, P, "members", P), c.members),
            ("GET", (*conv, P, "pagedMembers"), lambda req, cid: c.members(req, cid, paged=True)),
        ]
        apps = ("teamwork", "installedApps")
        self._graph_routes: list[tuple[str, tuple[str | None, ...], Handler]] = [
            ("POST", ("chats",), g.create_chat),
            ("GET", ("chats", P), g.get_chat),
            ("PATCH", ("chats", P), g.update_chat),
            ("GET", ("chats", P, "installedApps"), g.chat_apps),
            ("POST", ("chats", P, "installedApps"), g.install_in_chat),
            ("GET", ("chats", P, "members"), g.chat_members),
            ("POST", ("chats", P, "members"), g.add_chat_member),
            ("DELETE", ("chats", P, "members", P), g.remove_chat_member),
            ("GET", ("users", P), g.get_user),
            ("GET", ("users", P, *apps), g.user_apps),
            ("POST", ("users", P, *apps), g.install_for_user),
            ("GET", ("users", P, *apps, P), g.user_app),
            ("DELETE", ("users", P, *apps, P), g.uninstall_for_user),
            ("GET", ("users", P, *apps, P, "chat"), g.user_app_chat),
        ]

    def handle(self, req: Request, raw_path: str) -> Reply:
        started = time.monotonic()
        try:
            reply = self._route(req, [unquote(s) for s in raw_path.split("/") if s])
        except Exception:
            self.internal_errors.append(traceback.format_exc())
            reply = Reply(500, {"error": {"code": "InternalServerError", "message": "The fake crashed."}})
        with self._lock:
            self.calls.append(Call(req.method, req.path, reply.status, req.decoded(), _decoded(reply), started))
        return reply

    def _route(self, req: Request, segments: list[str]) -> Reply:
        method = req.method
        if method == "POST" and len(segments) == 4 and segments[1:] == ["oauth2", "v2.0", "token"]:
            return self.authority.token(segments[0], req)
        if method == "GET" and segments == ["v1", ".well-known", "openidconfiguration"]:
            return self.authority.openid_configuration()
        if method == "GET" and segments == ["v1", ".well-known", "keys"]:
            return self.authority.jwks()
        if method == "GET" and len(segments) == 2 and segments[0] == "files":
            return self._file(segments[1])
        if method == "PUT" and len(segments) == 2 and segments[0] == "upload":
            with self.tenant.lock:
                return self.tenant.drive.put(req, segments[1])
        prefix = self.tenant.service_path_segments
        if segments[:len(prefix)] == prefix and segments[len(prefix):len(prefix) + 1] == ["v3"]:
            return self._match(req, segments[len(prefix):], self._connector_routes, self.authority.connector_denied,
                               Reply(404, {"message": "No HTTP resource was found that matches the request URI."}))
        if segments[:1] == ["v1.0"]:
            return self._match(req, segments[1:], self._graph_routes, self.authority.graph_denied,
                               graph_error(400, "BadRequest", "Resource not found for the segment."), graph=True)
        return Reply(404, {"error": "not_found", "path": req.path})

    def _match(self, req: Request, segments: list[str], routes: list[tuple[str, tuple[str | None, ...], Handler]],
               denied: Callable[[Request], Reply | None], unknown: Reply, graph: bool = False) -> Reply:
        for method, pattern, handler in routes:
            if method != req.method or len(pattern) != len(segments):
                continue
            if all(p is None or p == s for p, s in zip(pattern, segments)):
                args = [s for p, s in zip(pattern, segments) if p is None]
                refusal = denied(req) or (self._graph_permission(req, pattern, args) if graph else None)
                if refusal:
                    return refusal
                return handler(req, *args)
        return unknown

    def _graph_permission(self, req: Request, pattern: tuple[str | None, ...], args: list[str]) -> Reply | None:
        claims = self.authority.app_claims(req, GRAPH_SCOPE) or {}
        with self.tenant.lock:
            return permissions.refusal(self.tenant, req.method, pattern, args, claims, self.authority.rsc_permissions)

    def _file(self, token: str) -> Reply:
        stored = self.tenant.files.get(token)
        if stored is None:
            return Reply(404, {"error": {"code": "itemNotFound", "message": "The resource could not be found."}})
        return Reply(200, stored.content, {"Content-Type": "application/octet-stream",
                                           "Content-Disposition": f'attachment; filename="{stored.name}"'},
                     sent=lambda whole: self.file_reads.append((token, whole)))


def _decoded(reply: Reply) -> Any:
    return None if isinstance(reply.body, bytes) else reply.body
