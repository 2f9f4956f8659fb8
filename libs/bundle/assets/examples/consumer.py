#!/usr/bin/env python3
"""Logstream: prints the access-log lines of this bundle's customer, one per line.

The topic, servers and group prefix come from ../client.properties; see ../README.md.
Needs confluent-kafka: "apt install python3-confluent-kafka" (Debian, Ubuntu) or
"pip install confluent-kafka". Run "python3 examples/consumer.py --help" for the options.
"""
import argparse
import datetime
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
    parser.add_argument("--topic", default=TOPIC, metavar="NAME",
                        help="topic to read (default %s, the only one this credential reads)" % TOPIC)
    args = parser.parse_args()
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
                out.write(msg.value() + b"\n")
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
