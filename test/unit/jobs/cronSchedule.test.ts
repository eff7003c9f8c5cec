import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { latestScheduledTime, scheduledTimesBetween, zonedDate } from '../../../jobs/cronSchedule.js';

const LONDON = 'Europe/London';
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('cron schedule: scheduled times between two instants (Europe/London)', () => {
  it('when the default REMINDER_CRON runs over a week, then it is due at 07:00 London on each working day', () => {
    const times = scheduledTimesBetween(
      '0 7 * * 1-5',
      LONDON,
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-03-08T00:00:00Z'),
    );
    expect(iso(times)).to.deep.equal([
      '2026-03-02T07:00:00.000Z',
      '2026-03-03T07:00:00.000Z',
      '2026-03-04T07:00:00.000Z',
      '2026-03-05T07:00:00.000Z',
      '2026-03-06T07:00:00.000Z',
    ]);
  });

  it('when a daily 07:00 schedule crosses the March change, then it stays at 07:00 London (06:00 UTC after it)', () => {
    const times = scheduledTimesBetween(
      '0 7 * * *',
      LONDON,
      new Date('2026-03-28T00:00:00Z'),
      new Date('2026-03-31T00:00:00Z'),
    );
    expect(iso(times)).to.deep.equal([
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
  });

  it('when a run is scheduled at 01:30 on the October change day (01:30 happens twice), then it fires once, at the first 01:30', () => {
    const times = scheduledTimesBetween(
      '30 1 * * *',
      LONDON,
      new Date('2026-10-24T12:00:00Z'),
      new Date('2026-10-26T12:00:00Z'),
    );
    expect(iso(times)).to.deep.equal(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('when a schedule with a step runs in the repeated hour of the October change, then it runs at every instant that matches (both 01:00 hours)', () => {
    const times = scheduledTimesBetween(
      '*/20 1 * * *',
      LONDON,
      new Date('2026-10-24T23:00:00Z'),
      new Date('2026-10-25T03:00:00Z'),
    );
    expect(iso(times)).to.deep.equal([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:20:00.000Z',
      '2026-10-25T00:40:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T01:20:00.000Z',
      '2026-10-25T01:40:00.000Z',
    ]);
  });

  it('when a run is scheduled at 01:30 on the March change day (01:30 does not exist), then it fires once, at 02:00 BST when the gap ends', () => {
    const times = scheduledTimesBetween(
      '30 1 * * *',
      LONDON,
      new Date('2026-03-28T12:00:00Z'),
      new Date('2026-03-30T12:00:00Z'),
    );
    expect(iso(times)).to.deep.equal(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('when one of two fixed times falls in the March gap, then it runs once as the gap ends and the other at its own time', () => {
    const times = scheduledTimesBetween(
      '30 1,2 * * *',
      LONDON,
      new Date('2026-03-29T00:00:00Z'),
      new Date('2026-03-29T06:00:00Z'),
    );
    expect(iso(times)).to.deep.equal(['2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z']);
  });

  it('when the server was down from Friday after the run until Monday 06:59, then no run was missed; at 07:00 one is', () => {
    const lastRun = new Date('2026-03-06T07:00:05Z');
    expect(
      scheduledTimesBetween('0 7 * * 1-5', LONDON, lastRun, new Date('2026-03-09T06:59:00Z')),
    ).to.have.length(0);
    expect(
      iso(scheduledTimesBetween('0 7 * * 1-5', LONDON, lastRun, new Date('2026-03-09T07:00:00Z'))),
    ).to.deep.equal(['2026-03-09T07:00:00.000Z']);
  });

  it('when the bounds are equal or reversed, then nothing is scheduled between them', () => {
    const t = new Date('2026-03-09T07:00:00Z');
    expect(scheduledTimesBetween('0 7 * * *', LONDON, t, t)).to.deep.equal([]);
    expect(scheduledTimesBetween('0 7 * * *', LONDON, t, new Date('2026-03-01T00:00:00Z'))).to.deep.equal([]);
  });

  it('when a limit is given, then only the earliest times up to it are returned', () => {
    const times = scheduledTimesBetween(
      '0 7 * * *',
      LONDON,
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-12-31T00:00:00Z'),
      1,
    );
    expect(iso(times)).to.deep.equal(['2026-01-01T07:00:00.000Z']);
  });

  it('when names, nicknames and day-of-month tokens are used, then they mean what node-cron means', () => {
    const week = [new Date('2026-03-01T00:00:00Z'), new Date('2026-03-08T00:00:00Z')] as const;
    expect(iso(scheduledTimesBetween('0 7 * * MON-FRI', LONDON, ...week))).to.deep.equal(
      iso(scheduledTimesBetween('0 7 * * 1-5', LONDON, ...week)),
    );
    expect(iso(scheduledTimesBetween('@weekly', LONDON, ...week))).to.deep.equal([
      '2026-03-08T00:00:00.000Z',
    ]);
    const year = [new Date('2026-01-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z')] as const;
    expect(iso(scheduledTimesBetween('0 9 L * *', LONDON, ...year))).to.deep.equal([
      '2026-01-31T09:00:00.000Z',
      '2026-02-28T09:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
    ]);
    expect(iso(scheduledTimesBetween('0 9 * * 1#1', LONDON, ...year))).to.deep.equal([
      '2026-01-05T09:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
    ]);
  });
});

describe('cron schedule: the latest scheduled time', () => {
  it('when asked on a Wednesday for the Monday weekly summary, then it is that Monday 07:00', () => {
    const last = latestScheduledTime('0 7 * * 1', LONDON, new Date('2026-03-04T12:00:00Z'), 7);
    expect(last?.toISOString()).to.equal('2026-03-02T07:00:00.000Z');
    expect(zonedDate(last!, LONDON)).to.equal('2026-03-02');
  });

  it('when asked at the scheduled moment itself, then it is that moment; a moment before, the week before', () => {
    expect(
      latestScheduledTime('0 7 * * 1', LONDON, new Date('2026-03-02T07:00:00Z'), 7)?.toISOString(),
    ).to.equal('2026-03-02T07:00:00.000Z');
    expect(
      latestScheduledTime('0 7 * * 1', LONDON, new Date('2026-03-02T06:59:59Z'), 7)?.toISOString(),
    ).to.equal('2026-02-23T07:00:00.000Z');
  });

  it('when nothing is scheduled within the look-back, then there is none', () => {
    expect(latestScheduledTime('0 7 1 1 *', LONDON, new Date('2026-03-04T12:00:00Z'), 7)).to.equal(null);
  });
});

describe('cron schedule: configuration', () => {
  it('when REMINDER_CRON is not five cron fields, then start-up stops with one line naming it', () => {
    for (const bad of ['every morning', '0 7 * *', '61 7 * * 1-5']) {
      let caught: unknown;
      try {
        loadConfig({ REMINDER_CRON: bad });
      } catch (err) {
        caught = err;
      }
      expect(caught, bad).to.be.instanceOf(ConfigError);
      expect((caught as Error).message).to.equal(
        `Configuration error: REMINDER_CRON "${bad}" is not a valid cron expression`,
      );
    }
    expect(loadConfig({ REMINDER_CRON: '0 7 * * 1-5' }).reminderCron).to.equal('0 7 * * 1-5');
  });
});
