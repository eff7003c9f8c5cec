import type { PgMigration } from '../pgMigrations.js';
import { storeTables } from './100_store.js';
import { reminderLogStep } from './200_reminder_log.js';
import { jobRunsStep } from './201_job_runs.js';
import { evidenceFilesStep } from './202_evidence_files.js';
import { archivesStep } from './203_archives.js';
import { importPreviewsStep } from './204_import_previews.js';
import { signInAttemptsStep } from './205_sign_in_attempts.js';
import { sessionsTable } from './300_sessions.js';

/**
 * Every PostgreSQL schema step, in order. Add a step as a new file (`NNN_what.ts`, exporting one
 * `PgMigration`) and list it here; never edit a step that has shipped. Version numbers are taken in blocks so
 * parallel work does not collide: 100s records and audit log, 200s reminders, evidence, archives, previews,
 * job locks and sign-in attempts, 300s sessions.
 */
export const MIGRATIONS: readonly PgMigration[] = [
  storeTables,
  reminderLogStep,
  jobRunsStep,
  evidenceFilesStep,
  archivesStep,
  importPreviewsStep,
  signInAttemptsStep,
  sessionsTable,
];
