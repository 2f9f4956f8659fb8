/*
 * One-shot zstd compression of a whole archive object: compress(buffer, level) -> Buffer.
 * An object is built in memory before upload anyway, so a single ZSTD_compress2 call (one
 * frame, content size in the header) is all the archiver needs. It runs on the JS thread: an
 * object is at most the flush byte limit, which takes milliseconds at the default level.
 */
#include <node_api.h>
#include <stdlib.h>
#include <zstd.h>

#define CHECK(env, call)                                                                      \
  do {                                                                                        \
    if ((call) != napi_ok) {                                                                  \
      napi_throw_error((env), NULL, "zstd addon: N-API call failed: " #call);                 \
      return NULL;                                                                            \
    }                                                                                         \
  } while (0)

static void free_output(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static napi_value compress(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "compress(buffer, level) needs two arguments");
    return NULL;
  }
  bool is_buffer = false;
  CHECK(env, napi_is_buffer(env, argv[0], &is_buffer));
  if (!is_buffer) {
    napi_throw_type_error(env, NULL, "compress: the first argument must be a Buffer");
    return NULL;
  }
  void *input = NULL;
  size_t input_len = 0;
  CHECK(env, napi_get_buffer_info(env, argv[0], &input, &input_len));
  int32_t level = 0;
  CHECK(env, napi_get_value_int32(env, argv[1], &level));

  size_t bound = ZSTD_compressBound(input_len);
  void *output = malloc(bound == 0 ? 1 : bound);
  if (output == NULL) {
    napi_throw_error(env, NULL, "zstd: out of memory");
    return NULL;
  }
  ZSTD_CCtx *cctx = ZSTD_createCCtx();
  if (cctx == NULL) {
    free(output);
    napi_throw_error(env, NULL, "zstd: cannot create a compression context");
    return NULL;
  }
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  size_t written = ZSTD_compress2(cctx, output, bound, input, input_len);
  ZSTD_freeCCtx(cctx);
  if (ZSTD_isError(written)) {
    free(output);
    napi_throw_error(env, NULL, ZSTD_getErrorName(written));
    return NULL;
  }
  napi_value result;
  if (napi_create_external_buffer(env, written, output, free_output, NULL, &result) != napi_ok) {
    free(output);
    napi_throw_error(env, NULL, "zstd addon: cannot hand the output to JavaScript");
    return NULL;
  }
  return result;
}

static napi_value version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(env, napi_create_string_utf8(env, ZSTD_versionString(), NAPI_AUTO_LENGTH, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"compress", NULL, compress, NULL, NULL, NULL, napi_default, NULL},
      {"version", NULL, version, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
