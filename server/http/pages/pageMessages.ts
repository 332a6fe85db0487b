// The words of the pages Keyward renders on the server (the no-access page, and the single
// sign-on pages), in the languages the client speaks. Templates are trusted markup; every
// {value} is escaped when filled (fillPage), so names from requests and accounts stay text.
import type { PageLanguage } from './pageLanguage.js';

const en = {
  language: 'Language',
  'forbidden.title': 'You don’t have access to {host}',
  'forbidden.signedInAs': 'You are signed in as <strong>{username}</strong>, and this account is not allowed to use {host}.',
  'forbidden.notAllowed': 'Your account is not allowed to use {host}.',
  'forbidden.ask': 'If you think it should be, ask an administrator. Or sign out and sign in with another account.',
  'forbidden.switch': 'Sign out or switch account',
  'consent.title': 'Allow {client}?',
  'consent.signedInAs': 'You are signed in as <strong>{username}</strong>.',
  'consent.notYou': 'Not you? Sign out or switch account',
  'consent.asks': '{client} wants to sign you in with {brand} and to know:',
  'consent.unsupported': 'It also asks for this, which {brand} does not give out:',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',
  'scope.openid': 'Who you are on {brand} (an identifier that never changes)',
  'scope.profile': 'Your username and display name',
  'scope.email': 'Your e-mail address',
  'scope.groups': 'The groups you belong to',
  'scope.offline_access': 'Stay signed in when you are away',
  'scope.unknown': '“{scope}”',
  'expired.title': 'This sign-in request is over',
  'expired.body': 'It expired or was already used. Go back to the application and sign in again.',
  'refused.title': 'Sign-in request refused',
  'refused.body': 'The application sent a sign-in request {brand} cannot accept.',
  'logout.title': 'Sign out',
  'logout.asks': '{client} asks you to sign out.',
  'logout.question': 'Sign out?',
  'logout.what': 'This signs you out of {brand} and of the applications you signed in to with it.',
  'logout.button': 'Sign out',
  'signedOut.title': 'Signed out',
  'signedOut.body': 'You are signed out of {brand}.',
  'signedOut.apps': 'Signing you out of the applications too…',
  'signedOut.continue': 'Continue',
};

export type PageMessageKey = keyof typeof en;

const de: Record<PageMessageKey, string> = {
  language: 'Sprache',
  'forbidden.title': 'Sie haben keinen Zugriff auf {host}',
  'forbidden.signedInAs': 'Sie sind als <strong>{username}</strong> angemeldet, und dieses Konto darf {host} nicht verwenden.',
  'forbidden.notAllowed': 'Ihr Konto darf {host} nicht verwenden.',
  'forbidden.ask': 'Wenn Sie meinen, dass es das dürfen sollte, fragen Sie die Verwaltung. Oder melden Sie sich ab und mit einem anderen Konto an.',
  'forbidden.switch': 'Abmelden oder Konto wechseln',
  'consent.title': '{client} erlauben?',
  'consent.signedInAs': 'Sie sind als <strong>{username}</strong> angemeldet.',
  'consent.notYou': 'Nicht Sie? Abmelden oder Konto wechseln',
  'consent.asks': '{client} möchte Sie mit {brand} anmelden und erfahren:',
  'consent.unsupported': 'Außerdem fragt es nach Folgendem, das {brand} nicht herausgibt:',
  'consent.allow': 'Erlauben',
  'consent.deny': 'Ablehnen',
  'scope.openid': 'Wer Sie bei {brand} sind (eine Kennung, die sich nie ändert)',
  'scope.profile': 'Ihr Benutzername und Anzeigename',
  'scope.email': 'Ihre E-Mail-Adresse',
  'scope.groups': 'Die Gruppen, zu denen Sie gehören',
  'scope.offline_access': 'Angemeldet bleiben, während Sie nicht da sind',
  'scope.unknown': '„{scope}“',
  'expired.title': 'Diese Anmeldeanfrage ist vorbei',
  'expired.body': 'Sie ist abgelaufen oder wurde schon verwendet. Gehen Sie zurück zur Anwendung und melden Sie sich erneut an.',
  'refused.title': 'Anmeldeanfrage abgelehnt',
  'refused.body': 'Die Anwendung hat eine Anmeldeanfrage geschickt, die {brand} nicht annehmen kann.',
  'logout.title': 'Abmelden',
  'logout.asks': '{client} bittet Sie, sich abzumelden.',
  'logout.question': 'Abmelden?',
  'logout.what': 'Damit melden Sie sich bei {brand} ab und bei den Anwendungen, bei denen Sie sich damit angemeldet haben.',
  'logout.button': 'Abmelden',
  'signedOut.title': 'Abgemeldet',
  'signedOut.body': 'Sie sind bei {brand} abgemeldet.',
  'signedOut.apps': 'Sie werden auch bei den Anwendungen abgemeldet …',
  'signedOut.continue': 'Weiter',
};

export const PAGE_MESSAGES: Record<PageLanguage, Record<PageMessageKey, string>> = { en, de };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A template (trusted markup) as HTML: its markup kept, every {value} escaped. */
export function templateHtml(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => escapeHtml(values[name] ?? ''));
}

/** A template as plain text (a title), its markup dropped and its values unescaped: the caller escapes the whole. */
export function templateText(template: string, values: Record<string, string>): string {
  return template.replace(/<[^>]*>/g, '').replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

export const fillPage = (lang: PageLanguage, key: PageMessageKey, values: Record<string, string> = {}): string => templateHtml(PAGE_MESSAGES[lang][key], values);

export const pageText = (lang: PageLanguage, key: PageMessageKey, values: Record<string, string> = {}): string => templateText(PAGE_MESSAGES[lang][key], values);
