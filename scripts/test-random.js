// `npm run test:model|test:fuzz -- [--runs N] [--seed S]`: a randomized suite with a fresh seed.
// `npm test` runs the same suites on fixed seeds, so CI is reproducible; these scripts explore.
const { spawnSync } = require('node:child_process');

const SUITES = { model: { dir: 'test/model', env: 'MODEL' }, fuzz: { dir: 'test/fuzz', env: 'FUZZ' } };
const [name, ...args] = process.argv.slice(2);
const suite = SUITES[name];
if (!suite) {
  console.error(`usage: test-random.js <${Object.keys(SUITES).join('|')}> [--runs N] [--seed S]`);
  process.exit(2);
}
const env = { ...process.env };
const rest = [];
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=', 2);
  const value = () => (inline !== undefined ? inline : args[++i]);
  if (flag === '--runs') env[`${suite.env}_RUNS`] = value();
  else if (flag === '--seed') env[`${suite.env}_SEED`] = value();
  else rest.push(args[i]);
}
for (const [flag, v] of [
  ['--runs', env[`${suite.env}_RUNS`]],
  ['--seed', env[`${suite.env}_SEED`]],
]) {
  if (v !== undefined && !/^-?\d+$/.test(v)) {
    console.error(`${flag} needs an integer, got "${v}"`);
    process.exit(2);
  }
}
env[`${suite.env}_SEED`] ??= String(Math.floor(Math.random() * 2 ** 31));
console.info(`${name}: seed ${env[`${suite.env}_SEED`]} (replay with --seed ${env[`${suite.env}_SEED`]})`);
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, suite.dir, ...rest], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
