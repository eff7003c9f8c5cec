import { expect } from 'chai';
import { buildCalendar, escapeText, foldLine } from '../../../server/services/icsCalendar.js';

describe('iCalendar text (RFC 5545)', () => {
  it('when text has backslashes, semicolons, commas and newlines, then they are escaped', () => {
    expect(escapeText('a\\b; c, d\ne\r\nf')).to.equal('a\\\\b\\; c\\, d\\ne\\nf');
  });

  it('when a line is longer than 75 octets, then it is folded with CRLF and a space, and unfolds to the same', () => {
    const line = `SUMMARY:${'x'.repeat(200)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).to.be.greaterThan(2);
    for (const [i, p] of parts.entries()) {
      expect(Buffer.byteLength(p)).to.be.at.most(75);
      if (i > 0) expect(p.startsWith(' ')).to.equal(true);
    }
    expect(folded.replace(/\r\n /g, '')).to.equal(line);
  });

  it('when a long line holds multi-byte characters, then no character is split across lines', () => {
    const line = `SUMMARY:${'’é€'.repeat(40)}`;
    const parts = foldLine(line).split('\r\n');
    for (const p of parts) {
      expect(Buffer.byteLength(p)).to.be.at.most(75);
      expect(Buffer.from(p, 'utf8').toString('utf8')).to.equal(p);
    }
    expect(parts.join('\r\n').replace(/\r\n /g, '')).to.equal(line);
  });

  it('when a calendar is built, then it has CRLF lines and all-day events with the next day as DTEND', () => {
    const ics = buildCalendar({
      name: 'Due Regard — Fran',
      now: new Date('2026-03-04T07:00:00Z'),
      events: [
        {
          uid: 'abc@example',
          date: '2026-12-31',
          summary: 'Due: Town Hall, Main',
          description: 'Line 1\nLine 2',
          url: 'https://x.example/premises/1',
          categories: 'Premises',
        },
      ],
    });
    expect(ics.endsWith('\r\n')).to.equal(true);
    expect(ics.replace(/\r\n/g, '')).not.to.include('\n');
    const lines = ics.split('\r\n');
    expect(lines).to.include.members([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:abc@example',
      'DTSTAMP:20260304T070000Z',
      'DTSTART;VALUE=DATE:20261231',
      'DTEND;VALUE=DATE:20270101',
      'SUMMARY:Due: Town Hall\\, Main',
      'DESCRIPTION:Line 1\\nLine 2',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
  });
});
