# confluent-kafka, run in the unzipped credentials bundle folder.
import sys

from confluent_kafka import Consumer

consumer = Consumer({
    "bootstrap.servers": "{{bootstrap}}",
    "security.protocol": "SSL",
    "ssl.ca.location": "ca.pem",
    "ssl.certificate.location": "client.pem",
    "ssl.key.location": "client.key",
    "group.id": "{{group.python}}",
    "auto.offset.reset": "earliest",
})
consumer.subscribe(["{{topic}}"])
try:
    while True:
        msg = consumer.poll(1.0)
        if msg is not None and not msg.error():
            sys.stdout.buffer.write(msg.value() + b"\n")
finally:
    consumer.close()
