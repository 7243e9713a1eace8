import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config';
import { randomPort } from './server-process';

/**
 * A real HTTP server speaking the part of Cortex's REST API the connector uses (api-contract.md,
 * "Cortex"): POST /api/analyzer/{id}/run, POST /api/responder/{id}/run, GET /api/job/{id},
 * GET /api/job/{id}/report, with `Authorization: Bearer <key>`. The worker's name picks its behaviour:
 * - `normal…`: the job is InProgress on the first poll, Success on the next, with a report;
 * - `hold…`: InProgress until `release(jobId)` (a job that outlives a server restart);
 * - `slow…`: answers the run call after `slowMs` (longer than the server's CORTEX_TIMEOUT_MS);
 * - `fail500…`: the run call answers 500;
 * - `malformed…`: the run call answers 200 with a body that is not JSON;
 * - `jobfails…`: the job ends in Failure with an errorMessage;
 * - anything else: 404, as Cortex answers for an unknown worker.
 */
export interface CortexCall {
  method: string;
  path: string;
  authorization?: string;
  body?: any;
}

export interface CortexServer {
  url: string;
  apiKey: string;
  calls: CortexCall[];
  /** The run calls received for a worker (one per submitted job). */
  runs(worker: string): CortexCall[];
  release(jobId: string): void;
  stop(): Promise<void>;
}

export const FAILING_JOB_REASON = 'Invalid API key for the third-party service (fixture)';

interface FakeJob {
  id: string;
  worker: string;
  kind: string;
  polls: number;
  released: boolean;
  input: any;
}

export async function startCortexServer(opts: { apiKey?: string; slowMs?: number; port?: number } = {}): Promise<CortexServer> {
  const apiKey = opts.apiKey ?? 'cortex-test-key';
  const slowMs = opts.slowMs ?? 5000;
  const calls: CortexCall[] = [];
  const jobs = new Map<string, FakeJob>();
  let seq = 0;
  const pending = new Set<NodeJS.Timeout>();

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const path = req.url ?? '';
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      calls.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { type: 'AuthenticationError', message: 'Authentication failure' });
      const run = /^\/api\/(analyzer|responder)\/([^/]+)\/run$/.exec(path);
      if (run && req.method === 'POST') {
        const worker = decodeURIComponent(run[2]);
        if (worker.startsWith('slow')) {
          const t = setTimeout(() => {
            pending.delete(t);
            send(res, 200, { id: `late-${++seq}`, status: 'Waiting' });
          }, slowMs);
          pending.add(t);
          return;
        }
        if (worker.startsWith('fail500')) return send(res, 500, { type: 'InternalError', message: 'Cortex is broken (fixture)' });
        if (worker.startsWith('malformed')) return send(res, 200, '{"id": "half an answer');
        if (!/^(normal|hold|jobfails)/.test(worker)) return send(res, 404, { type: 'NotFoundError', message: `${run[1]} ${worker} not found` });
        const job: FakeJob = { id: `cj-${++seq}`, worker, kind: run[1], polls: 0, released: false, input: body };
        jobs.set(job.id, job);
        return send(res, 200, { id: job.id, status: 'Waiting', workerId: worker, type: run[1] });
      }
      const get = /^\/api\/job\/([^/]+)(\/report)?$/.exec(path);
      if (get && req.method === 'GET') {
        const job = jobs.get(decodeURIComponent(get[1]));
        if (!job) return send(res, 404, { type: 'NotFoundError', message: 'job not found' });
        if (get[2]) {
          return send(res, 200, {
            id: job.id,
            status: 'Success',
            report: {
              success: true,
              summary: { taxonomies: [{ level: 'safe', namespace: 'Fixture', predicate: job.worker, value: 'clean' }] },
              full: { worker: job.worker, data: job.input?.data ?? null },
            },
          });
        }
        job.polls++;
        if (job.worker.startsWith('jobfails')) return send(res, 200, { id: job.id, status: 'Failure', errorMessage: FAILING_JOB_REASON });
        const done = job.worker.startsWith('hold') ? job.released : job.polls >= 2;
        return send(res, 200, { id: job.id, status: done ? 'Success' : 'InProgress' });
      }
      send(res, 404, { type: 'NotFoundError', message: 'no such route' });
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    calls,
    runs: (worker) => calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/${encodeURIComponent(worker)}/run`)),
    release: (jobId) => {
      const j = jobs.get(jobId);
      if (j) j.released = true;
    },
    stop: async () => {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * Fast settings for tests: a running job is polled every 50 ms. A call gives up after 1.5 s: short
 * enough for the `slow` worker's tests, long enough that a busy test machine does not time out a
 * normal call (a timed-out submission is retried, and Cortex would then see two runs).
 */
export const FAST_CORTEX = { cortexTimeoutMs: 1500, cortexPollMs: 50 };

/**
 * A fake Cortex for the whole test file, on a port chosen now so that the server's configuration
 * can name it before either starts: `const cortex = useCortex(); const { server, world } = useWorld(cortex.config);`
 * (no job is submitted before a test runs, so the order the two start in does not matter).
 */
export function useCortex(opts: { apiKey?: string; slowMs?: number } = {}): { config: Partial<Config>; server(): CortexServer } {
  const port = randomPort();
  let running: CortexServer | undefined;
  beforeAll(async () => {
    running = await startCortexServer({ ...opts, port });
  });
  afterAll(async () => {
    await running?.stop();
  });
  return {
    config: { cortexUrl: `http://127.0.0.1:${port}`, cortexApiKey: opts.apiKey ?? 'cortex-test-key', ...FAST_CORTEX },
    server: () => {
      if (!running) throw new Error('the fake Cortex is not running (read it inside a test)');
      return running;
    },
  };
}
