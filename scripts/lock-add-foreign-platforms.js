#!/usr/bin/env node
/**
 * npm run lock:fix — after `npm install`, run this once.
 *
 * The npm registry reachable here serves only the platform packages of this machine (linux): the
 * optional native builds of other platforms (@swc/core-darwin-arm64, @unrs/resolver-binding-win32-…)
 * answer 404, so `npm install` leaves them out of package-lock.json, and `npm ci` then refuses the
 * lock file ("Missing: … from lock file"). This adds a stub entry for each such optional
 * dependency, marked optional and for its own os/cpu, so `npm ci` skips it as it would on any
 * other machine. Entries that exist are never touched.
 */
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((o) => parts.includes(o)) ?? (parts.includes('wasi') ? 'wasi' : undefined);
  let cpu = CPU.find((c) => parts.includes(c));
  if (!cpu && parts.includes('gnueabihf')) cpu = 'arm';
  const entry = {};
  if (os && os !== 'wasi') entry.os = [os];
  if (cpu) entry.cpu = [cpu];
  if (parts.includes('musl') || parts.includes('musleabihf')) entry.libc = ['musl'];
  else if (os === 'linux') entry.libc = ['glibc'];
  return entry;
}

function resolves(fromPath, name) {
  // Node's lookup: node_modules/<name> next to the package, then in each parent.
  let base = fromPath;
  for (;;) {
    if (pkgs[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
    if (!base) return false;
    const i = base.lastIndexOf('/node_modules/');
    base = i >= 0 ? base.slice(0, i) : '';
  }
}

let added = 0;
for (const [where, meta] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolves(where, name)) continue;
    const platform = platformOf(name);
    if (!platform.os && !platform.cpu) {
      console.warn(`left alone: ${name}@${spec} (optional dependency of ${where || 'the root'} with no platform in its name)`);
      continue;
    }
    pkgs[`node_modules/${name}`] = { version: spec.replace(/^[\^~=]/, ''), ...(meta.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} optional foreign-platform entries added`);
