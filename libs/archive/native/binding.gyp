# zstd compression for archive objects (zstd-codec.c), linked against Debian's libzstd
# (libzstd-dev): Node 20's zlib has no zstd. Built by scripts/build-native.sh.
{
  "targets": [
    {
      "target_name": "logstream_zstd",
      "sources": ["zstd-codec.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror"],
      "libraries": ["-lzstd"]
    }
  ]
}
