import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Font } from 'fontkit';
import * as fontkit from 'fontkit';

/**
 * The PDF embeds DejaVu Sans (the `dejavu-fonts-ttf` package, under the Bitstream Vera licence, which allows
 * embedding), subset to the glyphs used, so it looks the same in every reader and shows names in most
 * scripts. GOV.UK Frontend's GDS Transport is licensed for GOV.UK services only.
 */
const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);
export const FONT_FILE = join(FONT_DIR, 'DejaVuSans.ttf');
export const BOLD_FILE = join(FONT_DIR, 'DejaVuSans-Bold.ttf');
export const FONT = 'DejaVuSans';
export const BOLD = 'DejaVuSans-Bold';

let glyphs: { regular: Font; bold: Font } | undefined;

/**
 * Text both embedded fonts can show: a character neither has (Chinese, say) loses its accent if that is
 * all it lacks, or becomes "?", so the reader never gets an empty box.
 */
export function printable(text: string): string {
  glyphs ??= {
    regular: fontkit.openSync(FONT_FILE) as Font,
    bold: fontkit.openSync(BOLD_FILE) as Font,
  };
  const has = (cp: number) =>
    glyphs!.regular.hasGlyphForCodePoint(cp) && glyphs!.bold.hasGlyphForCodePoint(cp);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || has(code)) {
      out += ch;
      continue;
    }
    const plain = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += [...plain].every((c) => has(c.codePointAt(0)!)) && plain !== '' ? plain : '?';
  }
  return out;
}
