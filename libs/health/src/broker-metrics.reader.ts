import { addTopicBytes, type TopicBytes } from './broker-topic-bytes.rules';

/**
 * Scrapes every broker's Prometheus JMX exporter (per-topic bytes in and out) and sums them by
 * topic. All or nothing: with one broker unanswered, the sums (and so the rates) would be wrong,
 * so the collection gets no broker figures instead.
 */
export class BrokerMetricsReader {
  /** Why the last scrape gave nothing, if it did. */
  lastError: string | null = null;

  constructor(
    private readonly urls: readonly string[],
    private readonly timeoutMs = 2_000,
  ) {}

  async topicBytes(): Promise<Map<string, TopicBytes> | undefined> {
    if (this.urls.length === 0) return undefined;
    const into = new Map<string, TopicBytes>();
    try {
      const texts = await Promise.all(
        this.urls.map(async (url) => {
          const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
          if (!res.ok) throw new Error(`${url} answered ${res.status}`);
          return res.text();
        }),
      );
      for (const text of texts) addTopicBytes(text, into);
      this.lastError = null;
      return into;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      return undefined;
    }
  }
}
