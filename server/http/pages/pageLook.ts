import type { Config } from '../../config.js';
import { clientStylesheet } from './clientStylesheet.js';
import type { PageLook } from './serverPage.js';

/** The look of the server-rendered pages: the built client's stylesheet, Keyward's first origin, the operator's brand. */
export function pageLook(config: Pick<Config, 'origins' | 'brand'>, clientDir: string | undefined): PageLook {
  return { stylesheet: clientStylesheet(clientDir), home: config.origins[0]!, brand: config.brand };
}
