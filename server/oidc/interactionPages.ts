// The consent page and the "this sign-in request is over" page, served by Keyward itself.
import { escapeHtml, page } from './oidcPages.js';

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Who you are on Keyward (an identifier that never changes)',
  profile: 'Your username and display name',
  groups: 'The groups you belong to',
  offline_access: 'Stay signed in when you are away',
};

export function consentPage(p: { uid: string; prefix: string; clientName: string; scopes: string; stylesheet: string | null }): string {
  const items = p.scopes
    .split(' ')
    .filter((s) => SCOPE_TEXT[s])
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s]!)}</li>`)
    .join('');
  const action = `${p.prefix}/interaction/${encodeURIComponent(p.uid)}/consent`;
  return page(
    `Allow ${p.clientName}?`,
    `<p>${escapeHtml(p.clientName)} wants to sign you in with Keyward and to know:</p><ul>${items}</ul>` +
      `<form method="post" action="${escapeHtml(action)}" class="actions"><button type="submit" name="decision" value="allow" autofocus>Allow</button>` +
      '<button type="submit" name="decision" value="deny" class="secondary">Deny</button></form>',
    p.stylesheet,
  );
}

export function expiredPage(stylesheet: string | null): string {
  return page('This sign-in request is over', '<p>It expired or was already used. Go back to the application and sign in again.</p>', stylesheet);
}
