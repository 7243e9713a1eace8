import type { Config } from '../../src/config';
import { startWorldServer, World } from '../fixtures/world';
import { SmtpCapture, startSmtpCapture } from '../fixtures/portal';
import type { TestServer } from './test-server';

/** Every key of T, so that the compiler refuses a stand-in that forgets one. */
type KeysOf<T> = { [K in keyof T]-?: true };

const SERVER_KEYS: KeysOf<TestServer> = { app: true, url: true, config: true, databaseUrl: true, dataDir: true, client: true, sql: true, stop: true };
const WORLD_KEYS: KeysOf<World> = { admin: true, soc: true, partner: true, stranger: true };
const SMTP_KEYS: KeysOf<SmtpCapture> = { url: true, messages: true, waitFor: true, stop: true };

/**
 * The value of a beforeAll, usable in module scope before that hook has run: a stand-in whose
 * properties read through to the value once it is set, and throw a clear error before then (a read
 * at module load, or after the setup failed, would otherwise be a TypeError on undefined).
 */
function lateBound<T extends object>(name: string, keys: KeysOf<T>) {
  let value: T | undefined;
  const standIn = {} as T;
  for (const key of Object.keys(keys) as Array<keyof T & string>) {
    Object.defineProperty(standIn, key, {
      enumerable: true,
      get() {
        if (value === undefined) {
          throw new Error(
            `${name}.${key} was read before useWorld's beforeAll set it up (read it inside a hook or a test; if this is inside one, the setup failed: see the first error)`,
          );
        }
        const v = value[key];
        return typeof v === 'function' ? v.bind(value) : v;
      },
    });
  }
  return {
    standIn,
    get: () => value,
    set: (v: T) => {
      value = v;
    },
  };
}

export interface WorldSuite {
  server: TestServer;
  world: World;
}

export interface WorldWithSmtpSuite extends WorldSuite {
  /** Captures what the server e-mails (its smtpUrl points here). */
  smtp: SmtpCapture;
}

function register(overrides: Partial<Config>, withSmtp: boolean): WorldWithSmtpSuite {
  const server = lateBound<TestServer>('server', SERVER_KEYS);
  const world = lateBound<World>('world', WORLD_KEYS);
  const smtp = lateBound<SmtpCapture>('smtp', SMTP_KEYS);
  beforeAll(async () => {
    const mail = withSmtp ? await startSmtpCapture() : undefined;
    if (mail) smtp.set(mail);
    const started = await startWorldServer(mail ? { smtpUrl: mail.url, ...overrides } : overrides);
    server.set(started.server);
    world.set(started.world);
  });
  afterAll(async () => {
    await server.get()?.stop();
    await smtp.get()?.stop();
  });
  return { server: server.standIn, world: world.standIn, smtp: smtp.standIn };
}

/**
 * One test server (own database, cloned from the run's world template: the named world is in it)
 * for the whole test file:
 * registers the beforeAll that starts it and the afterAll that stops it. Call it at the top of the
 * file, before the file's own hooks: jest runs beforeAll hooks in the order they are registered,
 * so the file's extra fixtures in its own beforeAll find the server and the world ready.
 * afterAll hooks run in registration order too: a teardown that needs the running server (closing
 * sockets) is registered before calling useWorld.
 * The returned server and world may be destructured at once; their properties are usable from the
 * beforeAll on.
 */
export function useWorld(overrides: Partial<Config> = {}): WorldSuite {
  const { server, world } = register(overrides, false);
  return { server, world };
}

/** useWorld, with an SMTP capture started first and given to the server as its smtpUrl. */
export function useWorldWithSmtp(overrides: Partial<Config> = {}): WorldWithSmtpSuite {
  return register(overrides, true);
}
