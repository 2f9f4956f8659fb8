/** The bundle's input is unusable; `problems` lists every reason at once, each actionable. */
export class InvalidBundleInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot build the credentials bundle: ${problems.join('; ')}`);
    this.name = 'InvalidBundleInputError';
  }
}
