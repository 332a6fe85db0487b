// What the trusted proxy says the person asked for, read from its headers.
import type { ForwardedRequest } from '../../access/createAccessControl.js';
import type { Exchange } from './exchange.js';

type Asked = Pick<Exchange, 'get' | 'ip'>;

const first = (header: string) => header.split(',')[0]!.trim();

/** The address the person asked for, as the trusted proxy reports it. */
export function forwardedUrl(ex: Asked): string | undefined {
  const proto = first(ex.get('X-Forwarded-Proto'));
  const host = first(ex.get('X-Forwarded-Host'));
  if (!proto || !host) return undefined;
  return `${proto}://${host}${ex.get('X-Forwarded-Uri') || '/'}`;
}

/** The request-target of an absolute URL as written: `new URL()` would resolve dot segments and backslashes first. */
function targetOf(url: string): string {
  const target = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/is.exec(url)?.[1] ?? '';
  return target.startsWith('/') ? target : `/${target}`;
}

/** The host the person asked for as they wrote it, port and all (the rules match it without). */
export function askedHost(ex: Asked): string {
  const forwarded = first(ex.get('X-Forwarded-Host'));
  if (forwarded) return forwarded;
  try {
    return new URL(ex.get('X-Original-URL')).host;
  } catch {
    return '';
  }
}

/**
 * What the proxy says was asked for: X-Forwarded-Host/-Uri/-Method (Traefik, Caddy, the
 * README's nginx snippet), or X-Original-URL/-Method (nginx auth_request set-ups).
 */
export function forwardedRequest(ex: Asked): ForwardedRequest {
  const original = ex.get('X-Original-URL');
  let url: URL | undefined;
  try {
    url = original ? new URL(original) : undefined;
  } catch {
    url = undefined;
  }
  return {
    host: (first(ex.get('X-Forwarded-Host')) || url?.host || '').replace(/:\d+$/, ''),
    uri: ex.get('X-Forwarded-Uri') || (url ? targetOf(original) : '/'),
    method: (ex.get('X-Forwarded-Method') || ex.get('X-Original-Method') || 'GET').toUpperCase(),
    ip: ex.ip,
  };
}
