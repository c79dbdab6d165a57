"""A TCP proxy on 127.0.0.1 in front of a real database, that can stop answering or refuse on demand:
`hold()` keeps every connection open but forwards nothing (a hung server, a dropped route),
`refuse()` closes its port (a server that is down), `restore()` lets traffic through again."""
import select
import socket
import threading


class HoldingProxy:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream, self.mode, self.lock = upstream, "pass", threading.Lock()
        self.sockets: list[socket.socket] = []
        self.listener = self._listen(0)
        self.port = self.listener.getsockname()[1]
        self.running = True
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def hold(self) -> None:
        self.mode = "hold"

    def refuse(self) -> None:
        with self.lock:
            self.mode = "refuse"
            self.listener.close()
            self._close_all()

    def restore(self) -> None:
        """Connections held meanwhile are dropped (their clients gave up on them); new ones pass."""
        with self.lock:
            if self.mode == "refuse":
                self.listener = self._listen(self.port)
            else:
                self._close_all()
            self.mode = "pass"

    def stop(self) -> None:
        self.running = False
        with self.lock:
            self.listener.close()
            self._close_all()

    def _listen(self, port: int) -> socket.socket:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(64)
        s.settimeout(0.1)
        return s

    def _close_all(self) -> None:
        for s in self.sockets:
            try:
                s.close()
            except OSError:
                pass
        self.sockets = []

    def _accept_loop(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            with self.lock:
                self.sockets.append(client)
                if self.mode != "pass":
                    continue  # accepted, and never answered
                upstream = socket.create_connection(self.upstream)
                self.sockets.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while self.running:
                if self.mode != "pass":
                    select.select([], [], [], 0.05)
                    if src.fileno() < 0:
                        return
                    continue
                ready, _, _ = select.select([src], [], [], 0.05)
                if not ready:
                    continue
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass
