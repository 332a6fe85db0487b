// Loads the ceremony library (ceremonyLibrary.ts) at the first WebAuthn ceremony, once.
export type CeremonyLibrary = typeof import('./ceremonyLibrary.js');

let loading: Promise<CeremonyLibrary> | undefined;

export function loadCeremonyLibrary(): Promise<CeremonyLibrary> {
  loading ??= import('./ceremonyLibrary.js').catch((err: unknown) => {
    // A failed load (a missing file) is tried again by the next ceremony, not remembered.
    loading = undefined;
    throw err;
  });
  return loading;
}
