/* Reading the arguments of a call from JS: each helper throws a clear JS error on bad input. */
#include <stdio.h>

#include "edge-producer.h"

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
int read_string(napi_env env, napi_value v, char *to, size_t size, const char *what) {
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
producer_t *producer_call(napi_env env, napi_callback_info info, size_t n,
                                 napi_value *argv) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != n) {
    napi_throw_type_error(env, NULL, "wrong number of arguments");
    return NULL;
  }
  return unwrap(env, argv[0]);
}

napi_value string_value(napi_env env, const char *s) {
  napi_value v;
  if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
  return v;
}

void *typed_array_data(napi_env env, napi_value v, napi_typedarray_type want, size_t *n) {
  napi_typedarray_type type;
  void *data = NULL;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, n, &data, &buffer, &offset) != napi_ok ||
      type != want)
    return NULL;
  return data;
}
