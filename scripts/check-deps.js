// The import rules of .dependency-cruiser.cjs over src/ and migrations/ (npm run lint:deps).
// Fails on any violation, and also when nothing was cruised: dependency-cruiser then reports
// "no violations" (e.g. with a TypeScript it cannot load, stack.md), which must not pass.
const path = require('node:path');

async function main() {
  const { cruise, format } = await import('dependency-cruiser');
  const config = require(path.join(__dirname, '..', '.dependency-cruiser.cjs'));
  const { output } = await cruise(['src', 'migrations'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true });
  const { summary } = output;
  if (summary.error > 0) process.stdout.write((await format(output, { outputType: 'err-long' })).output);
  if (!summary.totalCruised) {
    console.error('lint:deps: dependency-cruiser cruised 0 modules: the check did not run (is TypeScript resolvable?)');
    process.exit(1);
  }
  console.log(`lint:deps: ${summary.totalCruised} modules, ${summary.totalDependenciesCruised} dependencies cruised, ${summary.error} violations`);
  if (summary.error > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
