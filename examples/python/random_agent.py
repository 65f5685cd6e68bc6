#!/usr/bin/env python3
"""A random agent for GridWorld-v0 over protocol 1 (WebSocket + MessagePack).

Uses only Debian's python3-msgpack and python3-websockets:

    python3 examples/python/random_agent.py --url ws://127.0.0.1:8080/ws --episodes 5 [--seed 1] [--token T]

It says hello as an agent, makes GridWorld-v0, plays N episodes with random actions and prints each episode's return.
"""
import argparse
import asyncio
import random
import sys

import msgpack
import websockets

try:  # websockets >= 11 has a synchronous client; older ones (Debian 12 ships 10.4) only the asyncio one
    from websockets.sync.client import connect as sync_connect
except ImportError:
    sync_connect = None


class ServerError(Exception):
    """The server answered a request with {type: "error", code, message}."""

    def __init__(self, request_type, code, message):
        super().__init__(f"{request_type}: {code}: {message}")
        self.code = code


def encode(message):
    return msgpack.packb(message, use_bin_type=True)


def decode(frame):
    if isinstance(frame, str):
        raise RuntimeError("the server sent a text frame; protocol 1 uses binary frames only")
    return msgpack.unpackb(frame, raw=False)


class Protocol:
    """Requests with ids; replies come in request order, so each request waits for the next reply."""

    def __init__(self, send, receive):
        self._send = send
        self._receive = receive
        self._next_id = 1

    async def request(self, message):
        message = dict(message, id=self._next_id)
        self._next_id += 1
        await self._send(encode(message))
        while True:
            reply = decode(await self._receive())
            if reply.get("id") == message["id"]:
                break
            if reply.get("type") == "error" and "id" not in reply:  # a fatal error without id, e.g. TOO_LARGE
                raise ServerError(message["type"], reply.get("code"), reply.get("message"))
        if reply.get("type") == "error":
            raise ServerError(message["type"], reply.get("code"), reply.get("message"))
        return reply


async def play(protocol, episodes, seed, token):
    hello = {"type": "hello", "protocol": 1, "role": "agent", "name": "python-random-agent"}
    if token:
        hello["token"] = token
    welcome = await protocol.request(hello)
    print(f"connected to {welcome['server']}, environments: {', '.join(welcome['envs'])}")
    made = await protocol.request({"type": "make", "env": "GridWorld-v0"})
    actions = made["spec"]["actionSpace"]["n"]
    rng = random.Random(seed)
    returns = []
    for episode in range(1, episodes + 1):
        reset = {"type": "reset"}
        if seed is not None and episode == 1:
            reset["seed"] = seed  # later resets continue the environment's own random stream
        await protocol.request(reset)
        total, length, done = 0.0, 0, False
        while not done:
            result = await protocol.request({"type": "step", "action": rng.randrange(actions)})
            total += result["reward"]
            length += 1
            done = result["terminated"] or result["truncated"]
        how = "reached the goal" if result["terminated"] else "time limit"
        print(f"episode {episode}: return {total:.2f} in {length} steps ({how})")
        returns.append(total)
    await protocol.request({"type": "close"})
    print(f"mean return over {episodes} episodes: {sum(returns) / len(returns):.2f}")


def run_sync(args):
    with sync_connect(args.url, compression=None, max_size=None) as ws:
        async def send(data):
            ws.send(data)

        async def receive():
            return ws.recv()

        asyncio.run(play(Protocol(send, receive), args.episodes, args.seed, args.token))


async def run_async(args):
    async with websockets.connect(args.url, compression=None, max_size=None) as ws:
        await play(Protocol(ws.send, ws.recv), args.episodes, args.seed, args.token)


def main():
    parser = argparse.ArgumentParser(description="Play GridWorld-v0 with random actions over protocol 1.")
    parser.add_argument("--url", required=True, help="the server's socket, e.g. ws://127.0.0.1:8080/ws")
    parser.add_argument("--episodes", type=int, default=3, help="episodes to play (default 3)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the first reset and of the random actions")
    parser.add_argument("--token", default=None, help="the server's token, if it was started with one")
    args = parser.parse_args()
    if args.episodes < 1:
        parser.error("--episodes must be at least 1")
    try:
        if sync_connect is not None:
            run_sync(args)
        else:
            asyncio.run(run_async(args))
    except ServerError as error:
        print(f"error from the server: {error}", file=sys.stderr)
        return 1
    except (OSError, websockets.exceptions.InvalidHandshake) as error:
        print(f"could not connect to {args.url}: {error}", file=sys.stderr)
        return 1
    except websockets.exceptions.ConnectionClosed as error:
        print(f"the server closed the connection: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
