// The pages of the device authorization grant (RFC 8628) that the provider shows at
// <issuer>/device: the code entry, the confirmation naming the client, and the done page.
// Server-rendered in Keyward's frame and the person's language, no script; the forms carry
// the provider's xsrf token. Whether an entry was wrong (or found) is noted on the request for the
// attempt guard (deviceEntryGuard.ts), which counts it.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { UserStore } from '../storage/port.js';
import { pageLanguage, type PageLanguage } from '../http/pages/pageLanguage.js';
import { escapeHtml } from '../http/pages/pageMessages.js';
import { serverPage, type PageLook } from '../http/pages/serverPage.js';
import { deviceText, fillDevice } from './devicePageMessages.js';
import type { RequestScope } from './requestScope.js';

/** Answers that name a code that is not (or no longer) a live one: a wrong guess. */
const WRONG_CODE = new Set(['NotFoundError', 'ExpiredError', 'AlreadyUsedError']);

export interface DevicePageDeps {
  look: PageLook;
  scope: RequestScope;
  users: Pick<UserStore, 'findById'>;
}

export function devicePages(deps: DevicePageDeps) {
  const { look, scope } = deps;

  async function signedInAs(lang: PageLanguage): Promise<string> {
    const userId = scope.current()?.view.userId;
    const user = userId ? await deps.users.findById(userId) : null;
    return user ? `<p>${fillDevice(lang, 'device.signedInAs', { username: user.username })}</p>` : '';
  }

  const xsrf = (ctx: KoaContextWithOIDC) => `<input type="hidden" name="xsrf" value="${escapeHtml(String(ctx.oidc.session?.state?.['secret'] ?? ''))}">`;
  const action = (ctx: KoaContextWithOIDC) => escapeHtml(ctx.oidc.urlFor('code_verification'));
  const clientName = (ctx: KoaContextWithOIDC) => ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? '';

  return {
    async userCodeInputSource(ctx: KoaContextWithOIDC, _form: string, _out?: unknown, err?: Error & { userCode?: string }): Promise<void> {
      const lang = pageLanguage(ctx);
      const entry = scope.current()?.deviceEntry;
      const wrong = err !== undefined && (WRONG_CODE.has(err.name) || err.name === 'NoCodeError');
      if (entry && err && WRONG_CODE.has(err.name)) entry.wrong = true;
      const message = wrong ? `<p class="error" role="alert">${fillDevice(lang, 'device.wrong')}</p>` : err ? `<p class="error" role="alert">${fillDevice(lang, 'device.interrupted')}</p>` : '';
      const prefill = !err && entry?.prefill ? ` value="${escapeHtml(entry.prefill)}"` : '';
      ctx.type = 'html';
      ctx.body = serverPage({
        lang,
        title: deviceText(lang, 'device.title'),
        body:
          (await signedInAs(lang)) +
          `${message}<p>${fillDevice(lang, 'device.enter')}</p>` +
          `<form method="post" action="${action(ctx)}" class="device-code">${xsrf(ctx)}` +
          `<label for="user_code">${fillDevice(lang, 'device.code')}</label>` +
          `<input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus${prefill}>` +
          `<button type="submit">${fillDevice(lang, 'device.continue')}</button></form>`,
        look,
        switchLanguage: true,
      });
    },

    async userCodeConfirmSource(ctx: KoaContextWithOIDC, _form: string, _client: unknown, _deviceInfo: unknown, userCode: string): Promise<void> {
      const entry = scope.current()?.deviceEntry;
      if (entry) entry.found = true;
      const lang = pageLanguage(ctx);
      const client = clientName(ctx);
      ctx.type = 'html';
      ctx.body = serverPage({
        lang,
        title: deviceText(lang, 'device.confirmTitle', { client }),
        body:
          (await signedInAs(lang)) +
          `<p>${fillDevice(lang, 'device.confirmCode')}</p><p class="user-code"><code>${escapeHtml(userCode)}</code></p>` +
          `<p>${fillDevice(lang, 'device.confirmWhat', { client })}</p>` +
          `<form method="post" action="${action(ctx)}" class="actions">${xsrf(ctx)}<input type="hidden" name="user_code" value="${escapeHtml(userCode)}">` +
          `<button type="submit" name="confirm" value="yes" autofocus>${fillDevice(lang, 'device.confirm')}</button>` +
          `<button type="submit" name="abort" value="yes" class="secondary">${fillDevice(lang, 'device.abort')}</button></form>`,
        look,
      });
    },

    successSource(ctx: KoaContextWithOIDC): void {
      const lang = pageLanguage(ctx);
      ctx.type = 'html';
      ctx.body = serverPage({ lang, title: deviceText(lang, 'device.doneTitle'), body: `<p>${fillDevice(lang, 'device.done', { client: clientName(ctx) })}</p>`, look });
    },
  };
}

/** The page for a person whose wrong codes ran out (429): when to try again. */
export function deviceLimitedPage(ctx: Parameters<typeof pageLanguage>[0], look: PageLook, seconds: number): string {
  const lang = pageLanguage(ctx);
  return serverPage({ lang, title: deviceText(lang, 'device.title'), body: `<p class="error" role="alert">${fillDevice(lang, 'device.limited', { seconds: String(seconds) })}</p>`, look });
}
