import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get';
import { CapacityMeter } from './capacity';

type Key = { id: number };

/**
 * A stand-in for DynamoDB that answers BatchGet from a map and, like DynamoDB under load,
 * hands back part of each request as UnprocessedKeys while `throttle` says so.
 */
function fakeDoc(opts: { throttle: (call: number) => number }) {
  const calls: Key[][] = [];
  const send = jest.fn(async (cmd: BatchGetCommand) => {
    const req = cmd.input.RequestItems!.T;
    const keys = req.Keys as Key[];
    calls.push(keys);
    const unprocessed = Math.min(keys.length, opts.throttle(calls.length));
    const served = keys.slice(unprocessed).filter((k) => k.id % 10 !== 0); // ids divisible by 10 don't exist
    return {
      Responses: { T: served.map((k) => ({ id: k.id, name: `item ${k.id}` })) },
      UnprocessedKeys: unprocessed ? { T: { Keys: keys.slice(0, unprocessed) } } : {},
      ConsumedCapacity: [{ TableName: 'T', CapacityUnits: served.length / 2 }],
    };
  });
  return { doc: { send } as unknown as DynamoDBDocumentClient, calls, send };
}

const keys = (n: number): Key[] => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));

describe('batchGetAll', () => {
  it('asks for at most 100 keys a call and returns every existing item', async () => {
    const { doc, calls } = fakeDoc({ throttle: () => 0 });
    const items = await batchGetAll<{ id: number }>(doc, 'T', keys(250));
    expect(calls.map((c) => c.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(
      keys(250)
        .map((k) => k.id)
        .filter((id) => id % 10 !== 0),
    );
  });

  it('retries UnprocessedKeys until every key is answered', async () => {
    // The first three calls leave 40 keys unprocessed each.
    const { doc, calls } = fakeDoc({ throttle: (call) => (call <= 3 ? 40 : 0) });
    const items = await batchGetAll<{ id: number }>(doc, 'T', keys(100), { baseDelayMs: 1 });
    expect(calls.map((c) => c.length)).toEqual([100, 40, 40, 40]);
    expect(calls[1]).toEqual(keys(40)); // exactly the keys handed back, nothing else
    expect(items).toHaveLength(90);
    expect(new Set(items.map((i) => i.id)).size).toBe(90);
  });

  it('gives up with an error after the attempt limit', async () => {
    const { doc, send } = fakeDoc({ throttle: () => 5 });
    await expect(
      batchGetAll(doc, 'T', keys(20), { baseDelayMs: 1, maxAttempts: 4 }),
    ).rejects.toThrow('BatchGet on T: 5 keys still unprocessed after 4 attempts');
    expect(send).toHaveBeenCalledTimes(4);
  });

  it('backs off between retries', async () => {
    const { doc } = fakeDoc({ throttle: (call) => (call <= 3 ? 1 : 0) });
    const random = jest.spyOn(Math, 'random').mockReturnValue(1);
    try {
      const started = performance.now();
      await batchGetAll(doc, 'T', keys(5), { baseDelayMs: 10 });
      // Full jitter at its ceiling: 10·2 + 10·4 + 10·8 ms.
      expect(performance.now() - started).toBeGreaterThanOrEqual(135);
    } finally {
      random.mockRestore();
    }
  });

  it('passes projection and consistency through and reports consumed capacity', async () => {
    const { doc, send } = fakeDoc({ throttle: () => 0 });
    const meter = { read: jest.fn(), write: jest.fn() } as unknown as CapacityMeter;
    await batchGetAll(doc, 'T', keys(3), {
      projection: '#n',
      names: { '#n': 'name' },
      consistentRead: true,
      meter,
    });
    const input = (send.mock.calls[0][0] as BatchGetCommand).input;
    expect(input.RequestItems!.T).toMatchObject({
      ProjectionExpression: '#n',
      ExpressionAttributeNames: { '#n': 'name' },
      ConsistentRead: true,
    });
    expect(input.ReturnConsumedCapacity).toBe('TOTAL');
    expect(meter.read).toHaveBeenCalledWith('BatchGetItem', [
      { TableName: 'T', CapacityUnits: 1.5 },
    ]);
  });

  it('makes no call for no keys', async () => {
    const { doc, send } = fakeDoc({ throttle: () => 0 });
    expect(await batchGetAll(doc, 'T', [])).toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });
});
