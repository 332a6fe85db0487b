// Which RFC 8176 method a key proves: hwk for a key bound to one device, swk for a synced
// passkey (backup-eligible: its private key is copied between devices by software).
import type { CredentialRecord } from '../storage/port.js';

export function keyMethod(c: Pick<CredentialRecord, 'deviceType'>): 'hwk' | 'swk' {
  return c.deviceType === 'multiDevice' ? 'swk' : 'hwk';
}
