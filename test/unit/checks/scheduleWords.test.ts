import { expect } from 'chai';
import { scheduleInWords, timeInWords } from '../../../checks/scheduleWords.js';
import { scheduleText } from '../../../server/routes/reminderRoutes.js';

describe('Schedules in words (the Reminders page)', () => {
  it('when the defaults are read, then they say each working day and Mondays at 7am', () => {
    expect(scheduleInWords('0 7 * * 1-5')).to.equal('Each working day at 7am');
    expect(scheduleInWords('0 7 * * 1')).to.equal('Mondays at 7am');
  });

  it('when days, hours and months are listed, then each is named in order, Monday first', () => {
    expect(scheduleInWords('30 18 * * 5,1,3')).to.equal('Mondays, Wednesdays and Fridays at 6:30pm');
    expect(scheduleInWords('0 9,13 * * *')).to.equal('Every day at 9am and 1pm');
    expect(scheduleInWords('0 0 * * 0,6')).to.equal('At weekends at midnight');
    expect(scheduleInWords('5 12 * 1,7 7')).to.equal('Sundays at 12:05pm in January and July');
    expect(scheduleInWords('0 12 * * 0-6')).to.equal('Every day at midday');
    expect(scheduleInWords('0 7-9 * * 1-5')).to.equal('Each working day at 7am, 8am and 9am');
  });

  it('when a schedule is beyond these words, then none are made up', () => {
    for (const cron of ['*/15 * * * *', '0 7 1 * *', '0 */2 * * *', '0 7 * * MON', '0 7 * *', '0 24 * * *'])
      expect(scheduleInWords(cron), cron).to.equal(null);
  });

  it('when a time is told, then it is in the 12-hour clock', () => {
    expect(timeInWords(7, 0)).to.equal('7am');
    expect(timeInWords(0, 30)).to.equal('12:30am');
    expect(timeInWords(23, 59)).to.equal('11:59pm');
  });

  it('when the page tells a schedule the words do not cover, then it gives the next runs as dates, not cron', () => {
    const text = scheduleText('*/30 9 * * *', 'Europe/London', new Date('2026-12-07T08:00:00Z'));
    expect(text).to.equal(
      'On a custom schedule; next at 7 December 2026 at 9:00am, 7 December 2026 at 9:30am, 8 December 2026 at 9:00am',
    );
    expect(scheduleText('0 7 * * 1-5', 'America/New_York', new Date())).to.equal(
      'Each working day at 7am (America/New York time)',
    );
  });
});
