// One typed function per API route. Errors arrive as ApiError with the server's code.

export interface User {
  id: string;
  username: string;
  displayName: string;
}

export type Factor = 'webauthn' | 'totp' | 'recovery_code';
export type SessionStatus = 'anonymous' | 'mfa_required' | 'enroll_required' | 'authenticated';

export interface SessionInfo {
  status: SessionStatus;
  user?: User;
  aal: 0 | 1 | 2;
  factors: Factor[];
  authenticatedAt?: string;
  stepUpAt?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 'Could not reach the server. Check your connection and try again.', 0);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const retry = Number(res.headers.get('Retry-After'));
    throw new ApiError(
      String(data?.['error'] ?? 'internal_error'),
      String(data?.['message'] ?? 'Something went wrong.'),
      res.status,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return data as T;
}

export const api = {
  createAccount: (body: { username: string; password: string; displayName?: string }) =>
    call<{ user: User }>('POST', '/api/accounts', body),
  signIn: (body: { username: string; password: string }) =>
    call<{ status: Exclude<SessionStatus, 'anonymous'>; factors?: Factor[] }>('POST', '/api/session', body),
  getSession: () => call<SessionInfo>('GET', '/api/session'),
  signOut: () => call<void>('DELETE', '/api/session'),
};
