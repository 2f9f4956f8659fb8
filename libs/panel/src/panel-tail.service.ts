import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { LiveTailService } from './live-tail.service';
import { PanelPageService } from './panel-page.service';
import { MAX_FILTER_LENGTH, normaliseFilter, sseEvent } from './tail.rules';

/** The HTTP response a tail writes its server-sent events to. */
export interface SseResponse {
  /** Sends the status and the event-stream headers. */
  open(): void;
  write(chunk: string): void;
  end(): void;
  onClose(listener: () => void): void;
}

const HEARTBEAT_MS = 15_000;

/** A live tail over server-sent events: access checked first, then one tail per customer. */
@Injectable()
export class PanelTailService {
  constructor(
    @Inject(PanelPageService) private readonly pages: PanelPageService,
    @Inject(LiveTailService) private readonly tails: LiveTailService,
  ) {}

  async stream(
    principal: Principal,
    id: CustomerId,
    rawFilter: unknown,
    res: SseResponse,
  ): Promise<void> {
    // Before any header: another customer's tail answers the API's 404, word for word.
    await this.pages.assertVisible(principal, id);
    const filter = normaliseFilter(rawFilter);
    if (filter === undefined) {
      throw new BadRequestException(
        `the filter is text of at most ${MAX_FILTER_LENGTH} characters`,
      );
    }
    let closed = false;
    const running: { stop?: (reason: string) => void } = {};
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    res.onClose(() => {
      closed = true;
      clearInterval(heartbeat);
      running.stop?.('closed by the browser');
    });
    res.open();
    const handle = await this.tails.open(id, filter, {
      ready: (info) => res.write(sseEvent('ready', info)),
      line: (text) => res.write(sseEvent('line', { text })),
      sampling: (rate) => res.write(sseEvent('sampling', { rate })),
      end: (reason) => {
        clearInterval(heartbeat);
        if (closed) return;
        res.write(sseEvent('end', { reason }));
        res.end();
      },
    });
    running.stop = handle.stop;
    if (closed) handle.stop('closed by the browser');
  }
}
