// Everything a WebAuthn ceremony runs that needs @simplewebauthn/server, whose ASN.1 and COSE
// stack (@peculiar/*) is about 12 MB of a worker's memory. Only loadCeremonyLibrary.ts imports
// this module, and only when a ceremony starts: a deployment that only answers forward-auth
// checks never loads it. Nothing outside the ceremonies may import it statically.
export { generateAuthenticationOptions, generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
export { checkAuthenticationStructure, checkRegistrationStructure } from './responseStructure.js';
export { verifyAssertion } from './verifyAssertion.js';
export { createPublicKeyCache } from './publicKeyCache.js';
export { checkAttestationTrust } from './attestationTrust.js';
