/* What the edge producer's native files share: the producer's state and the helpers each uses. */
#ifndef LOGSTREAM_EDGE_PRODUCER_H
#define LOGSTREAM_EDGE_PRODUCER_H

#include <librdkafka/rdkafka.h>
#include <node_api.h>
#include <pthread.h>

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

/* producer-events.c: librdkafka's callbacks and the events they leave for takeEvents(). */
void copy_message(char *to, const char *from);
void set_event_callbacks(rd_kafka_conf_t *conf);
napi_value take_events(napi_env env, napi_callback_info info);

/* napi-args.c: reading a call's arguments; every failure has thrown a JS error. */
producer_t *producer_call(napi_env env, napi_callback_info info, size_t n, napi_value *argv);
int read_string(napi_env env, napi_value v, char *to, size_t size, const char *what);
void *typed_array_data(napi_env env, napi_value v, napi_typedarray_type want, size_t *n);
napi_value string_value(napi_env env, const char *s);

/* producer-lifecycle.c: flush off the event loop, close, and release. */
void finalize_producer(napi_env env, void *data, void *hint);
napi_value flush_producer(napi_env env, napi_callback_info info);
napi_value close_producer(napi_env env, napi_callback_info info);

#endif
