import { createHash } from 'node:crypto';

/**
 * R41: the canonical form, the hash and the verification of an organisation's audit chain.
 * Shared by the server (append, verifyAudit, export) and by the offline verifier
 * (scripts/audit-verify.ts), so the two can never disagree on what was hashed. No dependency
 * beyond node:crypto: an outside party runs it on an export without the database.
 */

/** An entry's own content: what `contentHash` covers. Written once, never changed. */
export interface EntryContent {
  id: string;
  organisationId: string | null;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  caseId: string | null;
  viaPortal: boolean;
  details: unknown;
  /** As stored: ISO-8601 UTC with microseconds (AUDIT_TIME_SQL), so the text survives the round trip exactly. */
  createdAt: string;
}

/** An entry with its place in a chain: what the export carries per line (with `hash`). */
export interface ChainEntry extends EntryContent {
  /** The organisation whose chain holds the entry: its own, or admin's for entries of no organisation. */
  chain: string;
  /** Position in the chain, from 1, without gaps; null for an entry that never entered the chain. */
  seq: number | null;
  previousHash: string | null;
}

export interface HashedEntry extends ChainEntry {
  hash: string | null;
}

const CONTENT_FIELDS: ReadonlyArray<keyof EntryContent> = [
  'id',
  'organisationId',
  'actorId',
  'action',
  'objectType',
  'objectId',
  'caseId',
  'viaPortal',
  'details',
  'createdAt',
];
const CHAIN_FIELDS: ReadonlyArray<keyof ChainEntry> = [...CONTENT_FIELDS, 'chain', 'seq', 'previousHash'];

/**
 * JSON Canonicalization Scheme (RFC 8785) for the values JSON.parse produces: object keys sorted
 * by UTF-16 code units, no whitespace, strings and numbers as ECMAScript serialises them.
 * Undefined members are left out (as JSON.stringify does), so a value hashes the same before
 * storage and after it comes back from jsonb.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for a non-finite number');
      return JSON.stringify(value);
    case 'object': {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no representation for a ${typeof value}`);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** SHA-256 (hex) of the canonical JSON of the entry's own fields: computed by the server when it records the entry. */
export function contentHash(entry: EntryContent): string {
  const fields: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) fields[f] = entry[f];
  return sha256(canonicalJson(fields));
}

/**
 * The link: SHA-256 (hex) of the canonical JSON of {chain, content, previousHash, seq}. The
 * database computes the same text when it seals an entry at commit (hive_audit_seal, migration
 * AuditHashChain): its values (a uuid, hex digests, an integer) never need escaping, so plain
 * concatenation in SQL is exactly canonicalJson here; the tests verify every entry they write.
 */
export function linkHash(link: { chain: string; content: string; previousHash: string | null; seq: number }): string {
  return sha256(canonicalJson(link));
}

/** What an entry's hash must be, from its content and its place in the chain. */
export function entryHash(entry: ChainEntry): string {
  return linkHash({ chain: entry.chain, content: contentHash(entry), previousHash: entry.previousHash, seq: entry.seq ?? 0 });
}

/** One line of an export (JSON Lines): the canonical JSON of the entry with its hash. */
export function exportLine(entry: HashedEntry): string {
  const fields: Record<string, unknown> = { hash: entry.hash };
  for (const f of CHAIN_FIELDS) fields[f] = entry[f];
  return `${canonicalJson(fields)}\n`;
}

const nullableString = (v: unknown) => v === null || typeof v === 'string';

/** Parses and type-checks one export line; throws with a message saying what is wrong. */
export function parseExportLine(line: string): HashedEntry {
  const v = JSON.parse(line) as Record<string, unknown>;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TypeError('not a JSON object');
  const ok =
    typeof v.id === 'string' &&
    typeof v.chain === 'string' &&
    (v.seq === null || Number.isSafeInteger(v.seq)) &&
    nullableString(v.organisationId) &&
    nullableString(v.actorId) &&
    typeof v.action === 'string' &&
    typeof v.objectType === 'string' &&
    nullableString(v.objectId) &&
    nullableString(v.caseId) &&
    typeof v.viaPortal === 'boolean' &&
    'details' in v &&
    typeof v.createdAt === 'string' &&
    nullableString(v.previousHash) &&
    nullableString(v.hash);
  if (!ok) throw new TypeError('missing or mistyped field');
  return v as unknown as HashedEntry;
}

