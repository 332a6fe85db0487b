// GET /api/openapi.json: built once per app, from the configuration in force (code length,
// password floor, cookie name, origins).
import Router from '@koa/router';
import type { Config } from '../../config.js';
import { buildOpenApiDocument } from './buildOpenApiDocument.js';

export const OPENAPI_PATH = '/api/openapi.json';

export function openApiRoutes(config: Config): Router {
  const body = JSON.stringify(buildOpenApiDocument(config));
  const router = new Router();
  router.get(OPENAPI_PATH, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.type = 'application/json';
    ctx.body = body;
  });
  return router;
}
