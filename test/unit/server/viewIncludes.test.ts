import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { viewsDir } from '../../../server/middleware/setUpViews.js';

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.ejs') ? [join(dir, e.name)] : [],
  );
}

describe('Views', () => {
  it('when a template includes another, then the path is absolute from the views folder (resolved without file-system checks)', () => {
    const relative: string[] = [];
    for (const file of templates(viewsDir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/include\(\s*(['"`])([^'"`]*)\1/g)) {
        if (!m[2]?.startsWith('/')) relative.push(`${file.slice(viewsDir.length)}: ${m[2]}`);
      }
    }
    expect(relative).to.deep.equal([]);
  });
});
