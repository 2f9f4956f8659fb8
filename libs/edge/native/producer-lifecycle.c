/*
 * The producer's life after create(): flush on a worker thread (rk is then used off the JS
 * thread), close, and release once neither JS nor a flush can reach it.
 */
#include <stdlib.h>

#include "edge-producer.h"

static void destroy_producer(producer_t *p) {
  if (!p->rk) return;
  for (uint32_t i = 0; i < p->topic_count; i++) rd_kafka_topic_destroy(p->topics[i]);
  free(p->topics);
  p->topics = NULL;
  p->topic_count = p->topic_capacity = 0;
  rd_kafka_destroy(p->rk);
  p->rk = NULL;
}

void finalize_producer(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  producer_t *p = data;
  destroy_producer(p);
  free(p->stats);
  pthread_mutex_destroy(&p->lock);
  free(p);
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
napi_value flush_producer(napi_env env, napi_callback_info info) {
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
napi_value close_producer(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  producer_t *p = producer_call(env, info, 1, argv);
  if (!p) return NULL;
  p->closed = 1;
  if (p->flushing == 0) destroy_producer(p);
  return NULL;
}
