/**
 * The Dockerfile and deploy/k8s manifests against the server they deploy (Docker and Kubernetes do not run here):
 * the image's entry command is one the server accepts and starts with, and the probes, ports, token Secret and
 * grace period of the manifests match the server's routes and flags.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defineCommand } from '@rlfs/cli';
import { connect } from '@rlfs/protocol/node';
import { DEFAULT_SERVER_OPTIONS, SERVER_FLAGS, serverOptionsFromFlags, startServer } from '../src';
import { HostPolicy } from '../src/server/auth';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER_COMMAND = defineCommand({ name: 'server', description: 'the server', flags: SERVER_FLAGS });
/** The drain timeout the issue fixes as the default, for a server that has no --drain-timeout yet. */
const ISSUE_DRAIN_TIMEOUT_MS = 30_000;
const TOKEN = { RLFS_TOKEN: 'from-the-secret' };

interface Stage {
  name: string | undefined;
  lines: string[];
}

/** The Dockerfile's stages, each instruction on one line (continuations joined, comments dropped). */
function dockerStages(): Stage[] {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ name: from[1], lines: [] });
    else stages.at(-1)!.lines.push(line);
  }
  return stages;
}

/** The exec-form (JSON array) argument of an instruction in a stage. */
function execForm(stage: Stage, instruction: string): string[] {
  const line = stage.lines.find((l) => l.toUpperCase().startsWith(`${instruction} `));
  if (!line) throw new Error(`no ${instruction} in the final stage`);
  return JSON.parse(line.slice(instruction.length + 1)) as string[];
}

/** `args` with the value of `--flag` replaced. */
function withFlag(args: readonly string[], flag: string, value: string): string[] {
  const out = [...args];
  out[out.indexOf(flag) + 1] = value;
  return out;
}

type Manifest = Record<string, unknown> & { kind: string; spec: Record<string, unknown> };

function manifests(): Manifest[] {
  const dir = path.join(ROOT, 'deploy/k8s');
  return ['deployment.yaml', 'service.yaml'].flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(dir, file), 'utf8')).map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJS() as Manifest;
    }),
  );
}

interface Container {
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: { memory: string; cpu: string } };
}

function deployment() {
  const found = manifests().find((m) => m.kind === 'Deployment')!;
  const pod = (found.spec.template as { metadata: { labels: Record<string, string> }; spec: { terminationGracePeriodSeconds: number; containers: Container[] } });
  return { pod, container: pod.spec.containers[0]! };
}

