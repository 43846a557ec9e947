// `npm run depcheck`: the dependency rule of docs/architecture.md (rules and reasons in
// .dependency-cruiser.cjs). Cruises src/, test/ and bench/, whichever exist.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, ROOT, runNode } from './lib.mjs';

const dirs = ['src', 'test', 'bench'].filter((dir) => existsSync(join(ROOT, dir)));
if (dirs.length === 0) {
  console.error('depcheck: nothing to check (no src/, test/ or bench/ directory)');
  process.exit(1);
}

const code = await runNode(binPath('dependency-cruiser', 'depcruise'), [
  ...dirs,
  '--config',
  '.dependency-cruiser.cjs',
  '--output-type',
  'err-long',
]);

if (code === 0) {
  console.log(`depcheck: the dependency rule holds for ${dirs.join('/, ')}/`);
} else {
  console.error(
    'depcheck: dependency rule violated (see above). Each rule says why it exists; fix the import ' +
      '(move the shared piece to src/shared or src/core, or pass it in from the shell) rather than the rule.',
  );
}
process.exit(code);
