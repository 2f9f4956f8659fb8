package dev.logstream.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.server.quota.ClientQuotaEntity;
import org.apache.kafka.server.quota.ClientQuotaType;
import org.junit.jupiter.api.Test;

class CustomerQuotaCallbackTest {
  private static ClientQuotaEntity entity(ClientQuotaEntity.ConfigEntityType type, String name) {
    ClientQuotaEntity.ConfigEntity one =
        new ClientQuotaEntity.ConfigEntity() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public ClientQuotaEntity.ConfigEntityType entityType() {
            return type;
          }
        };
    return () -> List.of(one);
  }

  private static Map<String, String> tags(CustomerQuotaCallback cb, String principal) {
    return cb.quotaMetricTags(
        ClientQuotaType.FETCH, new KafkaPrincipal(KafkaPrincipal.USER_TYPE, principal), "any");
  }

  @Test
  void credentialsOfOneCustomerShareTags() {
    CustomerQuotaCallback cb = new CustomerQuotaCallback();
    assertEquals(tags(cb, "customer.acme.c1"), tags(cb, "customer.acme.c2"));
    assertEquals("customer.acme", tags(cb, "customer.acme.c1").get("user"));
    assertEquals("", tags(cb, "customer.acme.c1").get("client-id"));
  }

  @Test
  void malformedAndPlatformPrincipalsAreNotCustomers() {
    assertNull(CustomerQuotaCallback.customerKey("logstream-edge"));
    assertNull(CustomerQuotaCallback.customerKey("customer.acme"));
    assertNull(CustomerQuotaCallback.customerKey("customer..c1"));
    assertNull(CustomerQuotaCallback.customerKey("customer.acme."));
    assertEquals("customer.a-b", CustomerQuotaCallback.customerKey("customer.a-b.c1"));
  }

  @Test
  void overrideThenDefaultThenUnlimited() {
    CustomerQuotaCallback cb = new CustomerQuotaCallback();
    Map<String, String> acme = tags(cb, "customer.acme.c1");
    assertEquals((double) Long.MAX_VALUE, cb.quotaLimit(ClientQuotaType.FETCH, acme));
    cb.updateQuota(
        ClientQuotaType.FETCH, entity(ClientQuotaEntity.ConfigEntityType.DEFAULT_USER, "<default>"), 1000);
    assertEquals(1000.0, cb.quotaLimit(ClientQuotaType.FETCH, acme));
    cb.updateQuota(
        ClientQuotaType.FETCH, entity(ClientQuotaEntity.ConfigEntityType.USER, "customer.acme"), 50);
    assertEquals(50.0, cb.quotaLimit(ClientQuotaType.FETCH, acme));
    assertEquals(1000.0, cb.quotaLimit(ClientQuotaType.FETCH, tags(cb, "customer.other.c1")));
    assertEquals((double) Long.MAX_VALUE, cb.quotaLimit(ClientQuotaType.REQUEST, acme));
    cb.removeQuota(
        ClientQuotaType.FETCH, entity(ClientQuotaEntity.ConfigEntityType.USER, "customer.acme"));
    assertEquals(1000.0, cb.quotaLimit(ClientQuotaType.FETCH, acme));
  }

  @Test
  void platformPrincipalsAreNeverThrottled() {
    CustomerQuotaCallback cb = new CustomerQuotaCallback();
    cb.updateQuota(
        ClientQuotaType.FETCH, entity(ClientQuotaEntity.ConfigEntityType.DEFAULT_USER, "<default>"), 1000);
    // Even a user entity named like the platform tag does not reach it.
    cb.updateQuota(
        ClientQuotaType.FETCH, entity(ClientQuotaEntity.ConfigEntityType.USER, "platform:logstream-edge"), 1);
    assertNull(cb.quotaLimit(ClientQuotaType.FETCH, tags(cb, "logstream-edge")));
    assertNull(cb.quotaLimit(ClientQuotaType.FETCH, tags(cb, "ANONYMOUS")));
  }
}
