#!/usr/bin/env python3
"""Logstream: prints the access-log lines of this bundle's customer, one per line, or with
--stats the traffic statistics Logstream computes from them, one line per window.

The topic, servers and group prefix come from ../client.properties; see ../README.md.
Needs confluent-kafka: "apt install python3-confluent-kafka" (Debian, Ubuntu) or
"pip install confluent-kafka". Run "python3 examples/consumer.py --help" for the options.
"""
import argparse
import datetime
import json
import os
import signal
import sys

try:
    from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, Consumer, KafkaError
except ImportError:
    sys.exit("consumer.py: confluent-kafka is not installed "
             "(apt install python3-confluent-kafka, or pip install confluent-kafka)")

# The unzipped bundle folder, wherever it is and wherever this script is run from.
BUNDLE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bundle_settings():
    """client.properties' keys, and the "#@ name=value" lines Logstream writes there for the
    examples (Java reads those as comments)."""
    path = os.path.join(BUNDLE_DIR, "client.properties")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as err:
        sys.exit("consumer.py: cannot read the bundle settings: %s" % err)
    settings = {}
    for line in lines:
        if line.startswith("#@ "):
            line = line[3:]
        name, eq, value = line.partition("=")
        if line.startswith("#") or not eq or not name:
            continue
        settings[name.strip()] = value.strip()
    for name in ("bootstrap.servers", "topic", "group.prefix"):
        if not settings.get(name):
            sys.exit("consumer.py: %s is missing from %s" % (name, path))
    return settings


SETTINGS = bundle_settings()
BOOTSTRAP_SERVERS = SETTINGS["bootstrap.servers"]
TOPIC = SETTINGS["topic"]
GROUP_PREFIX = SETTINGS["group.prefix"]
DEFAULT_GROUP = GROUP_PREFIX + "python"
# Bundles made before statistics existed have no stats.topic: --stats says so.
STATS_TOPIC = SETTINGS.get("stats.topic")

# Errors that retrying will not cure: report them and stop.
FATAL_CODES = {
    getattr(KafkaError, name)
    for name in (
        "TOPIC_AUTHORIZATION_FAILED",
        "GROUP_AUTHORIZATION_FAILED",
        "CLUSTER_AUTHORIZATION_FAILED",
        "UNKNOWN_TOPIC_OR_PART",
        "_UNKNOWN_TOPIC",
        "_AUTHENTICATION",
        "_SSL",
        "_INVALID_ARG",
    )
    if hasattr(KafkaError, name)
}


def epoch_ms(text):
    """ISO 8601 (no zone means local time) or Unix epoch milliseconds."""
    if text.isdigit():
        return int(text)
    try:
        # fromisoformat before Python 3.11 does not take a trailing Z.
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            "cannot read the time %r: give ISO 8601 (2025-01-31T12:00:00Z) or epoch milliseconds" % text)
    return int(parsed.timestamp() * 1000)


def positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("needs a positive whole number, got %r" % text)
    return int(text)


def window_line(value):
    """One statistics record (JSON, schema 1) as a line people read."""
    try:
        r = json.loads(value)
    except ValueError:
        return b"consumer.py: a statistics record that is not JSON: " + value[:200]
    if r.get("schema") != 1:
        return ("schema %s: this example reads schema 1; --json prints it as it is"
                % r.get("schema")).encode()
    classes = r.get("statusClass", {})
    top = r.get("top", {})

    def first(name):
        entries = top.get(name, {}).get("entries", [])
        return "%s (%d)" % (entries[0]["key"], entries[0]["count"]) if entries else "-"

    text = "%s %s%s requests=%d bytes=%d %s visitors~%d late=%d unparsed=%d host=%s path=%s" % (
        r.get("granularity"), r.get("windowStart"), "" if r.get("final") else " (open)",
        r.get("requests", 0), r.get("bytes", 0),
        " ".join("%s=%d" % (c, classes.get(c, 0)) for c in ("2xx", "3xx", "4xx", "5xx")),
        r.get("uniqueVisitors", {}).get("estimate", 0), r.get("late", 0), r.get("unparsed", 0),
        first("hosts"), first("paths"))
    return text.encode()


