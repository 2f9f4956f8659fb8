/*
 * The edge producer's hot path in C: one call hands librdkafka every routed line of a chunk.
 *
 * Why not node-rdkafka's produce(): it crosses into C++ once per line, converts the topic name
 * to a std::string, allocates an empty header list, and librdkafka then finds the topic by name
 * with a linear scan over every topic the client knows (1,000 customers: ~2 us a line). Here a
 * topic is looked up once, when its slot is registered, and a chunk of lines costs one crossing.
 *
 * It links against the librdkafka that node-rdkafka builds, so the process holds one copy.
 * Callbacks (delivery errors, errors, statistics) run inside rd_kafka_poll()/rd_kafka_flush();
 * flush runs on a worker thread, so the state they write is behind a mutex.
 */
#include <librdkafka/rdkafka.h>
#include <node_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_MAX 512
/* librdkafka log lines kept between two takeEvents() calls; later ones are counted, not kept. */
#define LOG_KEEP 16

typedef struct {
  rd_kafka_t *rk;
  rd_kafka_topic_t **topics;
  uint32_t topic_count;
  uint32_t topic_capacity;
  pthread_mutex_t lock;
  /* Written by callbacks, read and reset by take_events(); under lock. */
  double delivery_errors;
  char delivery_error[MESSAGE_MAX];
  double errors;
  char error[MESSAGE_MAX];
  int fatal;
  char *stats;
  /* librdkafka's own log lines (level, facility, text), handed to JS to log in its format. */
  int log_levels[LOG_KEEP];
  char log_lines[LOG_KEEP][MESSAGE_MAX];
  uint32_t log_count;
  double logs_skipped;
  /* Lines librdkafka refused outright (not queue-full); JS thread only. */
  double refused;
  char refused_error[MESSAGE_MAX];
  /* Flushes running on worker threads, and a close() waiting for them; JS thread only. A flush
   * uses rk off the JS thread, so rk is destroyed only once none is running. */
  uint32_t flushing;
  int closed;
} producer_t;

#define CHECK(env, call)                                                                      \
  do {                                                                                        \
    if ((call) != napi_ok) {                                                                  \
      napi_throw_error((env), NULL, "logstream-edge-native: N-API call failed: " #call);       \
      return NULL;                                                                            \
    }                                                                                         \
  } while (0)

static void copy_message(char *to, const char *from) {
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

static void destroy_producer(producer_t *p) {
  if (!p->rk) return;
  for (uint32_t i = 0; i < p->topic_count; i++) rd_kafka_topic_destroy(p->topics[i]);
  free(p->topics);
  p->topics = NULL;
  p->topic_count = p->topic_capacity = 0;
  rd_kafka_destroy(p->rk);
  p->rk = NULL;
}

static void finalize_producer(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  producer_t *p = data;
  destroy_producer(p);
  free(p->stats);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

static producer_t *unwrap(napi_env env, napi_value value) {
  producer_t *p = NULL;
  if (napi_get_value_external(env, value, (void **)&p) != napi_ok || !p) {
    napi_throw_type_error(env, NULL, "expected a producer handle");
    return NULL;
  }
  if (p->closed || !p->rk) {
    napi_throw_error(env, NULL, "the producer is closed");
    return NULL;
  }
  return p;
}

/*
 * Reads a JS string into `to` (size bytes with the terminator). A string that does not fit is an
 * error, never cut short: a truncated property value or topic name would silently mean another.
 */
static int read_string(napi_env env, napi_value v, char *to, size_t size, const char *what) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    char message[MESSAGE_MAX];
    snprintf(message, sizeof message, "%s must be a string", what);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  if (len >= size) {
    char message[MESSAGE_MAX];
    snprintf(message, sizeof message, "%s is %zu bytes long; at most %zu are supported", what, len,
             size - 1);
    napi_throw_error(env, "ERR__INVALID_ARG", message);
    return 0;
  }
  return napi_get_value_string_utf8(env, v, to, size, &len) == napi_ok;
}

/* The arguments of a call whose first argument is a producer: exactly `n`, or a TypeError. */
static producer_t *producer_call(napi_env env, napi_callback_info info, size_t n,
                                 napi_value *argv) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != n) {
    napi_throw_type_error(env, NULL, "wrong number of arguments");
    return NULL;
  }
  return unwrap(env, argv[0]);
}

