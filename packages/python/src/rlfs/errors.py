"""Errors raised by rlfs. Every one derives from RlfsError, so ``except rlfs.RlfsError`` catches them all."""


class RlfsError(Exception):
    """Base class of every error rlfs raises."""


class RemoteError(RlfsError):
    """The server answered a request with ``{type: "error", code, message}``.

    ``code`` is the contract's code (``INVALID_ACTION``, ``UNKNOWN_ENV``, ...) and ``message`` the server's sentence.
    """

    def __init__(self, code, message, request_type=None):
        self.code = code
        self.message = message
        self.request_type = request_type
        where = f"{request_type}: " if request_type else ""
        super().__init__(f"{where}{code}: {message}")


class ConnectionLost(RlfsError):
    """The connection to the server is gone (dropped, closed by the server, or closed by us after a timeout)."""


class RequestTimeout(RlfsError, TimeoutError):
    """No reply came within the timeout. The connection is closed afterwards: a late reply would be out of step."""
