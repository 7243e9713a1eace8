/**
 * npm run audit:verify -- export.jsonl [--head <hash>]
 *
 * Verifies an audit export (GET /audit/export, JSON Lines) without the database or the server
 * (R41), with the same canonical form and verification as verifyAudit (src/modules/audit-trail/audit-chain.ts).
 * --head: the hash of the chain's last entry as known from elsewhere (a previous export, a
 * receipt), which also detects entries removed at the end. Prints the result as JSON; exit code
 * 0 when the chain is intact, 1 when it is broken, 2 when the file cannot be read.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { resolve } from 'node:path';
import { HashedEntry, parseExportLine, verifyChain } from '../src/modules/audit-trail/audit-chain';

class UnreadableLine extends Error {}

async function* entries(file: string): AsyncGenerator<HashedEntry> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    try {
      yield parseExportLine(line);
    } catch (e) {
      throw new UnreadableLine(`line ${n}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const headAt = args.indexOf('--head');
  const headHash = headAt >= 0 ? args.splice(headAt, 2)[1] : undefined;
  const [file] = args;
  if (!file || args.length !== 1 || (headAt >= 0 && !headHash)) {
    console.error('usage: npm run audit:verify -- export.jsonl [--head <hash of the last entry>]');
    return 2;
  }
  try {
    const path = resolve(process.env.INIT_CWD ?? '.', file); // npm runs scripts from the package root
    const result = await verifyChain(entries(path));
    const tailOk = !headHash || !result.ok || (await lastHash(path)) === headHash;
    const out = tailOk ? result : { ...result, ok: false, reason: 'removed: the export does not end with the entry whose hash was given (--head)' };
    console.log(JSON.stringify(out));
    return out.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UnreadableLine) {
      console.log(JSON.stringify({ ok: false, entries: 0, firstBroken: null, reason: `altered: ${e.message}` }));
      return 1;
    }
    console.error(`cannot read ${file}: ${e instanceof Error ? e.message : e}`);
    return 2;
  }
}

async function lastHash(file: string): Promise<string | null> {
  let last: string | null = null;
  for await (const e of entries(file)) last = e.hash;
  return last;
}

void main().then((code) => process.exit(code));
