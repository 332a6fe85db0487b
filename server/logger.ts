import { pino, type Logger } from 'pino';

/** Structured JSON logs. Secret-bearing fields are censored even if code logs them by mistake. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    // pid: with WORKERS > 1, which process said it.
    base: { service: 'keyward', pid: process.pid },
    redact: {
      paths: ['password', '*.password', 'code', '*.code', 'secret', '*.secret', 'token', '*.token', 'headers.cookie', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
