// When token signing keys are made, start signing and stop being published. Pure, so the
// rules can be read (and tested) apart from storage:
//
//   slot n = [n·period, (n+1)·period). Each slot gets one key (the slot is its unique key).
//   The next slot's key is made `publishAhead` before the slot starts and signs from
//   max(slot start, made + publishAhead): verifiers that cache the JWKS know it before its
//   first token. A key stays published until its successor has signed for `retireAfter`
//   (the longest token lifetime and a margin), so every token it signed expired first.
//   The very first key (or the first after an idle spell in which all keys retired) signs
//   at once: there is no key to keep signing meanwhile.

export interface RotationPolicy {
  periodMs: number;
  publishAheadMs: number;
  retireAfterMs: number;
}

export interface ScheduledKey {
  slot: number;
  activeFrom: number;
}

export function createRotationSchedule(policy: RotationPolicy) {
  const { periodMs, publishAheadMs, retireAfterMs } = policy;
  const slotAt = (now: number) => Math.floor(now / periodMs);

  /** The key that signs at `now`: the newest slot already allowed to. */
  function signer<K extends ScheduledKey>(keys: K[], now: number): K | null {
    let best: K | null = null;
    for (const k of keys) if (k.activeFrom <= now && (!best || k.slot > best.slot)) best = k;
    return best;
  }

  /** The lowest slot still published: below it, every key's tokens have expired. */
  function oldestPublished(keys: ScheduledKey[], now: number): number {
    let oldest = -Infinity;
    for (const k of keys) if (k.activeFrom + retireAfterMs <= now && k.slot > oldest) oldest = k.slot;
    return oldest;
  }

  return {
    slotAt,
    signer,
    oldestPublished,

    /** Slots that should have a key at `now`: the current one, and the next once its publication window opened. */
    wantedSlots(now: number): number[] {
      const n = slotAt(now);
      return now >= (n + 1) * periodMs - publishAheadMs ? [n, n + 1] : [n];
    },

    /** When a key made at `now` for `slot` may start signing, given the keys that exist. */
    activeFrom(slot: number, now: number, existing: ScheduledKey[]): number {
      if (!signer(existing, now)) return now;
      return Math.max(slot * periodMs, now + publishAheadMs);
    },
  };
}

export type RotationSchedule = ReturnType<typeof createRotationSchedule>;
