// What oidc-provider stores (sessions, grants, codes, tokens, interactions, CLI clients), one
// collection, keyed by kind and id in _id (FerretDB v1 answers _id lookups without a scan).
// The payload is kept as JSON text: oidc-provider's payloads have keys with dots (resource
// URLs) that not every MongoDB-compatible server accepts as field names.
import type { Collection, Db } from 'mongodb';
import type { OidcRecord, OidcStore } from '../port.js';
import type { ClaimOnce } from './claims.js';
import { isDuplicateKey } from './guard.js';
import { ensureTtlIndex } from './ttl.js';
import { revokedGrants } from '../revokedGrants.js';

interface OidcDoc {
  _id: string;
  kind: string;
  id: string;
  payload: string;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  consumedAt: Date | null;
  // Absent unless made in a Keyward session (provider sessions, grants).
  keywardSession?: string;
  // Absent for records that never expire, so neither the TTL index nor the sweeper sees them.
  expiresAt?: Date;
}

export function oidcCollection(db: Db): Collection<OidcDoc> {
  return db.collection<OidcDoc>('oidc');
}

export async function createOidcIndexes(db: Db): Promise<boolean> {
  const col = oidcCollection(db);
  await col.createIndex({ grantId: 1 }, { name: 'by_grant', sparse: true });
  await col.createIndex({ kind: 1, uid: 1 }, { name: 'by_uid', sparse: true });
  await col.createIndex({ keywardSession: 1 }, { name: 'by_keyward_session', sparse: true });
  return ensureTtlIndex(col);
}

const key = (kind: string, id: string) => `${kind}|${id}`;
/** A consumed record stays claimed at least this long when it has no expiry of its own. */
const CLAIM_WITHOUT_EXPIRY_MS = 24 * 3600_000;

const toRecord = (d: OidcDoc): OidcRecord => ({
  kind: d.kind,
  id: d.id,
  payload: JSON.parse(d.payload) as Record<string, unknown>,
  grantId: d.grantId,
  uid: d.uid,
  userCode: d.userCode,
  consumedAt: d.consumedAt ? d.consumedAt.getTime() : null,
  expiresAt: d.expiresAt ? d.expiresAt.getTime() : null,
  keywardSession: d.keywardSession ?? null,
});

const live = (d: OidcDoc | null, now: number) => (d && (!d.expiresAt || d.expiresAt.getTime() > now) ? toRecord(d) : null);

export function createMongoOidcStore(db: Db, claimOnce: ClaimOnce): OidcStore {
  const col = oidcCollection(db);
  return {
    async upsert(r) {
      const _id = key(r.kind, r.id);
      const fields = {
        kind: r.kind,
        id: r.id,
        payload: JSON.stringify(r.payload),
        grantId: r.grantId,
        uid: r.uid,
        userCode: r.userCode,
        // Kept as stored when not given (a grant saved again outside a Keyward request).
        ...(r.keywardSession && { keywardSession: r.keywardSession }),
      };
      const update =
        r.expiresAt === null
          ? { $set: fields, $setOnInsert: { consumedAt: null }, $unset: { expiresAt: '' as const } }
          : { $set: { ...fields, expiresAt: new Date(r.expiresAt) }, $setOnInsert: { consumedAt: null } };
      try {
        await col.updateOne({ _id }, update, { upsert: true });
      } catch (err) {
        // FerretDB v1 runs an upsert as read-then-insert: when two requests save the same
        // record at once, the later insert meets the earlier one; then it is a plain update.
        if (!isDuplicateKey(err)) throw err;
        await col.updateOne({ _id }, update);
      }
    },
    async find(kind, id, now) {
      return live(await col.findOne({ _id: key(kind, id) }), now);
    },
    async findByUid(kind, uid, now) {
      return live(await col.findOne({ kind, uid }), now);
    },
    async findByUserCode(kind, userCode, now) {
      return live(await col.findOne({ kind, userCode }), now);
    },
    async consume(kind, id, at) {
      const d = await col.findOne({ _id: key(kind, id) });
      if (!d || d.consumedAt || (d.expiresAt && d.expiresAt.getTime() <= at)) return false;
      // The deciding step is one unique insert (claims.ts): a conditional update alone is a
      // read-then-write on FerretDB v1, where two racing redemptions could both win.
      const until = d.expiresAt ? d.expiresAt.getTime() : at + CLAIM_WITHOUT_EXPIRY_MS;
      if (!(await claimOnce(`oidc-consume:${key(kind, id)}`, until))) return false;
      await col.updateOne({ _id: key(kind, id) }, { $set: { consumedAt: new Date(at) } });
      return true;
    },
    async destroy(kind, id) {
      await col.deleteOne({ _id: key(kind, id) });
    },
    async revokeByGrantId(kind, grantId) {
      return (await col.deleteMany(kind === null ? { grantId } : { kind, grantId })).deletedCount;
    },
    async listKind(kind) {
      return (await col.find({ kind }).sort({ id: 1 }).toArray()).map(toRecord);
    },
    async listTagged(kind) {
      return (await col.find({ keywardSession: { $exists: true }, kind }).toArray()).map(toRecord);
    },
    async revokeByKeywardSession(handles) {
      if (!handles.length) return [];
      const tagged = await col.find({ keywardSession: { $in: handles } }, { projection: { kind: 1, grantId: 1, payload: 1, keywardSession: 1 } }).toArray();
      const revoked = revokedGrants(tagged.flatMap((d) => (d.grantId ? [{ kind: d.kind, grantId: d.grantId, payload: d.payload, keywardSession: d.keywardSession ?? null }] : [])));
      const grants = revoked.map((g) => g.grantId);
      // One delete. A grant tagged after the look-up is still caught by its tag, and a token of
      // it written after the delete is dead: oidc-provider looks its grant up on every use.
      await col.deleteMany({ $or: [{ keywardSession: { $in: handles } }, ...(grants.length ? [{ grantId: { $in: grants } }] : [])] });
      return revoked;
    },
    async releaseKeywardSessions(handles) {
      if (!handles.length) return [];
      const grants = await col.find({ kind: 'Grant', keywardSession: { $in: handles } }, { projection: { grantId: 1, payload: 1, keywardSession: 1 } }).toArray();
      await col.updateMany({ keywardSession: { $in: handles } }, { $unset: { keywardSession: '' } });
      return revokedGrants(grants.flatMap((d) => (d.grantId ? [{ kind: 'Grant', grantId: d.grantId, payload: d.payload, keywardSession: d.keywardSession ?? null }] : [])));
    },
  };
}
