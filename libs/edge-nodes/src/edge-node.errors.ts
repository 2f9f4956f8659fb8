/**
 * Why an edge-admin command was refused, in words an operator can act on. The CLI prints the
 * message and exits 1; anything else thrown is a failure (a bug, the database away).
 */
export class EdgeNodeRefusedError extends Error {
  constructor(
    readonly reason:
      'already_enrolled' | 'name_reserved' | 'unknown_node' | 'bad_ca' | 'bad_out_dir',
    message: string,
  ) {
    super(message);
    this.name = 'EdgeNodeRefusedError';
  }
}
