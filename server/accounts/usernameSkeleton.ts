// UTS #39 section 4 "skeleton": two usernames that look alike have the same skeleton
// (Cyrillic "е" and Latin "e", "ı" and "i", "rn" and "m"). Stored with a unique index, so
// a look-alike of an existing name is refused by the database itself, even when both
// sign-ups arrive at once. The prototype mapping is Unicode's confusables.txt as packaged
// by unhomoglyph; case folding is the platform's full mapping (upper then lower case turns
// "ß" into "ss", as full case folding does), so "straße" and "strasse" collide too.
// Characters that render as nothing are left out (UTS #39 removes Default_Ignorable code
// points too): "boss" + U+1160 has the skeleton of "boss". New names with them are refused
// anyway; this keeps an older such account from holding a skeleton of its own.
import unhomoglyph from 'unhomoglyph';
import { withoutInvisibleCharacters } from './invisibleCharacters.js';

export function usernameSkeleton(username: string): string {
  const folded = withoutInvisibleCharacters(username.normalize('NFKC').toUpperCase().toLowerCase());
  return withoutInvisibleCharacters(unhomoglyph(folded.normalize('NFD')).normalize('NFD'));
}
