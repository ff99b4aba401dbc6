import { afterEach, describe, expect, it, vi } from 'vitest';
import { breakdownMetrics } from '../../../lib/observability/metrics.js';
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
  it('are summed until published: one value per total, one line per breakdown', () => {
    const added = vi.spyOn(metrics, 'addMetric').mockReturnValue(metrics);
    const singles: Array<{ dimensions: Record<string, string>[]; values: unknown[][] }> = [];
    let dimensions: Record<string, string>[] = [];
    vi.spyOn(breakdownMetrics, 'addDimensions').mockImplementation((added) => {
      dimensions.push(added);
      return breakdownMetrics;
    });
    vi.spyOn(breakdownMetrics, 'addMetric').mockImplementation((...metric) => {
      singles.push({ dimensions, values: [metric] });
      dimensions = [];
      return breakdownMetrics;
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
