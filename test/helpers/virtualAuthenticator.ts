// Chromium's virtual security key over CDP (per page: a new page needs its own).
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

export interface VirtualKey {
  cdp: CDPSession;
  authenticatorId: string;
  credentials(): Promise<{ credentialId: string; signCount: number; isResidentCredential: boolean }[]>;
  setBogusSignature(on: boolean): Promise<void>;
  remove(): Promise<void>;
}

/**
 * `touched: false`: a key nobody touches, so every request to it runs into its time-out.
 * `synced: true`: its credentials are backup-eligible, like a synced passkey's.
 */
export async function addVirtualKey(context: BrowserContext, page: Page, cdp?: CDPSession, opts: { touched?: boolean; synced?: boolean } = {}): Promise<VirtualKey> {
  const session = cdp ?? (await context.newCDPSession(page));
  if (!cdp) await session.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: opts.touched ?? true,
      ...(opts.synced && { defaultBackupEligibility: true }),
    },
  });
  return {
    cdp: session,
    authenticatorId,
    async credentials() {
      const r = await session.send('WebAuthn.getCredentials', { authenticatorId });
      return r.credentials;
    },
    async setBogusSignature(on) {
      await session.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: on });
    },
    async remove() {
      await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}

/**
 * The same security key plugged into another browser: a new virtual key on `page` holding
 * copies of `key`'s credentials (private keys included, as the CDP hands them out).
 */
export async function plugInCopy(key: VirtualKey, context: BrowserContext, page: Page): Promise<VirtualKey> {
  const copy = await addVirtualKey(context, page);
  const { credentials } = await key.cdp.send('WebAuthn.getCredentials', { authenticatorId: key.authenticatorId });
  for (const credential of credentials) await copy.cdp.send('WebAuthn.addCredential', { authenticatorId: copy.authenticatorId, credential });
  return copy;
}

/** A new context and page in `browser` with one virtual key plugged in: where most browser tests start. */
export async function openPageWithKey(browser: Browser): Promise<{ context: BrowserContext; page: Page; key: VirtualKey }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page, key: await addVirtualKey(context, page) };
}
