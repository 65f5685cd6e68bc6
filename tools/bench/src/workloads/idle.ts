/**
 * Workload 5, client side: many idle agent connections (handshake done, no session), then a `/healthz` request
 * while they are held open.
 */
import { get } from 'node:http';
import { connect } from '@rlfs/protocol/node';
import type { Client } from '@rlfs/protocol/node';

const idle: Client[] = [];

/** Opens `count` connections that say hello as agents and then do nothing. */
export async function openIdle(url: string, count: number): Promise<number> {
  const batch = 50;
  for (let i = 0; i < count; i += batch) {
    const opened = await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => connect(url, { role: 'agent', name: `idle-${i + j}` })));
    idle.push(...opened);
  }
  return idle.length;
}

/** Whether GET /healthz answers 200 with status "ok" and counts at least `minConnections` connections. */
export function checkHealth(httpUrl: string, minConnections: number, timeoutMs: number): Promise<{ ok: boolean; body: string }> {
  return new Promise((resolve) => {
    const request = get(new URL('healthz', httpUrl), { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        let ok = false;
        try {
          const health = JSON.parse(body) as { status?: string; connections?: number };
          ok = response.statusCode === 200 && health.status === 'ok' && (health.connections ?? 0) >= minConnections;
        } catch {
          ok = false;
        }
        resolve({ ok, body });
      });
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (err) => resolve({ ok: false, body: err.message }));
  });
}

export async function closeIdle(): Promise<void> {
  await Promise.all(idle.map((client) => client.close()));
  idle.length = 0;
}
