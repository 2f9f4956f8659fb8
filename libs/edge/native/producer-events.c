/*
 * librdkafka's callbacks. They run inside rd_kafka_poll() on the JS thread or inside
 * rd_kafka_flush() on a worker thread, so what they record is behind the producer's lock;
 * takeEvents() hands it to JS and resets it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "edge-producer.h"

void copy_message(char *to, const char *from) {
  snprintf(to, MESSAGE_MAX, "%s", from ? from : "");
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  producer_t *p = opaque;
  if (!m->err) return; /* delivery.report.only.error makes this rare anyway */
  pthread_mutex_lock(&p->lock);
  p->delivery_errors++;
  copy_message(p->delivery_error, rd_kafka_err2str(m->err));
  pthread_mutex_unlock(&p->lock);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
  producer_t *p = opaque;
  char fatal_reason[MESSAGE_MAX];
  int fatal = err == RD_KAFKA_RESP_ERR__FATAL;
  if (fatal) rd_kafka_fatal_error(rk, fatal_reason, sizeof fatal_reason);
  pthread_mutex_lock(&p->lock);
  p->errors++;
  copy_message(p->error, fatal ? fatal_reason : reason);
  if (fatal) p->fatal = 1;
  pthread_mutex_unlock(&p->lock);
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
  producer_t *p = rd_kafka_opaque(rk);
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  if (p->log_count < LOG_KEEP) {
    p->log_levels[p->log_count] = level;
    snprintf(p->log_lines[p->log_count], MESSAGE_MAX, "%s: %s", fac ? fac : "", buf ? buf : "");
    p->log_count++;
  } else {
    p->logs_skipped++;
  }
  pthread_mutex_unlock(&p->lock);
}

static int on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque) {
  (void)rk;
  (void)len;
  producer_t *p = opaque;
  pthread_mutex_lock(&p->lock);
  free(p->stats);
  p->stats = json; /* returning 1 keeps the buffer: we free it */
  pthread_mutex_unlock(&p->lock);
  return 1;
}

void set_event_callbacks(rd_kafka_conf_t *conf) {
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_error_cb(conf, on_error);
  rd_kafka_conf_set_stats_cb(conf, on_stats);
  rd_kafka_conf_set_log_cb(conf, on_log);
}

static int set_number(napi_env env, napi_value o, const char *name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok &&
         napi_set_named_property(env, o, name, v) == napi_ok;
}

static int set_text(napi_env env, napi_value o, const char *name, const char *text) {
  napi_value v = NULL;
  if (text && *text) v = string_value(env, text);
  else napi_get_null(env, &v);
  return v && napi_set_named_property(env, o, name, v) == napi_ok;
}

/*
 * takeEvents(p) -> { deliveryErrors, deliveryError, errors, error, fatal, refused,
 * refusedError, stats }: what happened since the last call (counts reset, texts cleared).
 */
napi_value take_events(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  producer_t *p = producer_call(env, info, 1, argv);
  if (!p) return NULL;
  napi_value o;
  CHECK(env, napi_create_object(env, &o));
  pthread_mutex_lock(&p->lock);
  int ok = set_number(env, o, "deliveryErrors", p->delivery_errors) &&
           set_text(env, o, "deliveryError", p->delivery_error) &&
           set_number(env, o, "errors", p->errors) && set_text(env, o, "error", p->error) &&
           set_number(env, o, "fatal", p->fatal) &&
           set_number(env, o, "refused", p->refused) &&
           set_text(env, o, "refusedError", p->refused_error) &&
           set_text(env, o, "stats", p->stats) &&
           set_number(env, o, "logsSkipped", p->logs_skipped);
  napi_value logs = NULL;
  ok = ok && napi_create_array_with_length(env, p->log_count, &logs) == napi_ok;
  for (uint32_t i = 0; ok && i < p->log_count; i++) {
    napi_value entry;
    ok = napi_create_object(env, &entry) == napi_ok &&
         set_number(env, entry, "level", p->log_levels[i]) &&
         set_text(env, entry, "message", p->log_lines[i]) &&
         napi_set_element(env, logs, i, entry) == napi_ok;
  }
  ok = ok && napi_set_named_property(env, o, "logs", logs) == napi_ok;
  p->log_count = 0;
  p->logs_skipped = 0;
  p->delivery_errors = p->errors = p->refused = 0;
  p->delivery_error[0] = p->error[0] = p->refused_error[0] = '\0';
  free(p->stats);
  p->stats = NULL;
  pthread_mutex_unlock(&p->lock);
  if (!ok) {
    napi_throw_error(env, NULL, "takeEvents(): could not build the result");
    return NULL;
  }
  return o;
}
