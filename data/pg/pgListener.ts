import pg from 'pg';
import { STORE_CHANNEL } from './pgStoreRows.js';

/**
 * Keeps an instance told of the others' changes: one dedicated connection LISTENs on a channel (the store's:
 * each commit notifies its new revision; the sessions': each change names its session), reconnecting after
 * a loss; and a poll every `pollMs` in case a notification was missed (a reconnect in between). A
 * notification calls `onChange` with its payload, the poll and a reconnect with null (catch up on
 * everything).
 */
export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private readonly poll: NodeJS.Timeout;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly connection: string | pg.ClientConfig,
    private readonly onChange: (payload: string | null) => void,
    pollMs = 1_000,
    private readonly channel = STORE_CHANNEL,
  ) {
    this.poll = setInterval(() => this.onChange(null), pollMs);
    this.poll.unref();
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const config =
      typeof this.connection === 'string' ? { connectionString: this.connection } : this.connection;
    const client = new pg.Client({ ...config, application_name: 'due-regard listener' });
    client.on('notification', (msg) => this.onChange(msg.payload ?? null));
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => {});
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      client.end().catch(() => {});
      if (this.stopped) return;
      this.reconnectLater();
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    // Whatever was committed while not listening is found by catching up now.
    this.onChange(null);
  }

  private reconnectLater(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch(() => {});
    }, 500);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }
}
