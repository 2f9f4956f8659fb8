import type { ValueTransformer } from 'typeorm';

/** Postgres bigint arrives as a string; generations stay far below 2^53, so numbers are safe. */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
