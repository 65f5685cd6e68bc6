"""One WebSocket connection speaking protocol 1: hello, then requests answered in order, each with a timeout."""
import os
import socket

import websocket  # websocket-client (Debian: python3-websocket)

from .codec import decode, encode
from .errors import ConnectionLost, RemoteError, RequestTimeout

#: Where rlfs connects when neither ``url`` nor ``RLFS_URL`` says otherwise.
DEFAULT_URL = "ws://127.0.0.1:8080/ws"
#: Seconds any one request (and the connection itself) may take before RequestTimeout.
DEFAULT_TIMEOUT = 30.0
PROTOCOL = 1


def resolve_url(url=None):
    """``url``, else ``RLFS_URL``, else DEFAULT_URL."""
    return url or os.environ.get("RLFS_URL") or DEFAULT_URL


def resolve_token(token=None):
    """``token``, else ``RLFS_TOKEN``, else None (no token sent)."""
    return token if token is not None else os.environ.get("RLFS_TOKEN") or None


class Connection:
    """A connection that has said hello. ``welcome`` holds the server's reply (``server``, ``envs``)."""

    def __init__(self, url=None, *, role="agent", name=None, token=None, timeout=DEFAULT_TIMEOUT):
        if timeout is None or not timeout > 0:
            raise ValueError(f"timeout: expected a number of seconds above 0, got {timeout!r}")
        self.url = resolve_url(url)
        self.timeout = float(timeout)
        self._next_id = 1
        self._closed = False
        try:
            self._ws = websocket.create_connection(
                self.url, timeout=self.timeout, enable_multithread=False, skip_utf8_validation=True
            )
        except (OSError, websocket.WebSocketException) as error:
            raise ConnectionLost(f"could not connect to {self.url}: {error}") from error
        # Small frames go out at once: the protocol is strictly request/reply.
        self._ws.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        hello = {"type": "hello", "protocol": PROTOCOL, "role": role}
        if name is not None:
            hello["name"] = name
        token = resolve_token(token)
        if token is not None:
            hello["token"] = token
        self.welcome = self.request(hello)

    @property
    def closed(self):
        return self._closed

    def request(self, message):
        """Sends ``message`` with a fresh id and returns its reply; an error reply raises RemoteError."""
        return self.receive(self.send_request(message), message["type"])

    def send_request(self, message):
        """Sends ``message`` with a fresh id and returns the id, for ``receive``: requests to several servers can then
        be sent before any reply is read, so that the servers work at the same time."""
        request_id = self._next_id
        self._next_id += 1
        self._send(dict(message, id=request_id))
        return request_id

    def receive(self, request_id, request_type):
        """The reply to the request ``request_id`` sent by ``send_request``; an error reply raises RemoteError."""
        message = {"type": request_type}
        while True:
            reply = self._receive(message["type"])
            reply_id = reply.get("id")
            if reply_id == request_id:
                break
            if reply.get("type") == "error" and reply_id is None:  # e.g. TOO_LARGE, sent just before the server closes
                self.close()
                raise RemoteError(reply.get("code"), reply.get("message"), message["type"])
        if reply.get("type") == "error":
            raise RemoteError(reply.get("code"), reply.get("message"), message["type"])
        return reply

    def send_telemetry(self, metrics):
        """Sends ``telemetry {metrics}``, which the server never answers."""
        self._send({"type": "telemetry", "metrics": metrics})

    def close(self):
        """Closes the socket (idempotent). The server ends the session with it."""
        if self._closed:
            return
        self._closed = True
        try:
            self._ws.close(timeout=1)
        except (OSError, websocket.WebSocketException):
            pass

    def _send(self, message):
        if self._closed:
            raise ConnectionLost(f"the connection to {self.url} is closed")
        try:
            self._ws.send(encode(message), opcode=websocket.ABNF.OPCODE_BINARY)
        except (OSError, websocket.WebSocketException) as error:
            self.close()
            raise ConnectionLost(f"the connection to {self.url} was lost while sending {message['type']}: {error}") from error

    def _receive(self, request_type):
        try:
            opcode, frame = self._ws.recv_data(control_frame=False)
        except websocket.WebSocketTimeoutException as error:
            self.close()
            raise RequestTimeout(f"{request_type}: no reply from {self.url} within {self.timeout:g} s") from error
        except (OSError, websocket.WebSocketException) as error:
            self.close()
            raise ConnectionLost(f"the connection to {self.url} was lost during {request_type}: {error}") from error
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            self.close()
            raise ConnectionLost(f"the server at {self.url} closed the connection during {request_type}{_close_reason(frame)}")
        if opcode == websocket.ABNF.OPCODE_TEXT:
            frame = frame.decode("utf-8", "replace")
        try:
            return decode(frame)
        except ValueError as error:
            self.close()
            raise ConnectionLost(f"{request_type}: unreadable frame from {self.url}: {error}") from error


def _close_reason(payload):
    if not payload or len(payload) < 2:
        return ""
    code = int.from_bytes(payload[:2], "big")
    reason = payload[2:].decode("utf-8", "replace")
    return f" (close code {code}{': ' + reason if reason else ''})"
