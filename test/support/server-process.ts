import path from 'node:path';
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** The compiled server (npm test builds dist/ first), run as `npm start` would run it. */
export const MAIN = path.resolve(__dirname, '../../dist/src/main.js');

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
}

/** Starts dist/src/main.js with the given environment and waits until /healthz answers. */
export function startServerProcess(env: Record<string, string | undefined>, port: number, timeoutMs = 45_000): Promise<ServerProcess> {
  if (!fs.existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const { DATABASE_URL: _inherited, ...rest } = process.env;
  let out = '';
  const proc = spawn(process.execPath, [MAIN], {
    env: { ...rest, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = () =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve(proc.exitCode)
      : new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const url = `http://127.0.0.1:${port}`;
    const check = async () => {
      const up = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) resolve({ proc, url, output: () => out, exited });
      else if (proc.exitCode !== null) reject(new Error(`server exited:\n${out}`));
      else if (Date.now() - started > timeoutMs) {
        proc.kill('SIGKILL');
        reject(new Error(`server did not start:\n${out}`));
      } else setTimeout(check, 50);
    };
    void check();
  });
}

/**
 * A port below the kernel's ephemeral range (32768+ by default), where outgoing connections (pg,
 * fetch) take their local ports: a port there can be taken between two starts of a server.
 */
export function randomPort(): number {
  const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const top = Math.min(Number.isFinite(low) ? low : 32768, 32768);
  return 20000 + Math.floor(Math.random() * (top - 20000));
}
