// Metrics of a Keyward running several workers. Each worker counts in its own registry;
// only the primary can gather them all (prom-client's AggregatorRegistry asks every worker
// over IPC), so a worker serving a public /metrics asks the primary for the sum instead of
// answering with its own share.
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsSource } from '../metrics/metricsRoutes.js';

const ASK = 'keyward:metrics?';
const ANSWER = 'keyward:metrics';

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In a worker: hand this worker's registry to the aggregator, and read the cluster's sum. */
export function workerMetricsSource(registry: Registry): MetricsSource {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
  let next = 0;
  process.on('message', (m: Answer) => {
    if (m?.type !== ANSWER) return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.text !== undefined) w?.resolve(m.text);
    else w?.reject(new Error(m.error ?? 'no metrics'));
  });
  return {
    contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
    metrics: () =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        process.send?.({ type: ASK, id });
      }),
  };
}

/** In the primary: the cluster's metrics, and answers to workers that ask for them. */
export function primaryMetricsSource(): MetricsSource {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, m: { type?: string; id?: number }) => {
    if (m?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: m.id, text }),
      (err: Error) => worker.send({ type: ANSWER, id: m.id, error: err.message }),
    );
  });
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}