describe('Dockerfile', () => {
  const stages = dockerStages();
  const final = stages.at(-1)!;

  it('builds the viewer in a build stage and copies it into a final stage that installs production dependencies only, as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0]!;
    expect(build.lines.some((l) => l.startsWith('RUN') && l.includes('tools/scripts/build-viewer.ts'))).toBe(true);
    expect(final.lines.some((l) => l.startsWith('RUN') && /npm ci .*--omit=dev/.test(l))).toBe(true);
    expect(final.lines).toContain(`COPY --from=${build.name} /app/packages/viewer/dist packages/viewer/dist`);
    const user = final.lines.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.slice(5).split(':')[0]);
  });

  it('starts the server through tsx, which npm ci --omit=dev keeps (a dependency of @rlfs/env-server, not a devDependency)', () => {
    const entry = execForm(final, 'ENTRYPOINT');
    expect(entry.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    expect(existsSync(path.join(ROOT, entry[3]!))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'packages/env-server/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tsx', 'ws', 'msgpackr']));
  });

  it('its CMD is flags the server accepts: every interface, the EXPOSEd port, the token from RLFS_TOKEN', () => {
    const flags = SERVER_COMMAND.parse(execForm(final, 'CMD'), TOKEN);
    expect(flags.host).toBe('0.0.0.0');
    expect(final.lines).toContain(`EXPOSE ${flags.port}`);
    expect(flags.token).toBe('from-the-secret');
  });

  it('ENTRYPOINT + CMD really start the server (on 127.0.0.1 and port 0 here), which takes the token from RLFS_TOKEN and stops on SIGTERM', async () => {
    const [program, ...rest] = execForm(final, 'ENTRYPOINT');
    const cmd = withFlag(withFlag(execForm(final, 'CMD'), '--host', '127.0.0.1'), '--port', '0');
    const child = spawn(program === 'node' ? process.execPath : program!, [...rest, ...cmd], { cwd: ROOT, env: { ...process.env, ...TOKEN } });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          const m = /listening on (ws:\/\/\S+)/.exec(output);
          if (m) resolve(m[1]!);
        });
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
      });
      const health = await fetch(url.replace('ws://', 'http://').replace(/\/ws$/, '/healthz'));
      expect(health.status).toBe(200);
      await expect(connect(url, { role: 'agent' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      const client = await connect(url, { role: 'agent', token: TOKEN.RLFS_TOKEN });
      client.close();
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('deploy/k8s', () => {
  it('the Deployment args are flags the server accepts, and its port is the container port the probes and the Service use', () => {
    const { pod, container } = deployment();
    const flags = SERVER_COMMAND.parse(container.args, TOKEN);
    expect(container.ports).toEqual([{ name: 'http', containerPort: flags.port }]);
    expect(container.livenessProbe.httpGet.port).toBe('http');
    expect(container.readinessProbe.httpGet.port).toBe('http');
    const service = manifests().find((m) => m.kind === 'Service')!;
    expect(service.spec.ports).toEqual([expect.objectContaining({ targetPort: 'http' })]);
    expect(pod.metadata.labels).toEqual(expect.objectContaining(service.spec.selector as Record<string, string>));
  });

  it('the token comes from a Secret, into RLFS_TOKEN, which the server reads', () => {
    const { container } = deployment();
    const token = container.env.find((e) => e.name === 'RLFS_TOKEN');
    expect(token?.valueFrom?.secretKeyRef).toEqual({ name: 'rlfs-token', key: 'token' });
    expect(SERVER_FLAGS.token.env).toBe('RLFS_TOKEN');
  });

  it('the grace period outlasts the drain timeout, so that Kubernetes does not kill a draining server', () => {
    const { pod, container } = deployment();
    const flags = SERVER_COMMAND.parse(container.args, TOKEN) as Record<string, unknown>;
    const drainMs = (flags['drain-timeout'] as number | undefined) ?? (DEFAULT_SERVER_OPTIONS as { drainTimeout?: number }).drainTimeout ?? ISSUE_DRAIN_TIMEOUT_MS;
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs);
  });

  it('the probe paths answer on a server started with the Deployment args; the Service name is an accepted Host', async () => {
    const { container } = deployment();
    const flags = SERVER_COMMAND.parse(withFlag(withFlag(container.args, '--host', '127.0.0.1'), '--port', '0'), TOKEN);
    const server = await startServer({ ...serverOptionsFromFlags(flags), warn: () => undefined });
    try {
      const live = await fetch(`${server.httpUrl}${container.livenessProbe.httpGet.path.slice(1)}`);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ status: 'ok' });
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      if ('drainTimeout' in DEFAULT_SERVER_OPTIONS) {
        // with /readyz in the server (issue 14's readiness), an idle server is ready
        expect((await fetch(`${server.httpUrl}readyz`)).status).toBe(200);
      }
    } finally {
      await server.close();
    }
    // On 0.0.0.0 the kubelet's probes (Host: the pod's IP) are accepted; clients through the Service send its name.
    const policy = new HostPolicy(SERVER_COMMAND.parse(container.args, TOKEN).host, 8080, SERVER_COMMAND.parse(container.args, TOKEN)['allow-host'] ?? [], false);
    expect(policy.allows('10.42.0.17:8080')).toBe(true);
    const service = manifests().find((m) => m.kind === 'Service')!;
    expect(policy.allows(`${(service.metadata as { name: string }).name}:8080`)).toBe(true);
  });
});