export interface Verification {
  ok: boolean;
  /** Entries examined: the whole chain when ok, else up to and including the first broken one. */
  entries: number;
  /** The first entry altered or inserted, or the first one after entries that were removed. */
  firstBroken: string | null;
  reason: string | null;
}

/** The chain's head as the database records it (seq and hash of the last entry), to detect a removed tail. */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/**
 * Recomputes a chain read in order of (seq, createdAt, id) and reports the first break:
 * - altered: the entry's content no longer matches its hash;
 * - inserted: a second entry at a position (the genuine one is the entry the next position links
 *   to), an entry of another chain, or an entry beyond the recorded head;
 * - removed: a gap in the positions (reported on the first entry after it), or, with `head`,
 *   fewer entries than the head records (firstBroken null: nothing is left to point at);
 * - an entry whose previousHash is not the previous entry's hash (a link rewritten).
 * Reads the source once, holding one position (and the first entry of the next) in memory.
 */
export async function verifyChain(source: AsyncIterable<HashedEntry> | Iterable<HashedEntry>, head?: ChainHead | null): Promise<Verification> {
  let expectedSeq = 1;
  let expectedPrev: string | null = null;
  let chain: string | undefined;
  let examined = 0;
  let group: HashedEntry[] = [];
  const broken = (e: HashedEntry | null, reason: string): Verification => ({ ok: false, entries: examined, firstBroken: e?.id ?? null, reason });

  const settle = (g: HashedEntry[], next: HashedEntry | undefined): Verification | null => {
    const seq = g[0].seq!;
    if (seq > expectedSeq)
      return broken(g[0], `removed: ${seq - expectedSeq} entr${seq - expectedSeq === 1 ? 'y' : 'ies'} missing before this one (position ${expectedSeq})`);
    if (seq < expectedSeq) return broken(g[0], `inserted: position ${seq} is out of order`);
    if (head && seq > head.seq) return broken(g[0], `inserted: beyond the chain's recorded head (position ${head.seq})`);
    const intact = (e: HashedEntry) => entryHash(e) === e.hash && e.previousHash === expectedPrev;
    if (g.length > 1) {
      const genuine = g.find((e) => intact(e) && (!next || next.previousHash === e.hash)) ?? g.find(intact);
      return broken(
        g.find((e) => e !== genuine)!,
        `inserted: another entry holds position ${seq}`,
      );
    }
    const e = g[0];
    if (entryHash(e) !== e.hash) return broken(e, 'altered: its content does not match its hash');
    if (e.previousHash !== expectedPrev) return broken(e, 'altered: its previousHash is not the hash of the entry before it');
    expectedSeq++;
    expectedPrev = e.hash;
    return null;
  };

  for await (const e of source) {
    examined++;
    chain ??= e.chain;
    if (e.chain !== chain) return broken(e, 'inserted: the entry belongs to another chain');
    if (e.seq === null || e.hash === null) {
      // Listed after every sealed entry: the chain before it is judged first.
      const before = group.length ? settle(group, undefined) : null;
      return before ?? broken(e, 'inserted: the entry was never sealed into the chain');
    }
    if (group.length && e.seq !== group[0].seq) {
      const result = settle(group, e);
      if (result) return { ...result, entries: examined - 1 };
      group = [];
    }
    group.push(e);
  }
  if (group.length) {
    const result = settle(group, undefined);
    if (result) return result;
  }
  if (head && (head.seq !== expectedSeq - 1 || head.hash !== expectedPrev)) {
    return broken(
      null,
      head.seq > expectedSeq - 1
        ? `removed: the chain ends at position ${expectedSeq - 1} but its head records position ${head.seq}`
        : 'altered: the last entry is not the one the chain head records',
    );
  }
  return { ok: true, entries: examined, firstBroken: null, reason: null };
}
