import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  edgeNodePrincipal,
  explainInvalidEdgeNodeName,
  isEdgeNodeName,
  parseEdgeNodeName,
} from './edge-node.rules';

describe('edge node names', () => {
  it('accepts DNS labels whose principal fits in one 64-character CN', () => {
    for (const name of ['a', '0', 'edge-7', 'fra1-pop-03', 'x'.repeat(49)]) {
      assert.ok(isEdgeNodeName(name), name);
      assert.ok(edgeNodePrincipal(parseEdgeNodeName(name)).length <= 64, name);
    }
    assert.equal(edgeNodePrincipal(parseEdgeNodeName('fra1')), 'logstream-edge.fra1');
  });

  it('refuses everything else with a reason an operator can act on', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['', /not be empty/],
      ['x'.repeat(50), /at most 49 characters \(got 50\).*CN/],
      ['Edge1', /lowercase/],
      ['edge.1', /only lowercase letters/],
      ['edge_1', /only lowercase letters/],
      ['edge 1', /only lowercase letters/],
      ['CN=x,O=y', /lowercase/],
      ['-edge', /start or end/],
      ['edge-', /start or end/],
      [42, /string/],
    ];
    for (const [input, reason] of cases) {
      assert.ok(!isEdgeNodeName(input), String(input));
      assert.match(explainInvalidEdgeNodeName(input) ?? '', reason, String(input));
      assert.throws(() => parseEdgeNodeName(input), /invalid edge node name/);
    }
  });
});
