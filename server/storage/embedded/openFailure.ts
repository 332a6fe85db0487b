// What an operator reads when the embedded store cannot be opened or prepared: the file, the
// code SQLite (or the file system) gave, and what to do about it, in one line, because the
// start-up failure is printed as a single sentence (main.ts).

const ADVICE: [RegExp, string][] = [
  [
    /^SQLITE_BUSY/,
    'another process held it for longer than 5 s: is a second Keyward, a backup or a sqlite3 shell using this DATA_DIR? Stop it and start Keyward again (every process of one Keyward shares the file; several machines need MONGODB_URI)',
  ],
  [/^(SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_PERM|EACCES|EPERM|EROFS)/, 'Keyward needs to read and write DATA_DIR: check that it exists on a writable disk and belongs to the user Keyward runs as'],
  [/^(SQLITE_FULL|ENOSPC|EDQUOT)/, 'the disk is full: free some space and start again'],
  [/^(SQLITE_NOTADB|SQLITE_CORRUPT)/, 'the file is not a Keyward database or is damaged: restore it from a backup, or point DATA_DIR elsewhere'],
];

export class EmbeddedOpenError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const advice = ADVICE.find(([pattern]) => pattern.test(code))?.[1] ?? 'the code is explained at https://www.sqlite.org/rescode.html';
    super(`Could not open the embedded store ${file} (${code}: ${detail}): ${advice}.`, { cause });
    this.name = 'EmbeddedOpenError';
  }
}

export function embeddedOpenError(file: string, err: unknown): EmbeddedOpenError {
  const code = (err as { code?: unknown }).code;
  return new EmbeddedOpenError(file, typeof code === 'string' ? code : 'unknown', err);
}
