// kafkajs 2.2 on Node 18+, run in the unzipped credentials bundle folder. Logstream compresses
// with lz4 (or zstd): examples/consumer.mjs shows how to plug in their decoders.
import { readFileSync } from 'node:fs';
import { Kafka } from 'kafkajs';

const kafka = new Kafka({
  brokers: '{{bootstrap}}'.split(','),
  ssl: {
    ca: [readFileSync('ca.pem', 'utf8')],
    cert: readFileSync('client.pem', 'utf8'),
    key: readFileSync('client.key', 'utf8'),
  },
});
const consumer = kafka.consumer({ groupId: '{{group.node}}' });
await consumer.connect();
await consumer.subscribe({ topics: ['{{topic}}'], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    process.stdout.write(`${message.value}\n`);
  },
});
