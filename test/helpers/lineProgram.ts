// A relying party written in another language (Go, Python), run as a child process that
// talks in JSON lines: it prints what it needs from the browser side (an address to open, a
// device code), the test does the person's part and answers on its stdin.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LineProgram {
  /** The next JSON line it prints (rejects when it exits first, with what it wrote to stderr). */
  next(): Promise<Record<string, unknown>>;
  send(line: string): void;
  /** Its exit code. */
  done: Promise<number>;
  kill(): void;
}

export function startLineProgram(command: string, args: string[], env: Record<string, string> = {}): LineProgram {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  const done = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      for (const w of waiting.splice(0)) w(null);
      resolve(code ?? -1);
    }),
  );
  return {
    async next() {
      const line = lines.shift() ?? (ended ? null : await new Promise<string | null>((resolve) => waiting.push(resolve)));
      if (line === null) throw new Error(`${command} ended without answering: ${stderr.slice(-2000)}`);
      return JSON.parse(line) as Record<string, unknown>;
    },
    send: (line) => void child.stdin.write(`${line}\n`),
    done,
    kill: () => void child.kill(),
  };
}
