"""Errors a user meets: the server's codes, a token, a refused or dropped connection, a server that never answers."""
import base64
import hashlib
import socket
import threading

import pytest

import rlfs


def test_unknown_env_and_invalid_options_are_remote_errors_naming_what_was_wrong(url):
    with pytest.raises(rlfs.RemoteError) as caught:
        rlfs.make("NoSuchEnv-v0", url=url)
    assert caught.value.code == "UNKNOWN_ENV" and "GridWorld-v0" in caught.value.message
    with pytest.raises(rlfs.RemoteError) as caught:
        rlfs.make("GridWorld-v0", url=url, size=1.5)
    assert caught.value.code == "INVALID_OPTIONS" and "size" in caught.value.message
    assert isinstance(caught.value, rlfs.RlfsError)


def test_a_seed_out_of_range_is_invalid_options(url):
    with rlfs.make("GridWorld-v0", url=url) as env:
        with pytest.raises(rlfs.RemoteError) as caught:
            env.reset(seed=2**32)
        assert caught.value.code == "INVALID_OPTIONS"
        assert env.reset(seed=2**32 - 1)[0] in env.observation_space  # and the session is unchanged


def test_token_required_wrong_and_right(token_server, monkeypatch):
    monkeypatch.delenv("RLFS_TOKEN", raising=False)
    for token in (None, "wrong"):
        with pytest.raises(rlfs.RemoteError) as caught:
            rlfs.make("GridWorld-v0", url=token_server.url, token=token)
        assert caught.value.code == "UNAUTHORIZED"
    with rlfs.make("GridWorld-v0", url=token_server.url, token="sesame") as env:
        assert env.reset(seed=1)[0] in env.observation_space
    monkeypatch.setenv("RLFS_TOKEN", "sesame")  # the token may come from the environment instead
    with rlfs.make_vec("GridWorld-v0", 2, url=token_server.url) as envs:
        assert envs.reset(seed=1)[0].shape == (2, 25)


def test_url_defaults_to_rlfs_url(url, monkeypatch):
    monkeypatch.setenv("RLFS_URL", url)
    with rlfs.make("GridWorld-v0") as env:
        assert env.url == url


def test_nothing_listening_is_connection_lost():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(rlfs.ConnectionLost, match="could not connect"):
        rlfs.make("GridWorld-v0", url=f"ws://127.0.0.1:{port}/ws", timeout=5)


def test_a_server_that_goes_away_is_connection_lost(private_server):
    env = rlfs.make("GridWorld-v0", url=private_server.url)
    env.reset(seed=1)
    private_server.stop()
    with pytest.raises(rlfs.ConnectionLost):
        env.step(0)
    env.close()  # still harmless


def test_a_server_that_never_answers_times_out():
    with SilentServer() as silent:
        with pytest.raises(rlfs.RequestTimeout, match="hello: no reply"):
            rlfs.make("GridWorld-v0", url=silent.url, timeout=0.5)


class SilentServer:
    """Accepts the WebSocket upgrade, then never sends a frame."""

    def __enter__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self.listener.getsockname()[1]}/ws"
        self.connections = []
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.connections.append(conn)
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(line.split(b":", 1)[1].strip() for line in request.split(b"\r\n")
                   if line.lower().startswith(b"sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")

    def __exit__(self, *args):
        self.listener.close()
        for conn in self.connections:
            conn.close()
