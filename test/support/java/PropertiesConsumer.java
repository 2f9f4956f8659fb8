import java.io.FileInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A plain Java Kafka consumer configured only by a bundle's client.properties (as the Kafka CLI
 * tools would be): java -cp 'kafka/lib/*' PropertiesConsumer.java client.properties TOPIC N MS
 * prints the values of the first N records of TOPIC, one per line; exit 0 when it saw N within
 * MS milliseconds, 3 when not.
 */
public class PropertiesConsumer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    props.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    int expected = Integer.parseInt(args[2]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[3]);
    int seen = 0;
    try (KafkaConsumer<byte[], String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(args[1]));
      while (seen < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], String> record : consumer.poll(Duration.ofMillis(500))) {
          System.out.println(record.value());
          seen++;
        }
      }
      consumer.commitSync();
    }
    System.exit(seen >= expected ? 0 : 3);
  }
}
