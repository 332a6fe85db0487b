// Invitations and enrolment links. Using one is a deleteOne whose count decides: exact on
// FerretDB v1 too, where findOneAndDelete hands the same document to every parallel caller.
import type { Collection, Db } from 'mongodb';
import type { InvitationKind, InvitationRecord, InvitationStore } from '../port.js';
import { ensureTtlIndex } from './ttl.js';

interface InvitationDoc {
  _id: string;
  kind: InvitationKind;
  email: string | null;
  groups: string[];
  userId: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const toRecord = (d: InvitationDoc): InvitationRecord => ({
  tokenHash: d._id,
  kind: d.kind,
  email: d.email,
  groups: d.groups,
  userId: d.userId,
  createdBy: d.createdBy,
  createdAt: d.createdAt.getTime(),
  expiresAt: d.expiresAt.getTime(),
});

export function invitationsCollection(db: Db): Collection<InvitationDoc> {
  return db.collection<InvitationDoc>('invitations');
}

export function createInvitationIndexes(db: Db): Promise<boolean> {
  return ensureTtlIndex(invitationsCollection(db));
}

export function createMongoInvitationStore(db: Db): InvitationStore {
  const col = invitationsCollection(db);
  const live = (tokenHash: string, kind: InvitationKind, now: number) => ({ _id: tokenHash, kind, expiresAt: { $gt: new Date(now) } });
  return {
    async create(r) {
      const { tokenHash, createdAt, expiresAt, ...rest } = r;
      await col.insertOne({ _id: tokenHash, ...rest, createdAt: new Date(createdAt), expiresAt: new Date(expiresAt) });
    },
    async find(tokenHash, kind, now) {
      const d = await col.findOne(live(tokenHash, kind, now));
      return d ? toRecord(d) : null;
    },
    async consume(tokenHash, kind, now) {
      // The document never changes, so reading it first is safe; the delete alone decides who used it.
      const d = await col.findOne(live(tokenHash, kind, now));
      if (!d) return null;
      return (await col.deleteOne(live(tokenHash, kind, now))).deletedCount === 1 ? toRecord(d) : null;
    },
    async removeForUser(userId, kind) {
      return (await col.deleteMany({ userId, kind })).deletedCount;
    },
  };
}
