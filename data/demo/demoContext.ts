/** What the demo borough needs from outside the data room: dates relative to today, and password hashing. */
export interface DemoContext {
  today: string;
  addMonths(iso: string, months: number): string;
  addDays(iso: string, days: number): string;
  /** The watch-list matching key of a name (checks/nameMatching), for records that store their names' keys. */
  normaliseName(name: string): string;
  /** Hash of the shared demo password, computed once. */
  passwordHash: string;
}

export const DEMO_PASSWORD = 'DueRegard-demo-1';

export const demoAccounts = [
  { email: 'coordinator@demo.test', name: 'Casey Coordinator', role: 'coordinator' as const },
  { email: 'facilities@demo.test', name: 'Fran Facilities', role: 'facilities' as const },
  { email: 'libraries@demo.test', name: 'Lee Libraries', role: 'library-manager' as const },
  { email: 'education@demo.test', name: 'Eddie Education', role: 'education' as const },
  { email: 'viewer@demo.test', name: 'Vic Viewer', role: 'viewer' as const },
];
