// "Did you mean …?" for a mistyped `keyward` command: the command whose words are fewest
// edits away from as many words of what was typed, if it is close enough to be a typo.

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The nearest of `names` to the words typed, or null when none is a plausible typo of them. */
export function nearestCommand(words: string[], names: string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const typed = words.slice(0, name.split(' ').length).join(' ');
    const distance = editDistance(typed, name);
    // About one edit in three characters: "usr add" and "admin grnat" are typos, "backup" is not.
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}
