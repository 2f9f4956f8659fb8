/*
 * The edge producer's hot path in C: one call hands librdkafka every routed line of a chunk.
 *
 * Why not node-rdkafka's produce(): it crosses into C++ once per line, converts the topic name
 * to a std::string, allocates an empty header list, and librdkafka then finds the topic by name
 * with a linear scan over every topic the client knows (1,000 customers: ~2 us a line). Here a
 * topic is looked up once, when its slot is registered, and a chunk of lines costs one crossing.
 *
 * It links against the librdkafka that node-rdkafka builds, so the process holds one copy.
 * Here: create, topic slots, produce and poll; producer-events.c has librdkafka's callbacks,
 * producer-lifecycle.c flush and close, napi-args.c argument reading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge-producer.h"

/* create(config: [key, value, key, value, ...]) -> producer handle */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t n = 0;
  if (argc < 1 || napi_get_array_length(env, argv[0], &n) != napi_ok || n % 2) {
    napi_throw_type_error(env, NULL, "create() takes an array of key, value strings");
    return NULL;
  }
  char errstr[MESSAGE_MAX];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  for (uint32_t i = 0; i < n; i += 2) {
    char key[256], value[8192], what[320];
    napi_value k, v;
    if (napi_get_element(env, argv[0], i, &k) != napi_ok ||
        napi_get_element(env, argv[0], i + 1, &v) != napi_ok) {
      rd_kafka_conf_destroy(conf);
      napi_throw_type_error(env, NULL, "create(): every key and value must be a string");
      return NULL;
    }
    if (!read_string(env, k, key, sizeof key, "create(): a property name")) {
      rd_kafka_conf_destroy(conf);
      return NULL;
    }
    snprintf(what, sizeof what, "create(): the value of %s", key);
    if (!read_string(env, v, value, sizeof value, what)) {
      rd_kafka_conf_destroy(conf);
      return NULL;
    }
    if (rd_kafka_conf_set(conf, key, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      napi_throw_error(env, "ERR__INVALID_ARG", errstr);
      return NULL;
    }
  }
  producer_t *p = calloc(1, sizeof *p);
  if (!p) {
    rd_kafka_conf_destroy(conf);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&p->lock, NULL);
  rd_kafka_conf_set_opaque(conf, p);
  set_event_callbacks(conf);
  p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!p->rk) { /* rd_kafka_new() destroyed nothing on failure: conf is still ours */
    rd_kafka_conf_destroy(conf);
    pthread_mutex_destroy(&p->lock);
    free(p);
    napi_throw_error(env, NULL, errstr);
    return NULL;
  }
  napi_value handle;
  CHECK(env, napi_create_external(env, p, finalize_producer, NULL, &handle));
  return handle;
}

/* addTopic(p, name) -> slot: the index later produce() calls use for this topic */
static napi_value add_topic(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  producer_t *p = producer_call(env, info, 2, argv);
  if (!p) return NULL;
  char name[256];
  if (!read_string(env, argv[1], name, sizeof name, "addTopic(): the topic name")) return NULL;
  if (p->topic_count == p->topic_capacity) {
    uint32_t capacity = p->topic_capacity ? p->topic_capacity * 2 : 64;
    rd_kafka_topic_t **grown = realloc(p->topics, capacity * sizeof *grown);
    if (!grown) {
      napi_throw_error(env, NULL, "out of memory");
      return NULL;
    }
    p->topics = grown;
    p->topic_capacity = capacity;
  }
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(p->rk, name, NULL);
  if (!rkt) {
    napi_throw_error(env, NULL, rd_kafka_err2str(rd_kafka_last_error()));
    return NULL;
  }
  p->topics[p->topic_count] = rkt;
  napi_value slot;
  CHECK(env, napi_create_uint32(env, p->topic_count++, &slot));
  return slot;
}

/*
 * produce(p, buf, slots: Uint32Array, starts: Uint32Array, ends: Uint32Array, from, to, key)
 * Hands lines from..to-1, each buf[starts[i], ends[i]) to the topic in slots[i], to librdkafka
 * (which copies them). Returns the index of the first line not taken: `to` when all were, less
 * when the local queue is full (the caller waits and calls again from there).
 */
static napi_value produce_lines(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  producer_t *p = producer_call(env, info, 8, argv);
  if (!p) return NULL;
  char *buf;
  size_t buf_len, n_slots, n_starts, n_ends, key_len;
  void *key;
  uint32_t from, to;
  uint32_t *slots = typed_array_data(env, argv[2], napi_uint32_array, &n_slots);
  uint32_t *starts = typed_array_data(env, argv[3], napi_uint32_array, &n_starts);
  uint32_t *ends = typed_array_data(env, argv[4], napi_uint32_array, &n_ends);
  if (napi_get_buffer_info(env, argv[1], (void **)&buf, &buf_len) != napi_ok || !slots ||
      !starts || !ends || napi_get_value_uint32(env, argv[5], &from) != napi_ok ||
      napi_get_value_uint32(env, argv[6], &to) != napi_ok ||
      napi_get_buffer_info(env, argv[7], &key, &key_len) != napi_ok || from > to ||
      to > n_slots || to > n_starts || to > n_ends) {
    napi_throw_type_error(env, NULL, "produce(): bad arguments");
    return NULL;
  }
  uint32_t i = from;
  for (; i < to; i++) {
    uint32_t slot = slots[i], start = starts[i], end = ends[i];
    if (slot >= p->topic_count || start > end || end > buf_len) {
      napi_throw_range_error(env, NULL, "produce(): a line lies outside its buffer or slot");
      return NULL;
    }
    if (rd_kafka_produce(p->topics[slot], RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                         buf + start, end - start, key, key_len, NULL) == -1) {
      rd_kafka_resp_err_t err = rd_kafka_last_error();
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
      p->refused++;
      copy_message(p->refused_error, rd_kafka_err2str(err));
    }
  }
  napi_value next;
  CHECK(env, napi_create_uint32(env, i, &next));
  return next;
}

/* poll(p): serves delivery reports and other callbacks; never blocks. */
static napi_value poll_producer(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  producer_t *p = producer_call(env, info, 1, argv);
  if (!p) return NULL;
  rd_kafka_poll(p->rk, 0);
  return NULL;
}

/* outqLen(p): lines handed over and not yet acknowledged or failed. */
static napi_value outq_len(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  producer_t *p = producer_call(env, info, 1, argv);
  if (!p) return NULL;
  napi_value n;
  CHECK(env, napi_create_int32(env, rd_kafka_outq_len(p->rk), &n));
  return n;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
      {"create", NULL, create, NULL, NULL, NULL, napi_default, NULL},
      {"addTopic", NULL, add_topic, NULL, NULL, NULL, napi_default, NULL},
      {"produce", NULL, produce_lines, NULL, NULL, NULL, napi_default, NULL},
      {"poll", NULL, poll_producer, NULL, NULL, NULL, napi_default, NULL},
      {"outqLen", NULL, outq_len, NULL, NULL, NULL, napi_default, NULL},
      {"takeEvents", NULL, take_events, NULL, NULL, NULL, napi_default, NULL},
      {"flush", NULL, flush_producer, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_producer, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods));
  napi_value version;
  CHECK(env, napi_create_string_utf8(env, rd_kafka_version_str(), NAPI_AUTO_LENGTH, &version));
  CHECK(env, napi_set_named_property(env, exports, "librdkafkaVersion", version));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
