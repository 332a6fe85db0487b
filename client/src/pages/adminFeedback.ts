import { h } from '../dom.js';

/**
 * Where the answer to one form or one user's action appears: right next to it, not at the
 * top of a long page. A step-up prompt, the "done" line, an error and a link to hand on.
 */
export interface Feedback {
  el: HTMLElement;
  /** Where a step-up prompt goes, so the tap that asked for it sees it. */
  host: HTMLElement;
  error: { show(message: string): void; clear(): void };
  done(message: string): void;
  /** A link shown once, to hand on; replaces the last one. */
  link(node: Node | null): void;
}

export function feedbackArea(): Feedback {
  const host = h('div', {});
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'done', tabindex: '-1' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const links = h('div', {});
  const el = h('div', { class: 'feedback' }, host, status, error, links);
  // Said where it is seen: a message that would land off-screen is brought into view.
  const show = (node: HTMLElement) => node.scrollIntoView({ block: 'nearest' });
  return {
    el,
    host,
    error: {
      show(message) {
        error.textContent = message;
        error.hidden = false;
        show(error);
      },
      clear() {
        error.textContent = '';
        error.hidden = true;
        status.textContent = '';
      },
    },
    done(message) {
      status.textContent = message;
      show(status);
    },
    link(node) {
      links.replaceChildren(node ?? '');
      if (node) show(links);
    },
  };
}
