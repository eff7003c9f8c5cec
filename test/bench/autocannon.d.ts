// autocannon ships no types; only what the bench uses.
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p99: number;
    max: number;
  }
  interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    '3xx': number;
    errors: number;
    timeouts: number;
    duration: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    pipelining?: number;
    /** Stop after this many requests (instead of `duration`). */
    amount?: number;
    requests?: { method?: string; path?: string }[];
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
