/** One line of the doctor's report: what was checked, how it went, and what to do. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  summary: string;
  /** Causes and fixes, one per line. */
  details?: string[];
}

/** The answer to one HTTP request, or why there was none. */
export type HttpOutcome =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'network'; code: string; message: string };

export type HttpGet = (url: string, headers: Record<string, string>) => Promise<HttpOutcome>;
