// Friendly default names for well-known authenticator models (AAGUIDs published by their
// makers). Unknown models get "Security key N" / "Passkey N"; the person can rename them.
const KNOWN: Record<string, string> = {
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
  'fa2b99dc-9e39-4257-8f92-4a30d23c4118': 'YubiKey 5 Series with NFC',
  'cb69481e-8ff7-4039-93ec-0a2729a154a8': 'YubiKey 5 Series',
  'ee882879-721c-4913-9775-3dfcce97072a': 'YubiKey 5 Series',
  'c5ef55ff-ad9a-4b9f-b580-adebafe026d0': 'YubiKey 5Ci',
  '2fc0579f-8113-47ea-b116-bb5a8db9202a': 'YubiKey 5 Series with NFC',
  '73bb0cd4-e502-49b8-9c6f-b59445bf720b': 'YubiKey 5 FIPS Series',
  '149a2021-8ef6-4133-96b8-81f8d5b7f1f5': 'Security Key by Yubico with NFC',
  'a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa': 'Security Key by Yubico with NFC',
  '0bb43545-fd2c-4185-87dd-feb0b2916ace': 'Security Key NFC by Yubico',
};

const ZERO = '00000000-0000-0000-0000-000000000000';

/** The model's maker-published name, when it is a well-known one. */
export function knownModelName(aaguid: string): string | null {
  return aaguid !== ZERO ? (KNOWN[aaguid.toLowerCase()] ?? null) : null;
}

/** A well-known model's name, else the caller's default (in the person's language), else ours. */
export function defaultCredentialName(aaguid: string, deviceType: 'singleDevice' | 'multiDevice', existingCount: number, fallback?: string): string {
  const known = aaguid !== ZERO ? KNOWN[aaguid.toLowerCase()] : undefined;
  if (known) return known;
  if (fallback) return fallback;
  return `${deviceType === 'multiDevice' ? 'Passkey' : 'Security key'} ${existingCount + 1}`;
}
