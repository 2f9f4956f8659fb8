#!/usr/bin/env bash
# kcat 1.6+, run in the unzipped credentials bundle folder.
kcat -b '{{bootstrap}}' \
  -X security.protocol=ssl -X ssl.ca.location=ca.pem \
  -X ssl.certificate.location=client.pem -X ssl.key.location=client.key \
  -G '{{group.kcat}}' -X auto.offset.reset=earliest -q -u -f '%s\n' '{{topic}}'
