"""make, make_vec, and the Gymnasium registration of rlfs environments (``gymnasium.make("rlfs/CartPole-v1")``)."""
from .client import DEFAULT_TIMEOUT, Connection, resolve_url
from .core import GYMNASIUM, GYMNASIUM_VECTOR
from .env import RemoteEnv
from .split_vector_env import SplitVectorEnv, server_urls
from .vector_env import RemoteVectorEnv

#: Namespace of rlfs ids in Gymnasium's registry.
NAMESPACE = "rlfs"
#: Ids registered with Gymnasium on import (no server needed: the env is made when ``gymnasium.make`` is called).
BUILTIN_ENVS = ("GridWorld-v0", "CartPole-v1")


def make(env_id, url=None, *, token=None, render_mode=None, timeout=DEFAULT_TIMEOUT, seed=None, encoding="plain",
         name=None, **options):
    """A RemoteEnv of ``env_id``; keyword arguments other than rlfs's own are the environment's options.

    ``url`` defaults to ``RLFS_URL``, then ``ws://127.0.0.1:8080/ws``; ``token`` to ``RLFS_TOKEN``.
    ``rlfs.make("GridWorld-v0", size=6, obstacles=3)`` makes a 6x6 grid with three random obstacles.
    """
    return RemoteEnv(url, _server_id(env_id), options or None, token=token, timeout=timeout, render_mode=render_mode,
                     seed=seed, encoding=encoding, name=name)


def make_vec(env_id, num_envs, url=None, *, token=None, encoding="packed", timeout=DEFAULT_TIMEOUT, seed=None,
             render_mode=None, name=None, **options):
    """A RemoteVectorEnv: ``num_envs`` copies of ``env_id`` in one vector session (packed encoding by default).

    ``url`` may name several servers (a list, or one string ``"ws://a/ws,ws://b/ws"``, in ``RLFS_URL`` too): the
    sub-envs are then split over them, one vector session on each (a SplitVectorEnv), with the same results as one
    server given the same seed.
    """
    urls = server_urls(resolve_url(url) if url is None else url)
    if len(urls) > 1:
        return SplitVectorEnv(urls, _server_id(env_id), num_envs, options or None, token=token, timeout=timeout,
                              encoding=encoding, seed=seed, render_mode=render_mode, name=name)
    url = urls[0] if urls else url
    return RemoteVectorEnv(url, _server_id(env_id), num_envs, options or None, token=token, timeout=timeout,
                           encoding=encoding, seed=seed, render_mode=render_mode, name=name)


def register_envs(url=None, *, token=None, timeout=DEFAULT_TIMEOUT):
    """Registers ``rlfs/<id>`` with Gymnasium for every id the server lists; returns those ids.

    The url becomes the default of each registration, so ``gymnasium.make("rlfs/MyEnv-v0")`` connects to it. Without
    Gymnasium it only asks the server which ids it serves.
    """
    connection = Connection(url, token=token, timeout=timeout)
    try:
        ids = list(connection.welcome.get("envs", []))
    finally:
        connection.close()
    for env_id in ids:
        _register(env_id, {"url": connection.url, **({"token": token} if token is not None else {})})
    return ids


def register_builtin_envs():
    for env_id in BUILTIN_ENVS:
        _register(env_id, {})


def _register(env_id, defaults):
    if not GYMNASIUM:
        return
    import gymnasium

    # register_envs(url) replaces the url-less registration made on import, without Gymnasium's "Overriding" warning
    gymnasium.registry.pop(f"{NAMESPACE}/{env_id}", None)
    vector = {"vector_entry_point": "rlfs.registration:make_vec"} if GYMNASIUM_VECTOR else {}
    gymnasium.register(
        id=f"{NAMESPACE}/{env_id}",
        entry_point="rlfs.registration:make",
        nondeterministic=False,
        kwargs={"env_id": env_id, **defaults},
        **vector,
    )


def _server_id(env_id):
    """``rlfs/GridWorld-v0`` and ``GridWorld-v0`` both name the server's ``GridWorld-v0``."""
    prefix = f"{NAMESPACE}/"
    return env_id[len(prefix):] if env_id.startswith(prefix) else env_id
