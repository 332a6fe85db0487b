// The words of the device sign-in pages (devicePages.ts), beside the other server pages'
// (server/http/pages/pageMessages.ts) and filled the same way: templates are trusted markup,
// every {value} is escaped.
import { templateHtml, templateText } from '../http/pages/pageMessages.js';
import type { PageLanguage } from '../http/pages/pageLanguage.js';

const en = {
  'device.title': 'Sign in on a device',
  'device.signedInAs': 'You are signed in as <strong>{username}</strong>.',
  'device.enter': 'Enter the code your device or command line shows.',
  'device.code': 'Code',
  'device.continue': 'Continue',
  'device.wrong': 'That code is not right, or it has expired or been used. Check the code on your device and try again.',
  'device.interrupted': 'The sign-in was not completed. Start it again on your device.',
  'device.limited': 'Too many wrong codes. Try again in {seconds} seconds.',
  'device.confirmTitle': 'Sign in {client}?',
  'device.confirmCode': 'Does your device show this code?',
  'device.confirmWhat': 'Continue only if you started this sign-in yourself. {client} will act as you. You will confirm with your security key or authenticator app next.',
  'device.confirm': 'Yes, sign it in',
  'device.abort': 'No, cancel',
  'device.doneTitle': 'Device signed in',
  'device.done': '{client} is signed in. You can close this page and go back to your device.',
};

export type DeviceMessageKey = keyof typeof en;

const de: Record<DeviceMessageKey, string> = {
  'device.title': 'Gerät anmelden',
  'device.signedInAs': 'Sie sind als <strong>{username}</strong> angemeldet.',
  'device.enter': 'Geben Sie den Code ein, den Ihr Gerät oder Ihre Kommandozeile anzeigt.',
  'device.code': 'Code',
  'device.continue': 'Weiter',
  'device.wrong': 'Dieser Code stimmt nicht, ist abgelaufen oder wurde schon verwendet. Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es erneut.',
  'device.interrupted': 'Die Anmeldung wurde nicht abgeschlossen. Starten Sie sie auf Ihrem Gerät erneut.',
  'device.limited': 'Zu viele falsche Codes. Versuchen Sie es in {seconds} Sekunden erneut.',
  'device.confirmTitle': '{client} anmelden?',
  'device.confirmCode': 'Zeigt Ihr Gerät diesen Code?',
  'device.confirmWhat': 'Fahren Sie nur fort, wenn Sie diese Anmeldung selbst begonnen haben. {client} handelt dann in Ihrem Namen. Als Nächstes bestätigen Sie mit Ihrem Sicherheitsschlüssel oder Ihrer Authenticator-App.',
  'device.confirm': 'Ja, anmelden',
  'device.abort': 'Nein, abbrechen',
  'device.doneTitle': 'Gerät angemeldet',
  'device.done': '{client} ist angemeldet. Sie können diese Seite schließen und zu Ihrem Gerät zurückkehren.',
};

const MESSAGES: Record<PageLanguage, Record<DeviceMessageKey, string>> = { en, de };

export const fillDevice = (lang: PageLanguage, key: DeviceMessageKey, values: Record<string, string> = {}): string => templateHtml(MESSAGES[lang][key], values);

export const deviceText = (lang: PageLanguage, key: DeviceMessageKey, values: Record<string, string> = {}): string => templateText(MESSAGES[lang][key], values);
