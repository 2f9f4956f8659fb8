import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface StoreDestination {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Writes objects to a customer's S3-compatible store with the AWS SDK v3.
 *
 * - `requestChecksumCalculation`/`responseChecksumValidation: 'WHEN_REQUIRED'`: since early 2025
 *   the SDK adds CRC checksum headers (and aws-chunked bodies) to every upload by default; many
 *   S3-compatible servers, s3proxy among them, answer those with 501/400. Only operations that
 *   require a checksum get one.
 * - `forcePathStyle`: `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`, which
 *   needs wildcard DNS that self-hosted stores (and loopback test servers) do not have.
 * - `maxAttempts: 1`: the archiver owns retries (backoff, status, resume), so the SDK must not
 *   hide failures behind its own.
 */
export class ObjectStore {
  private readonly client: S3Client;

  constructor(
    readonly destination: StoreDestination,
    private readonly timeoutMs: number,
  ) {
    this.client = new S3Client({
      endpoint: destination.endpoint,
      region: destination.region,
      credentials: {
        accessKeyId: destination.accessKeyId,
        secretAccessKey: destination.secretAccessKey,
      },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
    });
  }

  /** Resolves once the store acknowledged the whole object. */
  async put(key: string, body: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.destination.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: contentType,
      }),
      { abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout },
    );
  }

  close(): void {
    this.client.destroy();
  }
}
