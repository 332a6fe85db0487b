// The FIDO metadata every instance uses: the verified blob with the highest serial number in
// the database. An update (MDS_BLOB_FILE at start, `keyward mds update`) is verified before
// it is stored, then the keys already registered are checked against it: keys of a model
// now reported compromised or revoked are marked, and their owners told (an audit event the
// notice policy turns into a notice). Each instance re-reads the blob when its serial changes.
import type { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { CredentialStore, MdsBlobStore } from '../storage/port.js';
import { verifyMdsBlob, type MdsBlob } from './verifyMdsBlob.js';
import { knownModelName } from '../webauthn/aaguidNames.js';

export interface MetadataState {
  blob: MdsBlob;
  storedAt: number;
  /** Past its nextUpdate: still used (better than none), with a warning in the log and /readyz. */
  expired: boolean;
}

/** What settings show of a key's model; `icon` is a data: URL of an image, checked in toModel. */
export interface KeyModel {
  name: string | null;
  icon: string | null;
}

export type MdsUpdate =
  | { ok: true; no: number; expired: boolean; keysMarked: number }
  | { ok: false; reason: string };

export interface MdsServiceDeps {
  store: MdsBlobStore;
  credentials: CredentialStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** Trust anchors for the blob: the FIDO root (tests pass their own). */
  roots: X509Certificate[];
}

export function createMdsService(deps: MdsServiceDeps) {
  const { store, clock, logger } = deps;
  let cached: { no: number; blob: MdsBlob; storedAt: number } | null = null;
  let warnedExpired: number | null = null;
  // MDS_BLOB_FILE, imported at start: the first look at the metadata waits for it.
  let imported: Promise<unknown> = Promise.resolve();

  function state(c: NonNullable<typeof cached>): MetadataState {
    const expired = c.blob.nextUpdate < clock.now();
    if (expired && warnedExpired !== c.no) {
      warnedExpired = c.no;
      logger.warn({ mdsNo: c.no, nextUpdate: new Date(c.blob.nextUpdate).toISOString() }, 'FIDO metadata blob is past its nextUpdate: download a new one (keyward mds update --file)');
    }
    return { blob: c.blob, storedAt: c.storedAt, expired };
  }

  async function recheck(blob: MdsBlob): Promise<number> {
    let marked = 0;
    for (const model of blob.models.values()) {
      if (!model.revokedBy) continue;
      for (const key of await deps.credentials.markModelRevoked(model.aaguid, model.revokedBy, clock.now())) {
        marked++;
        await deps.audit.record('webauthn.model_revoked', 'info', { userId: key.userId, ip: null, userAgent: null, requestId: null }, {
          credentialId: key.id,
          name: key.name,
          model: model.description,
          status: model.revokedBy,
          mdsNo: blob.no,
        });
      }
    }
    return marked;
  }

  return {
    /** The current blob, or null when none is stored (or the stored one no longer verifies). */
    async current(): Promise<MetadataState | null> {
      await imported;
      const no = await store.latestSerial();
      if (no === null) return null;
      if (cached?.no !== no) {
        const record = await store.latest();
        if (!record) return null;
        const check = await verifyMdsBlob(record.jwt, deps.roots, clock.now());
        if (!check.ok) {
          logger.error({ mdsNo: record.no, reason: check.reason }, 'stored FIDO metadata blob does not verify; ignoring it');
          return null;
        }
        cached = { no: record.no, blob: check.blob, storedAt: record.storedAt };
      }
      return state(cached);
    },

    /** A key model's name (the blob's description, else the well-known list) and the blob's icon. */
    async keyModel(aaguid: string): Promise<KeyModel> {
      const fromBlob = (await this.current())?.blob.models.get(aaguid.toLowerCase());
      return { name: fromBlob?.description || knownModelName(aaguid), icon: fromBlob?.icon ?? null };
    },

    async modelName(aaguid: string): Promise<string | null> {
      return (await this.keyModel(aaguid)).name;
    },

    /** What /readyz and the metrics show, from what this instance last read. */
    lastSeen(): { no: number; storedAt: number; nextUpdate: number; expired: boolean } | null {
      return cached && { no: cached.no, storedAt: cached.storedAt, nextUpdate: cached.blob.nextUpdate, expired: cached.blob.nextUpdate < clock.now() };
    },

    /** MDS_BLOB_FILE's content: imported in the background, awaited by the first look at the metadata. */
    importAtStart(jwt: string, file: string): void {
      imported = this.update(jwt).then(
        (r) => {
          if (r.ok) logger.info({ mdsNo: r.no, keysMarked: r.keysMarked, expired: r.expired, file }, 'FIDO metadata blob imported');
          else logger.error({ reason: r.reason, file }, 'FIDO metadata blob refused; keeping the stored one');
        },
        (err: unknown) => logger.error({ err, file }, 'FIDO metadata blob import failed'),
      );
    },

    /** Verifies `jwt`, stores it when newer than the stored one, and re-checks registered keys. */
    async update(jwt: string): Promise<MdsUpdate> {
      const check = await verifyMdsBlob(jwt, deps.roots, clock.now());
      if (!check.ok) return { ok: false, reason: check.reason };
      const { blob } = check;
      const latest = await store.latestSerial();
      if (latest !== null && blob.no < latest) return { ok: false, reason: `older_than_stored: ${blob.no} < ${latest}` };
      // The same blob again (every worker importing MDS_BLOB_FILE): stored once, re-checked anyway.
      if (latest !== blob.no) await store.save({ no: blob.no, jwt: jwt.trim(), nextUpdate: blob.nextUpdate, storedAt: clock.now() });
      const keysMarked = await recheck(blob);
      const expired = blob.nextUpdate < clock.now();
      if (expired) logger.warn({ mdsNo: blob.no }, 'the FIDO metadata blob imported is already past its nextUpdate');
      return { ok: true, no: blob.no, expired, keysMarked };
    },
  };
}

export type MdsService = ReturnType<typeof createMdsService>;
