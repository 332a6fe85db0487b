import { pino, type Logger } from 'pino';

/** Structured JSON logs. Secret-bearing fields are censored even if code logs them by mistake. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'keyward' },
    redact: {
      paths: ['password', '*.password', 'code', '*.code', 'secret', '*.secret', 'token', '*.token', 'headers.cookie', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
