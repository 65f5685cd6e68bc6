/** Which session to watch: pure decisions of the session list. */
import type { SessionSummary } from '@rlfs/protocol';

/** The newest session: the server lists sessions in the order they were made, so the last one. */
export function newestSession(sessions: readonly SessionSummary[]): SessionSummary | undefined {
  return sessions[sessions.length - 1];
}

/**
 * The session to watch next. Following the newest, switch whenever a newer one exists; otherwise keep the
 * current one (even when it has ended: the page says so and offers the list), or none.
 */
export function chooseSession(sessions: readonly SessionSummary[], current: string | undefined, follow: boolean): string | undefined {
  if (follow) return newestSession(sessions)?.session ?? current;
  return current;
}

/** "GridWorld-v0 · 12 episodes · 3.4k steps · 8 envs" */
export function describeSession(s: SessionSummary): string {
  const parts = [s.env, `${s.episodes} episode${s.episodes === 1 ? '' : 's'}`, `${compact(s.steps)} steps`];
  if (s.numEnvs !== undefined) parts.push(`${s.numEnvs} envs`);
  return parts.join(' · ');
}

function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}
