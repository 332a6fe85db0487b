// Store calls started in one event-loop turn share one group commit on the embedded store
// (embedded/groupCommit.ts) and go out as parallel round trips on MongoDB. This waits for
// every one of them before the caller goes on: Promise.all would reject at the first
// failure while the others were still waiting for their commit, and the request could be
// answered before a write it made was durable. Then the first failure in the order given
// is thrown (the order the calls would have run one after the other), else every result.
export async function settleTogether<T extends readonly unknown[]>(calls: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(calls);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