static napi_value string_value(napi_env env, const char *s) {
  napi_value v;
  if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
  return v;
}

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
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_error_cb(conf, on_error);
  rd_kafka_conf_set_stats_cb(conf, on_stats);
  rd_kafka_conf_set_log_cb(conf, on_log);
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

static void *typed_array_data(napi_env env, napi_value v, napi_typedarray_type want, size_t *n) {
  napi_typedarray_type type;
  void *data = NULL;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, n, &data, &buffer, &offset) != napi_ok ||
      type != want)
    return NULL;
  return data;
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
static napi_value take_events(napi_env env, napi_callback_info info) {
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

typedef struct {
  producer_t *p;
  int timeout_ms;
  rd_kafka_resp_err_t err;
  napi_ref callback;
  /* Keeps the handle (and so p) from being collected while the flush runs. */
  napi_ref handle;
  napi_async_work work;
} flush_t;

static void flush_execute(napi_env env, void *data) {
  (void)env;
  flush_t *f = data;
  f->err = rd_kafka_flush(f->p->rk, f->timeout_ms);
}

static void flush_complete(napi_env env, napi_status status, void *data) {
  flush_t *f = data;
  napi_value callback, global, arg;
  if (napi_get_reference_value(env, f->callback, &callback) == napi_ok &&
      napi_get_global(env, &global) == napi_ok) {
    const char *error = status != napi_ok ? "flush was cancelled"
                        : f->err          ? rd_kafka_err2str(f->err)
                                          : NULL;
    if (error) arg = string_value(env, error);
    else napi_get_null(env, &arg);
    napi_call_function(env, global, callback, 1, &arg, NULL);
  }
  producer_t *p = f->p;
  p->flushing--;
  /* A close() that came while this flush ran is carried out now that no thread uses rk. */
  if (p->closed && p->flushing == 0) destroy_producer(p);
  napi_delete_reference(env, f->callback);
  napi_delete_reference(env, f->handle);
  napi_delete_async_work(env, f->work);
  free(f);
}

/* flush(p, timeoutMs, callback(error: string | null)): waits, off the event loop, until every
 * line handed over is acknowledged or failed; lingering batches are sent at once. */
static napi_value flush_producer(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  producer_t *p = producer_call(env, info, 3, argv);
  if (!p) return NULL;
  flush_t *f = calloc(1, sizeof *f);
  if (!f) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  f->p = p;
  napi_value name = string_value(env, "logstream-edge-flush");
  if (napi_get_value_int32(env, argv[1], &f->timeout_ms) != napi_ok || !name ||
      napi_create_reference(env, argv[2], 1, &f->callback) != napi_ok) {
    free(f);
    napi_throw_type_error(env, NULL, "flush(): bad arguments");
    return NULL;
  }
  if (napi_create_reference(env, argv[0], 1, &f->handle) != napi_ok) {
    napi_delete_reference(env, f->callback);
    free(f);
    napi_throw_error(env, NULL, "flush(): could not hold the handle");
    return NULL;
  }
  if (napi_create_async_work(env, NULL, name, flush_execute, flush_complete, f, &f->work) !=
          napi_ok ||
      napi_queue_async_work(env, f->work) != napi_ok) {
    napi_delete_reference(env, f->callback);
    napi_delete_reference(env, f->handle);
    free(f);
    napi_throw_error(env, NULL, "flush(): could not start the work");
    return NULL;
  }
  p->flushing++;
  return NULL;
}

/* close(p): releases the topics and the client; lines still queued are dropped (flush first).
 * While a flush runs the handle is only marked closed (every later call throws) and the client
 * is released when the last flush has called back: a worker thread may still be inside rk. */
static napi_value close_producer(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  producer_t *p = producer_call(env, info, 1, argv);
  if (!p) return NULL;
  p->closed = 1;
  if (p->flushing == 0) destroy_producer(p);
  return NULL;
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
