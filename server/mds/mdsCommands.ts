// `keyward mds update --file blob.jwt`: verifies a downloaded MDS3 blob against the FIDO
// root, stores it for every instance and re-checks the keys already registered.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { pino } from 'pino';
import type { Config } from '../config.js';
import { cryptoRandom, systemClock, type Clock } from '../clock.js';
import type { Storage } from '../storage/port.js';
import { createAuditLog } from '../audit/createAuditLog.js';
import { createNotifier } from '../notices/createNotifier.js';
import { createNoticeMailer, createOutboundChannels } from '../notices/createOutboundChannels.js';
import { createMdsService } from './createMdsService.js';
import { FIDO_MDS_ROOT_PEM } from './fidoRoot.js';

interface MdsCommandIo {
  config: Config;
  storage: Storage;
  print(line: string): void;
}

/** The CLI entry: blobs are trusted only up to the FIDO Alliance root. */
export function updateMdsBlob(args: string[], io: MdsCommandIo): Promise<number> {
  return runMdsUpdate(args, { ...io, roots: [new X509Certificate(FIDO_MDS_ROOT_PEM)], clock: systemClock });
}

/**
 * The command itself, with its trust anchors and clock passed in: tests call it with their own
 * root (test/helpers/mdsWorld.ts); there is no setting by which an operator could swap the root.
 */
export async function runMdsUpdate(args: string[], io: MdsCommandIo & { roots: X509Certificate[]; clock: Clock }): Promise<number> {
  let file: string | undefined;
  try {
    file = parseArgs({ args, options: { file: { type: 'string' } } }).values.file;
  } catch {
    file = undefined;
  }
  if (!file) {
    io.print('Usage: keyward mds update --file <blob.jwt>   (download it from https://mds3.fidoalliance.org/)');
    return 64;
  }
  const { config, storage, clock } = io;
  const logger = pino({ level: config.logLevel });
  const notifier = createNotifier({
    store: storage.notices,
    users: storage.users,
    addresses: storage.noticeAddresses,
    channels: createOutboundChannels(config, clock, createNoticeMailer(config)),
    clock,
    random: cryptoRandom,
    logger,
  });
  const audit = createAuditLog({ store: storage.audit, clock, random: cryptoRandom, logger, listeners: [notifier.onAuditEvent] });
  const mds = createMdsService({ store: storage.mdsBlobs, credentials: storage.credentials, audit, clock, logger, roots: io.roots });
  const result = await mds.update(readFileSync(file, 'utf8'));
  await notifier.idle();
  if (!result.ok) {
    io.print(`The blob was refused: ${result.reason}`);
    return 1;
  }
  io.print(`FIDO metadata blob ${result.no} stored; ${result.keysMarked} registered key(s) marked as of a compromised or revoked model.`);
  if (result.expired) io.print('Warning: this blob is already past its nextUpdate; download a fresh one.');
  return 0;
}
