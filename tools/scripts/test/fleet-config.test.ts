/** The HAProxy configuration `npm run fleet` writes: deploy/haproxy/haproxy.cfg with its bind and server lines set. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { HAPROXY_TEMPLATE, ROOT, findHaproxy, haproxyConfig } from '../fleet-runner';

const template = readFileSync(HAPROXY_TEMPLATE, 'utf8');

it('the committed file is the example for 3 servers on 8081-8083 behind port 8080: rendering it for those changes nothing', () => {
  const servers = [1, 2, 3].map((i) => ({ name: `env${i}`, port: 8080 + i }));
  expect(haproxyConfig(template, 8080, servers)).toBe(template);
});

it('writes one server line per server where the template had its own, and binds the given port, nothing else changed', () => {
  const out = haproxyConfig(template, 9000, [{ name: 'env1', port: 40001 }, { name: 'env2', port: 40002 }]);
  expect(out.match(/^\s+server .*$/gm)).toEqual(['    server env1 127.0.0.1:40001', '    server env2 127.0.0.1:40002']);
  expect(out.match(/^\s+bind .*$/gm)).toEqual(['    bind 127.0.0.1:9000']);
  const rest = (text: string): string[] => text.split('\n').filter((line) => !/^\s+(server|bind)\s/.test(line));
  expect(rest(out)).toEqual(rest(template));
});

it('routes with leastconn, checks /readyz, and keeps WebSockets open with a tunnel timeout', () => {
  expect(template).toMatch(/^\s+balance leastconn$/m);
  expect(template).toMatch(/^\s+http-check send meth GET uri \/readyz /m);
  expect(template).toMatch(/^\s+timeout tunnel 1h$/m);
});

it('finds no haproxy where HAPROXY names a missing file', () => {
  expect(findHaproxy({ HAPROXY: '/nowhere/haproxy', PATH: '' })).toBeUndefined();
});

it('npm run fleet says how to install haproxy when it is missing, and exits 1', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/scripts/fleet.ts', '--servers', '2'], { cwd: ROOT, env: { ...process.env, HAPROXY: '/nowhere/haproxy' }, encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('error: haproxy is not installed: apt-get install haproxy');
});
