import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  count,
  countBy,
  measure,
  MetricName,
  metrics,
  MetricUnit,
  publishMetrics,
} from '../../../lib/observability.js';

afterEach(() => vi.restoreAllMocks());

describe('metrics of an invocation', () => {
  it('are summed until published: one value per total, one single metric per breakdown', () => {
    const added = vi.spyOn(metrics, 'addMetric').mockReturnValue(metrics);
    const singles: Array<{ dimensions: Record<string, string>[]; values: unknown[][] }> = [];
    vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const single = { dimensions: [] as Record<string, string>[], values: [] as unknown[][] };
      singles.push(single);
      return {
        addDimensions: (dimensions: Record<string, string>) => single.dimensions.push(dimensions),
        addMetric: (...metric: unknown[]) => single.values.push(metric),
      } as unknown as ReturnType<typeof metrics.singleMetric>;
    });

    for (let action = 0; action < 3; action += 1) countBy(MetricName.ActionsReceived, { type: 'CREATE_SHIPMENT' });
    countBy(MetricName.ActionsReceived, { type: 'ACCEPT' });
    count(MetricName.DuplicatesSkipped);
    measure(MetricName.EndToEndLatency, MetricUnit.Milliseconds, 120);
    measure(MetricName.EndToEndLatency, MetricUnit.Milliseconds, 80);
    expect(added).not.toHaveBeenCalled();

    publishMetrics();

    expect(added.mock.calls).toEqual([
      [MetricName.ActionsReceived, MetricUnit.Count, 4],
      [MetricName.DuplicatesSkipped, MetricUnit.Count, 1],
      [MetricName.EndToEndLatency, MetricUnit.Milliseconds, 120],
      [MetricName.EndToEndLatency, MetricUnit.Milliseconds, 80],
    ]);
    expect(singles).toEqual([
      { dimensions: [{ type: 'CREATE_SHIPMENT' }], values: [[MetricName.ActionsReceived, MetricUnit.Count, 3]] },
      { dimensions: [{ type: 'ACCEPT' }], values: [[MetricName.ActionsReceived, MetricUnit.Count, 1]] },
    ]);

    publishMetrics();
    expect(added).toHaveBeenCalledTimes(4);
    expect(singles).toHaveLength(2);
  });
});
