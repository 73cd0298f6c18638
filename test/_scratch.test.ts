import { test } from 'vitest';
import { evaluateSystem } from '../src/gates/index';
import { makeContext } from './helpers/context';

test('scratch', () => {
  for (const policy of [undefined, 'default' as const]) {
    const r = evaluateSystem(makeContext(policy ? { policy } : {}));
    for (const g of r.gates) console.log(g.id, g.outcome, '|', g.reason, '|', JSON.stringify(g.location), JSON.stringify(g.details ?? []));
    console.log(r.notes);
  }
});
