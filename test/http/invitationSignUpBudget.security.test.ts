// The per-address sign-up budget (RATE_LIMIT_SIGNUP_MAX) is for anonymous sign-ups: a person
// holding a valid invitation from an address that spent it still gets in (the invitation has a
// budget of its own), and a token that is not a valid invitation is still counted and refused
// like any guess.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { accountWith, seedInvitation } from '../helpers/accessFlows.js';

describe.each(storageFactories)('sign-up budget and invitations ($name)', (factory) => {
  const t = useApp(factory, { SIGNUP: 'open', RATE_LIMIT_SIGNUP_MAX: '2' });

  async function spendBudget(prefix: string) {
    for (const i of [1, 2]) expect((await t.app.client().post('/api/accounts', { username: `${prefix}${i}`, password: PASSWORD })).status).toBe(201);
    expect((await t.app.client().post('/api/accounts', { username: `${prefix}3`, password: PASSWORD })).status).toBe(429);
  }

  it('lets a person with a valid invitation sign up after the address spent its sign-up budget', async () => {
    await spendBudget('anon');
    const invitation = await seedInvitation(t.storage, t.app.clock.now(), { groups: ['staff'] });
    const res = await t.app.client().post('/api/accounts', accountWith(invitation, 'invited'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await t.storage.users.findByUsername('invited'))?.groups).toEqual(['staff']);
    // The invitation did not refill the budget either: the next anonymous sign-up is still refused.
    expect((await t.app.client().post('/api/accounts', { username: 'anon4', password: PASSWORD })).status).toBe(429);
  });

  it('offers passkey options to a valid invitation after the address spent its sign-up budget', async () => {
    await spendBudget('pk');
    const invitation = await seedInvitation(t.storage, t.app.clock.now());
    const res = await t.app.client().post('/api/accounts/passkey/options', { username: 'pkinvited', invitation });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('gives a valid invitation a budget of its own, the same size: taken names cannot be asked about faster with it', async () => {
    const invitation = await seedInvitation(t.storage, t.app.clock.now());
    const owner = await t.app.client().post('/api/accounts', { username: 'taken', password: PASSWORD });
    expect(owner.status).toBe(201);
    // A taken name does not spend the invitation, but each try spends its budget (2 here).
    for (let i = 0; i < 2; i++) expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'taken'))).status).toBe(409);
    expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'taken'))).status).toBe(429);
    // The address's own budget is untouched by the invitation's tries (one sign-up used above).
    expect((await t.app.client().post('/api/accounts', { username: 'anon-after', password: PASSWORD })).status).toBe(201);
  });

  it('still refuses an unknown or used invitation token with 429 once the budget is spent', async () => {
    await spendBudget('guess');
    const used = await seedInvitation(t.storage, t.app.clock.now());
    expect((await t.app.client().post('/api/accounts', accountWith(used, 'first'))).status).toBe(201);
    expect((await t.app.client().post('/api/accounts', accountWith(used, 'second'))).status).toBe(429);
    expect((await t.app.client().post('/api/accounts', accountWith('not-an-invitation-token-at-all-0123456789', 'third'))).status).toBe(429);
  });
});
