package dev.logstream.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.server.quota.ClientQuotaCallback;
import org.apache.kafka.server.quota.ClientQuotaEntity;
import org.apache.kafka.server.quota.ClientQuotaType;

/**
 * Client quotas per customer, not per credential (KIP-257).
 *
 * <p>A customer's credentials map to principals {@code customer.<customerId>.<credentialId>}
 * (server.properties' ssl.principal.mapping.rules). Kafka's own callback keys quotas by the whole
 * principal, so a customer with ten credentials would get ten quotas. Here every principal of a
 * customer shares one sensor, tagged {@code user=customer.<customerId>}, whose limit is the quota
 * of the user entity {@code customer.<customerId>} (set with AlterClientQuotas) or else the
 * default user entity's. Every other principal (the platform's own: edge nodes, archiver,
 * provisioner, the broker itself) is never throttled, whatever the default says. Client-id
 * entities are ignored: a customer chooses its client ids, so they cannot bound it.
 */
public final class CustomerQuotaCallback implements ClientQuotaCallback {
  static final String CUSTOMER_PREFIX = "customer.";
  static final String USER_TAG = "user";
  static final String CLIENT_ID_TAG = "client-id";
  /** Platform principals' tag prefix, which no user entity can match. */
  static final String PLATFORM_PREFIX = "platform:";

  /** Quota type -> user entity name (customer.<id>) -> limit. */
  private final Map<ClientQuotaType, Map<String, Double>> overrides = new ConcurrentHashMap<>();
  /** Quota type -> the default user entity's limit. */
  private final Map<ClientQuotaType, Double> defaults = new ConcurrentHashMap<>();

  @Override
  public void configure(Map<String, ?> configs) {}

  /**
   * {@code customer.<customerId>} for a customer principal (ids hold no dot, so the first dot
   * after the prefix ends the id), null for any other.
   */
  static String customerKey(String principalName) {
    if (!principalName.startsWith(CUSTOMER_PREFIX)) return null;
    int dot = principalName.indexOf('.', CUSTOMER_PREFIX.length());
    if (dot <= CUSTOMER_PREFIX.length() || dot == principalName.length() - 1) return null;
    return principalName.substring(0, dot);
  }

  @Override
  public Map<String, String> quotaMetricTags(
      ClientQuotaType quotaType, KafkaPrincipal principal, String clientId) {
    String customer = customerKey(principal.getName());
    // The tag names are Kafka's own (user, client-id), so its metrics read as usual.
    String user = customer != null ? customer : PLATFORM_PREFIX + principal.getName();
    return Map.of(USER_TAG, user, CLIENT_ID_TAG, "");
  }

  @Override
  public Double quotaLimit(ClientQuotaType quotaType, Map<String, String> metricTags) {
    String user = metricTags.get(USER_TAG);
    if (user == null || !user.startsWith(CUSTOMER_PREFIX)) return null;
    Double own = overrides.getOrDefault(quotaType, Map.of()).get(user);
    if (own != null) return own;
    Double fallback = defaults.get(quotaType);
    // Unlimited as a number, not null: Kafka only rewrites a sensor's bound for a non-null
    // limit, so a removed quota must read as Long.MAX_VALUE to lift the old bound.
    return fallback != null ? fallback : (double) Long.MAX_VALUE;
  }

  @Override
  public void updateQuota(ClientQuotaType quotaType, ClientQuotaEntity entity, double newValue) {
    apply(quotaType, entity, newValue);
  }

  @Override
  public void removeQuota(ClientQuotaType quotaType, ClientQuotaEntity entity) {
    apply(quotaType, entity, null);
  }

  private void apply(ClientQuotaType quotaType, ClientQuotaEntity entity, Double value) {
    if (entity.configEntities().size() != 1) return; // <user, client-id> pairs: ignored
    ClientQuotaEntity.ConfigEntity only = entity.configEntities().get(0);
    switch (only.entityType()) {
      case USER -> {
        Map<String, Double> byUser =
            overrides.computeIfAbsent(quotaType, t -> new ConcurrentHashMap<>());
        if (value == null) byUser.remove(only.name());
        else byUser.put(only.name(), value);
      }
      case DEFAULT_USER -> {
        if (value == null) defaults.remove(quotaType);
        else defaults.put(quotaType, value);
      }
      default -> {} // client-id quotas: a customer picks its client ids, so they bound nothing
    }
  }

  /** Kafka re-reads every sensor's limit after each update already. */
  @Override
  public boolean quotaResetRequired(ClientQuotaType quotaType) {
    return false;
  }

  @Override
  public boolean updateClusterMetadata(Cluster cluster) {
    return false;
  }

  @Override
  public void close() {}
}
