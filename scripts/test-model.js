// `npm run test:model -- --runs N [--seed S]`: the model-based test (test/model) with N runs instead of the default 200.
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const env = { ...process.env };
const rest = [];
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=', 2);
  const value = () => (inline !== undefined ? inline : args[++i]);
  if (flag === '--runs') env.MODEL_RUNS = value();
  else if (flag === '--seed') env.MODEL_SEED = value();
  else rest.push(args[i]);
}
if (env.MODEL_RUNS !== undefined && !/^[1-9]\d*$/.test(env.MODEL_RUNS)) {
  console.error(`--runs needs a positive integer, got "${env.MODEL_RUNS}"`);
  process.exit(2);
}
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, 'test/model', ...rest], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
