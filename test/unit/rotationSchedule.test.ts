import { describe, expect, it } from 'vitest';
import { createRotationSchedule, type ScheduledKey } from '../../server/protect/rotationSchedule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const schedule = createRotationSchedule({ periodMs: HOUR, publishAheadMs: 15 * MIN, retireAfterMs: 16 * MIN });
const slotStart = (n: number) => n * HOUR;

describe('signing key rotation schedule', () => {
  it('wants a key for the current slot, and for the next one from 15 minutes before it starts', () => {
    expect(schedule.wantedSlots(slotStart(10) + 5 * MIN)).toEqual([10]);
    expect(schedule.wantedSlots(slotStart(11) - 15 * MIN - 1)).toEqual([10]);
    expect(schedule.wantedSlots(slotStart(11) - 15 * MIN)).toEqual([10, 11]);
  });

  it('lets the very first key sign at once: there is nothing else to sign with', () => {
    const now = slotStart(10) + 5 * MIN;
    expect(schedule.activeFrom(10, now, [])).toBe(now);
  });

  it('never lets a later key sign before it has been published for 15 minutes', () => {
    const keys: ScheduledKey[] = [{ slot: 10, activeFrom: slotStart(10) }];
    expect(schedule.activeFrom(11, slotStart(11) - 15 * MIN, keys)).toBe(slotStart(11));
    // Made late (nobody asked in the window): the old key keeps signing a while longer.
    expect(schedule.activeFrom(11, slotStart(11) + 3 * MIN, keys)).toBe(slotStart(11) + 18 * MIN);
  });

  it('signs with the newest key whose time has come', () => {
    const keys: ScheduledKey[] = [
      { slot: 10, activeFrom: slotStart(10) },
      { slot: 11, activeFrom: slotStart(11) + 2 * MIN },
    ];
    expect(schedule.signer(keys, slotStart(11) + MIN)?.slot).toBe(10);
    expect(schedule.signer(keys, slotStart(11) + 2 * MIN)?.slot).toBe(11);
    expect(schedule.signer([], slotStart(11))).toBeNull();
  });

  it('keeps an old key published until its successor has signed for the longest token lifetime', () => {
    const keys: ScheduledKey[] = [
      { slot: 9, activeFrom: slotStart(9) },
      { slot: 10, activeFrom: slotStart(10) },
      { slot: 11, activeFrom: slotStart(11) },
    ];
    expect(schedule.oldestPublished(keys, slotStart(11) + 16 * MIN - 1)).toBe(10);
    expect(schedule.oldestPublished(keys, slotStart(11) + 16 * MIN)).toBe(11);
    expect(schedule.oldestPublished([{ slot: 3, activeFrom: slotStart(3) + 5 * MIN }], slotStart(3) + 5 * MIN)).toBe(-Infinity);
  });
});
