import { pino, type DestinationStream, type Logger } from 'pino';

function serializeError(err: Error & { code?: unknown }) {
  const { code, ...rest } = pino.stdSerializers.err(err) as ReturnType<typeof pino.stdSerializers.err> & { code?: unknown };
  return code === undefined ? rest : { ...rest, errorCode: code };
}

/**
 * Structured JSON logs (to stdout unless a test passes `destination`). Secret-bearing fields
 * are censored even if code logs them by mistake.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    // pid: with WORKERS > 1, which process said it.
    base: { service: 'keyward', pid: process.pid },
    // An error's own code (ECONNREFUSED, a driver's 11000) says what went wrong and is no
    // secret: logged as errorCode, out of reach of the `*.code` censor meant for TOTP codes.
    serializers: { err: serializeError },
    redact: {
      paths: ['password', '*.password', 'code', '*.code', 'secret', '*.secret', 'token', '*.token', 'headers.cookie', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  }, destination);
}
