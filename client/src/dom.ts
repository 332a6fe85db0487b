// Tiny DOM helpers. Text always goes through textContent: no user data reaches innerHTML.
import { currentBrand } from './brand.js';

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A labelled input; the label is tied to it by id for screen readers. */
export function field(opts: { id: string; label: string; type?: string; autocomplete?: string; required?: boolean; hint?: string; minlength?: number }) {
  const input = h('input', {
    id: opts.id,
    name: opts.id,
    type: opts.type ?? 'text',
    autocomplete: opts.autocomplete,
    required: opts.required ?? true,
    minlength: opts.minlength === undefined ? undefined : String(opts.minlength),
    'aria-describedby': opts.hint ? `${opts.id}-hint` : undefined,
  });
  const wrap = h('div', { class: 'field' }, h('label', { for: opts.id }, opts.label), input, opts.hint ? h('p', { id: `${opts.id}-hint`, class: 'hint' }, opts.hint) : null);
  return { wrap, input };
}

/** An error region announced by screen readers when filled. */
export function errorBox() {
  const el = h('p', { class: 'error', role: 'alert', hidden: true });
  return {
    el,
    show(message: string) {
      el.textContent = message;
      el.hidden = false;
    },
    clear() {
      el.textContent = '';
      el.hidden = true;
    },
  };
}

export function mount(...nodes: Child[]): void {
  const app = document.getElementById('app');
  if (!app) return;
  app.replaceChildren(...nodes.filter((n): n is Node | string => n !== null && n !== undefined && n !== false && n !== ''));
  // Move focus to the new page's heading so keyboard and screen-reader users land there.
  const heading = app.querySelector('h1');
  const site = currentBrand().name;
  document.title = heading?.textContent ? `${heading.textContent} · ${site}` : site;
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** Disables a form's controls while a request runs, and shows progress on its button. */
export async function busy<T>(form: HTMLFormElement, label: string, work: () => Promise<T>): Promise<T> {
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  const before = button?.textContent ?? '';
  form.setAttribute('aria-busy', 'true');
  for (const el of Array.from(form.elements)) (el as HTMLInputElement).disabled = true;
  if (button) button.textContent = label;
  try {
    return await work();
  } finally {
    form.removeAttribute('aria-busy');
    for (const el of Array.from(form.elements)) (el as HTMLInputElement).disabled = false;
    if (button) button.textContent = before;
  }
}
