import type { ScheduledJob } from '../jobs/scheduler.js';
import type { Services } from './services/createServices.js';

/**
 * The jobs the server runs on a clock (started from main.ts, never by createApp, so tests stay quiet).
 * The daily backup and the retention purge belong here too, each as one more entry calling its job
 * function, once jobs/backupJob.ts and jobs/retentionJob.ts exist.
 */
export function scheduledJobs(services: Services, log: (line: string) => void = console.log): ScheduledJob[] {
  const { reminders, config } = services;
  return [
    {
      name: 'reminders',
      crons: [config.reminderCron, config.weeklySummaryCron],
      lastRun: () => reminders.lastRun(),
      async run() {
        const result = await reminders.run();
        log(
          `Reminders as of ${result.asOf}: ${result.sent.length} sent` +
            (result.pending.length ? `, ${result.pending.length} pending (retried later)` : ''),
        );
        return { retry: result.pending.length > 0 };
      },
    },
  ];
}
