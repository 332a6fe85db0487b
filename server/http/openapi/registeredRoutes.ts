// Every method+path the app's routers answer, read off the running Koa app itself (each
// router's middleware carries its router), so the OpenAPI test and the fuzzer cannot miss a
// route someone adds later.
import type Koa from 'koa';

interface Layer {
  path: unknown;
  methods: string[];
}

export interface RegisteredRoute {
  method: string;
  /** @koa/router syntax: /api/totp/authenticators/:id */
  path: string;
}

export function registeredRoutes(app: Koa): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const mw of app.middleware) {
    const router = (mw as { router?: { stack: Layer[] } }).router;
    for (const layer of router?.stack ?? []) {
      // router.use() layers have no methods; the API's catch-all ({*rest}) answers 404 only.
      if (!layer.methods.length || typeof layer.path !== 'string' || layer.path.includes('{*')) continue;
      // HEAD comes with every GET.
      for (const method of layer.methods) if (method !== 'HEAD') routes.push({ method, path: layer.path });
    }
  }
  return routes;
}

/** /a/:id -> /a/{id} */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
