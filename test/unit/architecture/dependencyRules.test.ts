import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { importsOf, projectSources, violationsOf } from './dependencyRules.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('Architecture: the one-way arrows server → jobs → checks → data', () => {
  it('when every source file of the four rooms is read, then no import breaks a rule', () => {
    const files = projectSources(root);
    expect(files.size).to.be.greaterThan(100);
    const imports = [...files].flatMap(([file, source]) => importsOf(file, source));
    expect(imports.length).to.be.greaterThan(900);
    expect(imports).to.include('server/hallHire/hallRoutes.ts');
    expect(violationsOf(files)).to.deep.equal([]);
  });

  it('when imports point the wrong way, then each is named with its rule', () => {
    const files = new Map([
      ['data/store/x.ts', "import { rule } from '../../checks/rule.js';"],
      [
        'checks/rule.ts',
        "import { readFileSync } from 'node:fs';\nimport { type Job } from '../jobs/job.js';",
      ],
      ['jobs/job.ts', "export { app } from '../server/app.js';"],
      ['server/services/aService.ts', "const r = await import('../routes/aRoutes.js');"],
      ['server/hallHire/hallService.ts', "import { hallRoutes } from './hallRoutes.js';"],
      ['server/hallHire/hallRoutes.ts', "import { createHallService } from './hallService.js';"],
      [
        'server/routes/aRoutes.ts',
        "import { x } from '../../jobs/job.js';\nimport { y } from '../../data/y.js';",
      ],
    ]);
    expect(violationsOf(files)).to.deep.equal([
      { rule: 'data imports nothing of ours', from: 'data/store/x.ts', to: 'checks/rule.ts' },
      { rule: 'checks use no node I/O', from: 'checks/rule.ts', to: 'node:fs' },
      { rule: 'checks import only data', from: 'checks/rule.ts', to: 'jobs/job.ts' },
      { rule: 'jobs never import server', from: 'jobs/job.ts', to: 'server/app.ts' },
      {
        rule: 'services never import routes',
        from: 'server/services/aService.ts',
        to: 'server/routes/aRoutes.ts',
      },
      {
        rule: 'services never import routes',
        from: 'server/hallHire/hallService.ts',
        to: 'server/hallHire/hallRoutes.ts',
      },
    ]);
  });

  it('when a file imports across lines, by type only or re-exports, then each import is read', () => {
    const source = [
      'import {',
      '  a,',
      '  b,',
      "} from './a.js';",
      "import type { T } from '../t.js';",
      "export * from './c.js';",
      "import 'side-effect';",
      'const s = \'from "./not-an-import.js"\';',
    ].join('\n');
    expect(importsOf('server/x/y.ts', source)).to.deep.equal([
      'server/x/a.ts',
      'server/t.ts',
      'server/x/c.ts',
      'side-effect',
    ]);
  });
});
