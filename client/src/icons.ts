// One small icon per kind of factor, and one per settings section: inline SVG built node by
// node (no markup parsing, no external files, nothing the CSP would have to allow).
// Decorative: the text beside names it.
export type IconKind = 'webauthn' | 'passkey' | 'totp' | 'recovery_code' | 'password' | 'email' | 'sessions' | 'activity';

const SVG = 'http://www.w3.org/2000/svg';

// 24×24 outline drawings, stroked with currentColor.
const PATHS: Record<IconKind, string[]> = {
  // A key: ring and blade with two teeth.
  webauthn: ['M7.5 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z', 'M11 12h10', 'M17 12v3', 'M20 12v2'],
  // A person with a check: a passkey stands for you.
  passkey: ['M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z', 'M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6', 'M15.5 11.5l2 2 4-4'],
  // A phone with a clock hand: codes that change with time.
  totp: ['M7 2h10a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z', 'M12 8v4l2.5 1.5', 'M11 19h2'],
  // A sheet with lines: the printed list of codes.
  recovery_code: ['M6 3h12v18H6z', 'M9 8h6', 'M9 12h6', 'M9 16h4'],
  // A padlock.
  password: ['M6 11h12v10H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3', 'M12 15v2'],
  // An envelope.
  email: ['M3 6h18v12H3z', 'M3 6l9 7 9-7'],
  // A laptop: the devices signed in.
  sessions: ['M5 5h14v10H5z', 'M2 19h20'],
  // A clock face: what happened when.
  activity: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
};

export function factorIcon(kind: IconKind): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '20', height: '20', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false', class: `icon icon-${kind}` })) {
    svg.setAttribute(k, v);
  }
  for (const d of PATHS[kind]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
