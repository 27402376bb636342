import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeTimerOptions, probe, startFlows, tab, type FlowHarness } from '../../../test/sequence-harness.js';

let h: FlowHarness;
beforeEach(() => vi.useFakeTimers(fakeTimerOptions));
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

/** Node-RED's defaults for a new trigger node, overridden by props. */
const triggerFlow = (props: Record<string, unknown>) => {
  const outputs = props['outputs'] === 2 ? 2 : 1;
  return [
    tab(),
    {
      id: 'tr',
      type: 'trigger',
      z: 't1',
      op1: '1',
      op2: '0',
      op1type: 'val',
      op2type: 'val',
      duration: '250',
      extend: false,
      overrideDelay: false,
      units: 'ms',
      reset: '',
      bytopic: 'all',
      topic: 'topic',
      outputs: 1,
      ...props,
      wires: outputs === 2 ? [['p'], ['p2']] : [['p']],
    },
    probe('p'),
    probe('p2'),
  ];
};

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await h.runtime.idle();
}
async function input(msg: Record<string, unknown>) {
  h.send('tr', msg);
  await h.runtime.idle();
  await vi.advanceTimersByTimeAsync(0); // the node's own promise chain
  await h.runtime.idle();
}

describe('trigger', () => {
  it('sends 1, then 0 after 250 ms; messages in between are ignored', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({}));
    await input({ payload: 'go', topic: 'x' });
    expect(h.payloads('p')).toEqual(['1']);
    await advance(100);
    await input({ payload: 'again' });
    await advance(149);
    expect(h.payloads('p')).toEqual(['1']);
    await advance(1);
    expect(h.payloads('p')).toEqual(['1', '0']);
    expect(h.at('p')[1]?.topic).toBe('x');
    await input({ payload: 'next' });
    expect(h.payloads('p')).toEqual(['1', '0', '1']);
  });

  it('extends the wait on each message (a watchdog when the first message is nothing)', async () => {
    h = startFlows();
    await h.deploy(
      triggerFlow({ op1type: 'nul', op2: 'timeout', op2type: 'str', duration: '1', units: 's', extend: true }),
    );
    for (let i = 0; i < 3; i++) {
      await input({ payload: i });
      await advance(600);
    }
    expect(h.payloads('p')).toEqual([]);
    await advance(400);
    expect(h.payloads('p')).toEqual(['timeout']);
    await advance(5000);
    expect(h.payloads('p')).toEqual(['timeout']);
  });

  it('resends the message every interval until reset', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({ op1type: 'pay', duration: '-1', units: 's' }));
    await input({ payload: 'beat' });
    await advance(3000);
    expect(h.payloads('p')).toEqual(['beat', 'beat', 'beat', 'beat']);
    await input({ reset: true });
    await advance(3000);
    expect(h.payloads('p')).toHaveLength(4);
  });

  it('msg.reset or a payload equal to the reset value cancels the second message', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({ reset: 'stop' }));
    await input({ payload: 'go' });
    await input({ reset: true });
    await advance(300);
    await input({ payload: 'go' });
    await input({ payload: 'stop' });
    await advance(300);
    expect(h.payloads('p')).toEqual(['1', '1']);
  });

  it('waits to be reset when the duration is 0', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({ duration: '0', op1type: 'pay' }));
    await input({ payload: 'a' });
    await advance(10_000);
    await input({ payload: 'b' });
    await input({ reset: true });
    await input({ payload: 'c' });
    expect(h.payloads('p')).toEqual(['a', 'c']);
  });

  it('keeps a separate trigger per topic, with the count in the status', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({ bytopic: 'topic', op1type: 'pay', op2type: 'nul', duration: '0' }));
    await input({ topic: 'a', payload: 'a1' });
    await input({ topic: 'b', payload: 'b1' });
    await input({ topic: 'a', payload: 'a2' });
    expect(h.payloads('p')).toEqual(['a1', 'b1']);
    expect(h.statuses('tr').at(-1)).toEqual({ fill: 'blue', shape: 'dot', text: '2' });
    await input({ topic: 'a', reset: true });
    await input({ topic: 'a', payload: 'a3' });
    expect(h.payloads('p')).toEqual(['a1', 'b1', 'a3']);
  });

  it('sends the second message on a second output, with the latest message when asked', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({ outputs: 2, op1type: 'pay', op2type: 'payl', extend: false }));
    await input({ payload: 'first' });
    await input({ payload: 'latest', extra: true });
    await advance(250);
    expect(h.payloads('p')).toEqual(['first']);
    expect(h.at('p2')).toEqual([expect.objectContaining({ payload: 'latest', extra: true })]);
  });

  it('renders mustache in string payloads and honours msg.delay when allowed', async () => {
    h = startFlows();
    await h.deploy(
      triggerFlow({
        op1: '{{payload}} on',
        op1type: 'str',
        op2: '{{payload}} off',
        op2type: 'str',
        overrideDelay: true,
      }),
    );
    await input({ payload: 'lamp', delay: 50 });
    await advance(50);
    expect(h.payloads('p')).toEqual(['lamp on', 'lamp off']);
  });

  it('evaluates typed values such as JSON and numbers', async () => {
    h = startFlows();
    await h.deploy(triggerFlow({ op1: '{"on":true}', op1type: 'json', op2: '7', op2type: 'num' }));
    await input({ payload: 'x' });
    await advance(250);
    expect(h.payloads('p')).toEqual([{ on: true }, 7]);
  });

  it('fails the deploy on bad JSON or an unknown payload type, naming the property', async () => {
    vi.useRealTimers();
    h = startFlows();
    await expect(h.deploy(triggerFlow({ op1: '{bad', op1type: 'json' }))).rejects.toThrow(
      /property "op1": invalid JSON/,
    );
    await expect(h.deploy(triggerFlow({ op2type: 'regex' }))).rejects.toThrow(/property "op2type"/);
  });
});
