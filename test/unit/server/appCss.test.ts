import { readFileSync } from 'node:fs';
import { expect } from 'chai';

/**
 * Problems in a style sheet's blocks: a block left open swallows every rule after it (an unclosed
 * `@media print` made the table scrolling, inline forms and token wrapping apply only on paper).
 * Comments and strings are set aside; a rule may sit only at the top or directly inside an at-rule.
 */
function blockProblems(css: string): string[] {
  const text = css
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/"[^"\n]*"|'[^'\n]*'/g, '""');
  const problems: string[] = [];
  const open: { atRule: boolean; line: number }[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (ch === '{') {
      const prelude = text.slice(start, i).trim();
      const parent = open.at(-1);
      if (parent && !parent.atRule)
        problems.push(`line ${line}: "${prelude}" opens inside the rule opened on line ${parent.line}`);
      open.push({ atRule: prelude.startsWith('@'), line });
      start = i + 1;
    } else if (ch === '}') {
      if (!open.pop()) problems.push(`line ${line}: a "}" closes nothing`);
      start = i + 1;
    } else if (ch === ';') start = i + 1;
  }
  for (const b of open) problems.push(`line ${b.line}: a block is never closed`);
  return problems;
}

describe("The app's style sheet (views/static/app.css)", () => {
  it('when it is read, then every block is closed and no rule opens inside another', () => {
    const css = readFileSync(new URL('../../../views/static/app.css', import.meta.url), 'utf8');
    expect(blockProblems(css)).to.deep.equal([]);
  });

  it('when a block is left open, then the check names it', () => {
    expect(blockProblems('@media print {\n  .a {\n    color: red;\n.b { color: blue; }\n}')).to.deep.equal([
      'line 4: ".b" opens inside the rule opened on line 2',
      'line 1: a block is never closed',
    ]);
  });
});
