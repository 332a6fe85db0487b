import type { Factor } from '../api.js';

// A plain choice of this browser, never sent anywhere: which way its person last passed the
// second step. It says nothing about an account before the password step (the methods an
// account has are known only after it), and a browser with storage off just never remembers.
const KEY = 'keyward.lastMethod';

export function rememberLastMethod(factor: Factor): void {
  try {
    localStorage.setItem(KEY, factor);
  } catch {
    // Storage refused (private mode, quota): nothing to remember, nothing breaks.
  }
}

export function lastMethod(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
