/**
 * What the archiver reports for a customer's archive (customer_archives.state): the column a
 * delivery-health rule reads for the "archive failing" alert (failing or failed).
 */
export const ARCHIVE_STATES = ['unverified', 'active', 'catching_up', 'failing', 'failed'] as const;
export type ArchiveState = (typeof ARCHIVE_STATES)[number];

export const ARCHIVE_COMPRESSIONS = ['gzip', 'zstd'] as const;
export type ArchiveCompression = (typeof ARCHIVE_COMPRESSIONS)[number];

/** How a destination was proved: the customer confirmed the challenge token, or an admin. */
export const ARCHIVE_VERIFICATIONS = ['challenge', 'admin'] as const;
export type ArchiveVerification = (typeof ARCHIVE_VERIFICATIONS)[number];
