// The third-party servers the tests run as child processes (nginx, slapd, oauth2-proxy) are
// ready when their port takes a connection, and stop when the process has exited: one way to
// wait for both, so a server that dies while starting fails its test with its own output.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Resolves once 127.0.0.1:`port` accepts a connection. Throws `<name> did not start: <output>`
 * if the child exits first or `withinMs` passes (a start, not a measurement), killing it.
 */
export async function waitUntilListening(child: ChildProcess, port: number, opts: { name: string; output: () => string; withinMs: number }): Promise<void> {
  const end = Date.now() + opts.withinMs;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`${opts.name} did not start: ${opts.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends `signal` and resolves when the child has exited (at once if it already has). */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
