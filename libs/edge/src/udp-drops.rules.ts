/**
 * The kernel's count of datagrams it dropped for a UDP socket (receive buffer full), read from
 * /proc/net/udp or /proc/net/udp6: the row whose local address is the socket's, last column.
 * `localHexPort` is the port in the file's notation (4 upper-case hex digits).
 */
export function udpKernelDrops(procNetUdp: string, port: number): number | undefined {
  const want = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let total: number | undefined;
  for (const row of procNetUdp.split('\n').slice(1)) {
    const cols = row.trim().split(/\s+/);
    if (cols.length < 13 || !cols[1].endsWith(want)) continue;
    const drops = Number(cols[cols.length - 1]);
    if (Number.isSafeInteger(drops)) total = (total ?? 0) + drops;
  }
  return total;
}
