// The environment every benchmarked Keyward process gets (plus its storage settings).
export function keywardEnv(store: Record<string, string>, sessionSecret: string, totpKey: { id: string; key: Buffer }, origin: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    COOKIE_SECURE: 'false',
    ORIGINS: origin,
    RP_ID: 'localhost',
    SESSION_SECRETS: sessionSecret,
    TOTP_ENCRYPTION_KEYS: `${totpKey.id}:${totpKey.key.toString('base64')}`,
    // One load generator on one address: keep the brute-force limits out of the way.
    RATE_LIMIT_IP_MAX: '100000000',
    RATE_LIMIT_ACCOUNT_MAX: '100000000',
    RATE_LIMIT_ACCOUNT_IP_MAX: '100000000',
    RATE_LIMIT_DEVICE_MAX: '100000000',
    RATE_LIMIT_SIGNUP_MAX: '100000000',
    RATE_LIMIT_CEREMONY_MAX: '100000000',
    // Figures per process unless a run asks for more workers.
    WORKERS: '1',
    ...store,
  };
}
