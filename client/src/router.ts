// History-API routing: /signin, /signup, / (the account page). Links carry data-link.
// '*' is the page for any other path (not found).
type Page = () => void | Promise<void>;
const routes = new Map<string, Page>();

export function route(path: string, page: Page): void {
  routes.set(path, page);
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

export async function render(): Promise<void> {
  const page = routes.get(location.pathname) ?? routes.get('*');
  await page?.();
}

export function startRouter(): void {
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.('a[data-link]');
    if (a instanceof HTMLAnchorElement && a.origin === location.origin && !e.metaKey && !e.ctrlKey) {
      e.preventDefault();
      navigate(a.pathname);
    }
  });
  void render();
}
