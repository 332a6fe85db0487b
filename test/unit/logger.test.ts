// The log censors what could be a secret (a TOTP or recovery code, a password) but not the
// codes that say what went wrong (a system error's, a refused request's).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logger', () => {
  it("keeps an error's own code, as errorCode", () => {
    const { logger, lines } = capture();
    logger.error({ err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' }) }, 'closing storage failed');
    expect(lines[0]!['err']).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:27017', errorCode: 'ECONNREFUSED' });
    expect(JSON.stringify(lines)).not.toContain('[redacted]');
  });

  it('censors codes, passwords, secrets and tokens wherever they are logged by mistake', () => {
    const { logger, lines } = capture();
    logger.info({ code: '123456', body: { code: '654321', password: 'hunter22', secret: 'JBSWY3DP', token: 'eyJ' } }, 'oops');
    expect(lines[0]).toMatchObject({ code: '[redacted]', body: { code: '[redacted]', password: '[redacted]', secret: '[redacted]', token: '[redacted]' } });
    expect(JSON.stringify(lines)).not.toMatch(/123456|654321|hunter22|JBSWY3DP|eyJ/);
  });
});
