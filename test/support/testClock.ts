/** A clock tests move by hand: pass `clock.now` to startTestApp({ now }). */
export class TestClock {
  private t: number;

  constructor(start: string | Date = '2026-03-14T10:00:00Z') {
    this.t = new Date(start).getTime();
  }

  now = (): Date => new Date(this.t);

  advanceMinutes(minutes: number): void {
    this.t += minutes * 60_000;
  }
}