def parse_args():
    parser = argparse.ArgumentParser(
        prog="consumer.py",
        description="Prints every access-log line of %s on stdout, one per line, as it arrives. "
                    "Without --from-beginning or --from-time the group carries on where it stopped; "
                    "a new group starts at the oldest line the topic holds." % TOPIC)
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--from-beginning", action="store_true",
                       help="read again everything the topic still holds")
    start.add_argument("--from-time", type=epoch_ms, metavar="TIME",
                       help="start at the first line logged at or after TIME: ISO 8601 "
                            "(2025-01-31T12:00:00Z) or Unix epoch milliseconds")
    parser.add_argument("--group", default=DEFAULT_GROUP, metavar="ID",
                        help="consumer group (default %s); must start with %r" % (DEFAULT_GROUP, GROUP_PREFIX))
    parser.add_argument("--exit-at-end", action="store_true",
                        help="exit once every partition is read to its end, instead of waiting")
    parser.add_argument("--max-messages", type=positive, metavar="N", help="exit after N lines")
    parser.add_argument("--topic", default=None, metavar="NAME",
                        help="topic to read (default %s, or %s with --stats)" % (TOPIC, STATS_TOPIC))
    parser.add_argument("--stats", action="store_true",
                        help="print the traffic statistics instead of the lines: one line per "
                             "10 s and 1 min window (requests, bytes, status classes, visitors, "
                             "top host and path); a window printed again was updated")
    parser.add_argument("--json", action="store_true",
                        help="with --stats, print each statistics record as the JSON it is")
    args = parser.parse_args()
    if args.json and not args.stats:
        parser.error("--json goes with --stats")
    if args.stats and not STATS_TOPIC:
        parser.error("this bundle predates statistics (no stats.topic in client.properties): "
                     "issue a new credential to get one that has it")
    if args.topic is None:
        args.topic = STATS_TOPIC if args.stats else TOPIC
    if not args.group.startswith(GROUP_PREFIX) or args.group == GROUP_PREFIX:
        parser.error("the group id must start with %r (got %r)" % (GROUP_PREFIX, args.group))
    return args


def main():
    args = parse_args()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    def fail_on(err):
        if err.fatal() or err.code() in FATAL_CODES:
            raise SystemExit("consumer.py: %s" % err.str())
        print("consumer.py: %s (retrying)" % err.str(), file=sys.stderr)

    consumer = Consumer({
        "bootstrap.servers": BOOTSTRAP_SERVERS,
        "security.protocol": "SSL",
        "ssl.ca.location": os.path.join(BUNDLE_DIR, "ca.pem"),
        "ssl.certificate.location": os.path.join(BUNDLE_DIR, "client.pem"),
        "ssl.key.location": os.path.join(BUNDLE_DIR, "client.key"),
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.partition.eof": args.exit_at_end,
        # Statistics are written in transactions: read only what was committed.
        "isolation.level": "read_committed",
        "error_cb": fail_on,
    })
    assigned = set()
    at_end = set()
    positioned = set()

    def on_assign(c, partitions):
        # A replay moves each partition once, not again at every rebalance.
        fresh = [p for p in partitions if p.partition not in positioned]
        if args.from_beginning:
            for p in fresh:
                p.offset = OFFSET_BEGINNING
        elif args.from_time is not None and fresh:
            for p in fresh:
                p.offset = args.from_time
            found = {p.partition: p.offset for p in c.offsets_for_times(fresh, timeout=15)}
            for p in fresh:
                # No line at or after that time yet: start at the end.
                p.offset = found[p.partition] if found[p.partition] >= 0 else OFFSET_END
        positioned.update(p.partition for p in fresh)
        assigned.update(p.partition for p in partitions)
        c.assign(partitions)

    def on_revoke(c, partitions):
        for p in partitions:
            assigned.discard(p.partition)
            at_end.discard(p.partition)

    consumer.subscribe([args.topic], on_assign=on_assign, on_revoke=on_revoke)
    out = sys.stdout.buffer
    consumed = 0
    try:
        while not stopping:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(msg.partition())
                    if assigned and at_end >= assigned:
                        break
                    continue
                fail_on(msg.error())
                continue
            at_end.discard(msg.partition())
            if msg.value() is not None:
                text = msg.value() if not args.stats or args.json else window_line(msg.value())
                out.write(text + b"\n")
                out.flush()
            consumed += 1
            if args.max_messages is not None and consumed >= args.max_messages:
                break
    except KeyboardInterrupt:
        pass
    finally:
        # Commits the position of what was printed, so the group carries on from there.
        consumer.close()


if __name__ == "__main__":
    main()
