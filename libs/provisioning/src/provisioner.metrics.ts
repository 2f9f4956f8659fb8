import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The provisioner's Prometheus metrics; the app serves `registry` on /metrics. */
export class ProvisionerMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: 'logstream_provisioner_reconciles_total',
    help: 'Customer reconciles by outcome (converged, gone, superseded, retry, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly reconcileSeconds = new Histogram({
    name: 'logstream_provisioner_reconcile_seconds',
    help: 'Time to reconcile one customer (all steps).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'logstream_provisioner_queue_depth',
    help: 'Customers waiting to be reconciled.',
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'logstream_provisioner_in_flight',
    help: 'Reconciles running now.',
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'logstream_provisioner_leader',
    help: '1 while this instance holds the leader lock.',
    registers: [this.registry],
  });
  readonly resyncs = new Counter({
    name: 'logstream_provisioner_resyncs_total',
    help: 'Full resyncs, and customers found drifted by them.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
}
