#!/usr/bin/env python3
"""DQN in PyTorch on a GridWorld served by rl-from-scratch, in the single-file style of CleanRL's dqn.py.

    /usr/bin/python3 examples/python/dqn_torch.py --url ws://127.0.0.1:8080/ws

Trains through `rlfs.make_vec("GridWorld-v0", 8)`: eight sub-environments in one vector session, autoreset in the
same step (the replay buffer takes the ended episode's last observation from `infos["final_obs"]`). Then evaluates
the greedy policy on 100 fresh episodes and prints its success rate and moves against the shortest path. While it
trains, the viewer at http://127.0.0.1:8080/ shows the session, with this script's telemetry.

Needs numpy, torch (Debian: python3-torch, CPU) and the rlfs package (packages/python; on PYTHONPATH or installed).
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
    parser.add_argument("--seed", type=int, default=1, help="seeds torch, numpy, the env resets and the eval episodes")
    parser.add_argument("--size", type=int, default=5, help="GridWorld size")
    parser.add_argument("--num-envs", type=int, default=8, help="sub-environments in the vector session")
    parser.add_argument("--total-timesteps", type=int, default=16000, help="env steps, all sub-envs together")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--buffer-size", type=int, default=20000)
    parser.add_argument("--gamma", type=float, default=0.95)
    parser.add_argument("--target-network-frequency", type=int, default=100, help="gradient steps between target syncs")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--start-e", type=float, default=1.0)
    parser.add_argument("--end-e", type=float, default=0.05)
    parser.add_argument("--exploration-fraction", type=float, default=0.3, help="share of the run epsilon decays over")
    parser.add_argument("--learning-starts", type=int, default=1000, help="env steps before the first update")
    parser.add_argument("--reward-scale", type=float, default=0.01, help="rewards are multiplied by this for the loss")
    parser.add_argument("--eval-episodes", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--min-success", type=float, default=None, help="exit 1 if greedy success is below this")
    return parser.parse_args()


class QNetwork(nn.Module):
    """Observation (the grid as size*size numbers: 1 agent, 2 goal) -> one Q-value per action."""

    def __init__(self, obs_size, n_actions):
        super().__init__()
        self.network = nn.Sequential(nn.Linear(obs_size, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                     nn.Linear(128, n_actions))

    def forward(self, x):
        return self.network(x)


def features(obs):
    """The int8 grid as two 0/1 planes, agent and goal: a linear layer reads positions better than the codes 1, 2."""
    obs = torch.as_tensor(obs)
    return torch.cat([(obs == 1).float(), (obs == 2).float()], dim=-1)


def linear_schedule(start_e, end_e, duration, t):
    return max(end_e, start_e + (end_e - start_e) * t / duration)


class ReplayBuffer:
    """A ring of transitions in preallocated arrays."""

    def __init__(self, capacity, obs_shape, obs_dtype):
        self.obs = np.zeros((capacity, *obs_shape), dtype=obs_dtype)
        self.next_obs = np.zeros((capacity, *obs_shape), dtype=obs_dtype)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.dones = np.zeros(capacity, dtype=np.float32)
        self.capacity, self.pos, self.full = capacity, 0, False

    def add(self, obs, next_obs, actions, rewards, dones):
        for i in range(len(obs)):
            self.obs[self.pos], self.next_obs[self.pos] = obs[i], next_obs[i]
            self.actions[self.pos], self.rewards[self.pos], self.dones[self.pos] = actions[i], rewards[i], dones[i]
            self.pos = (self.pos + 1) % self.capacity
            self.full = self.full or self.pos == 0

    def sample(self, batch_size, rng):
        idx = rng.integers(0, self.capacity if self.full else self.pos, size=batch_size)
        return (features(self.obs[idx]), torch.as_tensor(self.actions[idx]), torch.as_tensor(self.rewards[idx]),
                features(self.next_obs[idx]), torch.as_tensor(self.dones[idx]))


def evaluate(q_network, url, size, episodes, seed):
    """Greedy policy, one episode per sub-env of a fresh vector session seeded `seed`: success rate and moves."""
    envs = rlfs.make_vec("GridWorld-v0", episodes, url=url, size=size)
    obs, infos = envs.reset(seed=seed)
    shortest = infos["shortestPath"].astype(np.float64)
    done = np.zeros(episodes, dtype=bool)
    success = np.zeros(episodes, dtype=bool)
    moves = np.zeros(episodes, dtype=np.int64)
    while not done.all():
        with torch.no_grad():
            actions = q_network(features(obs)).argmax(dim=1).numpy()
        obs, _, terminations, truncations, infos = envs.step(actions)
        ended = (terminations | truncations) & ~done
        if ended.any():
            lengths = infos["final_info"]["episode"]["length"]
            success[ended] = terminations[ended]
            moves[ended] = lengths[ended]
            done |= ended
    envs.close()
    return success.mean(), moves[success].mean() if success.any() else float("nan"), shortest[success].mean()


def main():
    args = parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)

    envs = rlfs.make_vec("GridWorld-v0", args.num_envs, url=args.url, size=args.size, name="dqn_torch.py")
    obs_size = 2 * int(np.prod(envs.single_observation_space.shape))
    q_network = QNetwork(obs_size, int(envs.single_action_space.n))
    optimizer = torch.optim.Adam(q_network.parameters(), lr=args.learning_rate)
    target_network = QNetwork(obs_size, int(envs.single_action_space.n))
    target_network.load_state_dict(q_network.state_dict())
    buffer = ReplayBuffer(args.buffer_size, envs.single_observation_space.shape, envs.single_observation_space.dtype)
    print(f"training on {envs.url}, session {envs.session}: {args.num_envs} x GridWorld-v0 {args.size}x{args.size}")

    start = time.time()
    obs, _ = envs.reset(seed=args.seed)
    returns, updates, loss = [], 0, torch.tensor(0.0)
    for global_step in range(0, args.total_timesteps, args.num_envs):
        epsilon = linear_schedule(args.start_e, args.end_e, args.exploration_fraction * args.total_timesteps, global_step)
        if rng.random() < epsilon:
            actions = rng.integers(0, envs.single_action_space.n, size=args.num_envs)
        else:
            with torch.no_grad():
                actions = q_network(features(obs)).argmax(dim=1).numpy()
        next_obs, rewards, terminations, truncations, infos = envs.step(actions)

        # same-step autoreset: next_obs of an ended sub-env already starts its next episode; store the true last one
        real_next_obs = next_obs.copy()
        if "_final_obs" in infos:
            for i in np.flatnonzero(infos["_final_obs"]):
                real_next_obs[i] = infos["final_obs"][i]
            returns.extend(infos["final_info"]["episode"]["return"][infos["_final_obs"]].tolist())
        buffer.add(obs, real_next_obs, actions, rewards * args.reward_scale, terminations)
        obs = next_obs

        if global_step >= args.learning_starts:
            b_obs, b_actions, b_rewards, b_next_obs, b_dones = buffer.sample(args.batch_size, rng)
            with torch.no_grad():
                target_max = target_network(b_next_obs).max(dim=1).values
                td_target = b_rewards + args.gamma * target_max * (1 - b_dones)
            old_val = q_network(b_obs).gather(1, b_actions.unsqueeze(1)).squeeze(1)
            loss = F.mse_loss(td_target, old_val)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            updates += 1
            if updates % args.target_network_frequency == 0:
                target_network.load_state_dict(q_network.state_dict())

        if global_step % 2000 < args.num_envs and returns:
            sps = int(global_step / max(time.time() - start, 1e-9))
            metrics = {"episode/return": float(np.mean(returns[-50:])), "train/loss": float(loss),
                       "train/epsilon": epsilon, "perf/steps_per_second": sps}
            envs.telemetry(metrics)
            print(f"step {global_step:>6}  return {metrics['episode/return']:7.2f}  epsilon {epsilon:.2f}  "
                  f"loss {float(loss):.4f}  {sps} steps/s")
    envs.close()
    train_seconds = time.time() - start

    success, moves, shortest = evaluate(q_network, args.url, args.size, args.eval_episodes, seed=10_000 + args.seed)
    print(f"trained {args.total_timesteps} steps in {train_seconds:.1f} s")
    print(f"greedy success {success:.3f} over {args.eval_episodes} episodes, mean moves {moves:.2f} "
          f"(shortest path {shortest:.2f})")
    if args.min_success is not None and success < args.min_success:
        raise SystemExit(f"greedy success {success:.3f} is below --min-success {args.min_success}")


if __name__ == "__main__":
    main()
