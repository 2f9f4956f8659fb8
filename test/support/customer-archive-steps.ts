import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { loadS3DevConfig, type S3DevConfig } from '@logstream/config';
import type { AppProcess } from './app-process';
import { testS3Client } from './archive-platform';
import { eventually } from './process';
import type { ApiCustomer, TenantPlatform } from './tenant-platform';

/**
 * What a customer does for its archive outside the panel, with its own token and bucket: set it
 * through the API, read the challenge token from the bucket and send it back, then wait for the
 * archiver's first objects. The panel spec watches each step show up in the page.
 */
export class CustomerArchiveSteps {
  readonly s3Config: S3DevConfig = loadS3DevConfig();
  readonly bucket: string;
  private readonly s3: S3Client = testS3Client(this.s3Config);

  constructor(
    private readonly platform: TenantPlatform,
    private readonly customer: ApiCustomer,
  ) {
    this.bucket = `${customer.id}-logs`;
  }

  /** Creates the bucket and PUTs the archive settings (objects of `maxLines` lines). */
  async configure(pathPrefix: string, maxLines: number): Promise<void> {
    await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket }));
    const put = await this.platform.api
      .http()
      .put(`/v1/customers/${this.customer.id}/archive`)
      .set(this.customer.auth)
      .send({
        endpoint: this.s3Config.endpoint,
        bucket: this.bucket,
        pathPrefix,
        accessKeyId: this.s3Config.accessKeyId,
        secretAccessKey: this.s3Config.secretAccessKey,
        flush: { intervalSeconds: 30, maxLines },
      });
    if (put.status !== 200) throw new Error(`PUT archive answered ${put.status}: ${put.text}`);
  }

  /** Reads the token in the challenge object `key` and proves the bucket with it. */
  async prove(key: string): Promise<void> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const token = /lsv_[A-Za-z0-9_-]+/.exec(await object.Body!.transformToString())?.[0];
    if (!token) throw new Error(`no token in s3://${this.bucket}/${key}`);
    const verified = await this.platform.api
      .http()
      .post(`/v1/customers/${this.customer.id}/archive/verify`)
      .set(this.customer.auth)
      .send({ token });
    if (verified.status !== 200) {
      throw new Error(`verify answered ${verified.status}: ${verified.text}`);
    }
  }

  /** Until `archiver` holds partitions of the group. */
  async archiverReading(archiver: AppProcess): Promise<void> {
    await archiver.waitForLog(
      (l) =>
        l.msg === 'archiver joined the group' &&
        Object.values((l.assignment ?? {}) as Record<string, number[]>).some((p) => p.length > 0),
      'the archiver reading the topic',
      60_000,
    );
  }

  /** Until the API counts a stored object; the failure shows the status and the archiver's log. */
  async firstObjectsStored(archiver: AppProcess): Promise<void> {
    await eventually(
      async () => {
        const res = await this.platform.api
          .http()
          .get(`/v1/customers/${this.customer.id}/archive`)
          .set(this.customer.auth);
        const status = (res.body as { status: { uploadsOk: number } }).status;
        if (status.uploadsOk > 0) return true;
        throw new Error(`${JSON.stringify(status)}\n${archiver.raw.slice(-10).join('\n')}`);
      },
      'the first objects stored',
      60_000,
    );
  }

  close(): void {
    this.s3.destroy();
  }
}
