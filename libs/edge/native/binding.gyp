# The edge producer's native hot path (edge-producer.c and the files beside it). It compiles and
# links against the librdkafka that node-rdkafka builds during `npm ci`, so one librdkafka serves
# the process.
# Built by scripts/build-native.sh (part of `npm run setup`).
{
  "variables": {
    "rdkafka_deps": "<(module_root_dir)/../../../node_modules/node-rdkafka/build/deps"
  },
  "targets": [
    {
      "target_name": "logstream_edge_native",
      "sources": ["edge-producer.c", "producer-events.c", "producer-lifecycle.c", "napi-args.c"],
      "include_dirs": ["<(rdkafka_deps)/include"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror", "-Wno-ignored-qualifiers"],
      "libraries": ["-L<(rdkafka_deps)", "-lrdkafka", "-Wl,-rpath,'$$ORIGIN/../../../../../node_modules/node-rdkafka/build/deps'"]
    }
  ]
}
