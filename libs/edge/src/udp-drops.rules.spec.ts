import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { udpKernelDrops } from './udp-drops.rules';

const PROC = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  253: 0100007F:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41234 2 0000000000000000 17
  254: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41235 2 0000000000000000 3
`;

describe('udpKernelDrops', () => {
  it('reads the drops column of the socket bound to the port', () => {
    assert.equal(udpKernelDrops(PROC, 8080), 17);
    assert.equal(udpKernelDrops(PROC, 68), 3);
    assert.equal(udpKernelDrops(PROC, 9999), undefined);
  });
});
