// Forward-auth sends people here with ?rd=<the page they wanted>. The address is kept
// through the sign-in steps and followed once signed in — only if the server says it is
// on its allow-list (a link can carry any address; this is never an open redirect).
const KEY = 'keyward.rd';

export function rememberReturnAddress(): void {
  const rd = new URLSearchParams(location.search).get('rd');
  if (rd) sessionStorage.setItem(KEY, rd);
}

/** true when it sent the browser away. */
export async function followReturnAddress(): Promise<boolean> {
  const rd = sessionStorage.getItem(KEY);
  if (!rd) return false;
  sessionStorage.removeItem(KEY);
  const res = await fetch(`/api/authz/return?rd=${encodeURIComponent(rd)}`, { credentials: 'same-origin' }).catch(() => null);
  const allowed = res?.ok ? ((await res.json()) as { rd: string | null }).rd : null;
  if (!allowed) return false;
  location.assign(allowed);
  return true;
}
