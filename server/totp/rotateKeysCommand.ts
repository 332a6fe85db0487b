// `keyward totp rotate-keys`: re-seal every secret with the first key of TOTP_ENCRYPTION_KEYS.
import { cryptoRandom } from '../clock.js';
import type { Command } from '../cliCommand.js';
import { createSecretSealer } from './createSecretSealer.js';
import { rotateTotpKeys } from './rotateTotpKeys.js';

export const rotateKeysCommand: Command = {
  async run(_args, { config, storage, print }) {
    const sealer = createSecretSealer({ keys: config.totpEncryptionKeys, random: cryptoRandom });
    const r = await rotateTotpKeys({ store: storage.totp, sealer, signingKeys: storage.signingKeys });
    print(`examined ${r.examined}, re-encrypted ${r.rotated}, already current ${r.alreadyCurrent}, changed meanwhile ${r.changedMeanwhile}, unreadable ${r.unreadable.length}`);
    for (const id of r.unreadable) print(`  unreadable (no configured key opens it): ${id}`);
    if (r.changedMeanwhile > 0) print('Some secrets changed while rotating: run the command again.');
    if (r.unreadable.length === 0 && r.changedMeanwhile === 0) {
      print(`Every secret and signing key is sealed with key "${config.totpEncryptionKeys[0]?.id}"; the other keys can be removed.`);
    }
    return r.unreadable.length > 0 || r.changedMeanwhile > 0 ? 1 : 0;
  },
};
