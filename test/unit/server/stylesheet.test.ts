import { readFileSync } from 'node:fs';
import { expect } from 'chai';

describe('Our stylesheet (views/static/app.css)', () => {
  it('when its blocks are counted, then every one opened is closed (an unclosed @media print once hid every rule after it from the screen)', () => {
    const css = readFileSync(new URL('../../../views/static/app.css', import.meta.url), 'utf8').replace(
      /\/\*[\s\S]*?\*\//g,
      '',
    );
    let depth = 0;
    const lines = css.split('\n');
    lines.forEach((line, i) => {
      // A rule at the top level starts at column 0; one indented by two spaces sits in an @media block.
      if (/^\.[\w-]/.test(line))
        expect(depth, `line ${i + 1} (${line.trim()}) is inside another block`).to.equal(0);
      for (const ch of line) {
        if (ch === '{') depth++;
        if (ch === '}') depth--;
        expect(depth, `line ${i + 1}: a block closed that was never opened`).to.be.at.least(0);
      }
    });
    expect(depth).to.equal(0);
  });
});
