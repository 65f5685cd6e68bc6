#!/usr/bin/env python3
"""The original tutorial's agent, as it was designed, over our protocol: what DQN looks like without its two fixes.

    /usr/bin/python3 examples/python/seed_dqn.py --url ws://127.0.0.1:8080/ws --seed 1 --steps 10000

A 25-128-4 network (the 5x5 grid's 25 numbers in, one Q-value per action out) trained online: one gradient step on
each transition as it happens, no replay buffer, no target network; epsilon-greedy with epsilon decayed once per
episode. Then the greedy policy plays the same 100 evaluation episodes as `npm run eval` (first reset seeded
1000000, later resets continuing the stream) and the script prints success and mean moves over the shortest path.
docs/tutorial.md sets it beside our DQN, same seeds and step budgets.

Needs torch (Debian: python3-torch, CPU) and the rlfs package (packages/python; on PYTHONPATH or installed).
"""
import argparse
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import rlfs


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=None, help="server url (default: RLFS_URL, then ws://127.0.0.1:8080/ws)")
    parser.add_argument("--seed", type=int, default=1, help="seeds torch, exploration and the first training reset")
    parser.add_argument("--steps", type=int, default=10000, help="training steps (transitions)")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--gamma", type=float, default=0.9)
    parser.add_argument("--epsilon-start", type=float, default=1.0)
    parser.add_argument("--epsilon-decay", type=float, default=0.99, help="epsilon is multiplied by this after each episode")
    parser.add_argument("--epsilon-min", type=float, default=0.05)
    parser.add_argument("--eval-episodes", type=int, default=100)
    parser.add_argument("--eval-seed", type=int, default=1_000_000, help="first evaluation reset (npm run eval's default)")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    return parser.parse_args()


def q_network():
    """25 inputs (the grid: 0 empty, 1 agent, 2 goal), 128 hidden, 4 Q-values."""
    return nn.Sequential(nn.Linear(25, 128), nn.ReLU(), nn.Linear(128, 4))


def as_input(obs):
    return torch.as_tensor(obs, dtype=torch.float32)


def train(env, model, args):
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    rng = random.Random(args.seed)
    epsilon = args.epsilon_start
    obs, _ = env.reset(seed=args.seed)
    episodes, successes = 0, 0
    for _ in range(args.steps):
        if rng.random() < epsilon:
            action = rng.randrange(4)
        else:
            with torch.no_grad():
                action = int(model(as_input(obs)).argmax())
        next_obs, reward, terminated, truncated, _ = env.step(action)

        # one update on this transition alone, the target from the network being trained
        with torch.no_grad():
            target = reward + (0.0 if terminated else args.gamma * float(model(as_input(next_obs)).max()))
        loss = F.mse_loss(model(as_input(obs))[action], torch.tensor(target))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        obs = next_obs
        if terminated or truncated:
            episodes += 1
            successes += terminated
            epsilon = max(args.epsilon_min, epsilon * args.epsilon_decay)
            obs, _ = env.reset()
    return episodes, successes


def evaluate(env, model, episodes, seed):
    """Greedy episodes: success rate and mean (moves - shortest path) over the successful ones, as npm run eval."""
    wins, gaps = 0, []
    for k in range(episodes):
        obs, info = env.reset(seed=seed) if k == 0 else env.reset()
        shortest = info["shortestPath"]
        while True:
            with torch.no_grad():
                action = int(model(as_input(obs)).argmax())
            obs, _, terminated, truncated, info = env.step(action)
            if terminated or truncated:
                break
        if terminated:
            wins += 1
            gaps.append(info["episode"]["length"] - shortest)
    return wins / episodes, (float(np.mean(gaps)) if gaps else float("nan"))


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = q_network()
    with rlfs.make("GridWorld-v0", url=args.url, name="seed_dqn.py") as env:
        start = time.time()
        episodes, successes = train(env, model, args)
        print(f"trained {args.steps} steps, {episodes} episodes ({successes} reached the goal) in {time.time() - start:.1f} s")
        success, gap = evaluate(env, model, args.eval_episodes, args.eval_seed)
    print(f"greedy success {success:.3f} over {args.eval_episodes} episodes, mean gap {gap:.2f} moves over the shortest path")


if __name__ == "__main__":
    main()
