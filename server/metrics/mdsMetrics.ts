// The FIDO metadata blob this instance uses: its serial number and age, so an operator's
// alert can fire when nobody ran `keyward mds update` for too long.
import { Gauge, type Registry } from 'prom-client';
import type { MdsService } from '../mds/createMdsService.js';
import type { Clock } from '../clock.js';

export function mdsMetrics(registry: Registry, mds: Pick<MdsService, 'lastSeen'>, clock: Clock): void {
  new Gauge({
    name: 'keyward_mds_blob_serial',
    help: 'Serial number (no) of the FIDO metadata blob in use; absent when none.',
    registers: [registry],
    collect() {
      const seen = mds.lastSeen();
      if (seen) this.set(seen.no);
    },
  });
  new Gauge({
    name: 'keyward_mds_blob_age_seconds',
    help: 'Seconds since the FIDO metadata blob in use was imported.',
    registers: [registry],
    collect() {
      const seen = mds.lastSeen();
      if (seen) this.set(Math.max(0, (clock.now() - seen.storedAt) / 1000));
    },
  });
  new Gauge({
    name: 'keyward_mds_blob_expired',
    help: '1 when the FIDO metadata blob in use is past its nextUpdate.',
    registers: [registry],
    collect() {
      const seen = mds.lastSeen();
      if (seen) this.set(seen.expired ? 1 : 0);
    },
  });
}
