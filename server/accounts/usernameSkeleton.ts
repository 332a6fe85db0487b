// UTS #39 section 4 "skeleton": two usernames that look alike have the same skeleton
// (Cyrillic "е" and Latin "e", "ı" and "i", "rn" and "m"). Stored with a unique index, so
// a look-alike of an existing name is refused by the database itself, even when both
// sign-ups arrive at once. The prototype mapping is Unicode's confusables.txt as packaged
// by unhomoglyph; case folding is the platform's full mapping (upper then lower case turns
// "ß" into "ss", as full case folding does), so "straße" and "strasse" collide too.
import unhomoglyph from 'unhomoglyph';

export function usernameSkeleton(username: string): string {
  const folded = username.normalize('NFKC').toUpperCase().toLowerCase();
  return unhomoglyph(folded.normalize('NFD')).normalize('NFD');
}
