#!/usr/bin/env bash
# Starts Kamailio with Holdfast's SIP configuration (resources/telephony/kamailio.cfg) in the foreground.
#   npm run telephony:kamailio                       # SIP on udp 127.0.0.1:5060, evapi on 127.0.0.1:8448
#   HF_SIP=udp:192.0.2.10:5060 npm run telephony:kamailio
# Then start the routing server with HOLDFAST_TELEPHONY=sip HOLDFAST_SIP_EVAPI=127.0.0.1:8448
# (and HOLDFAST_SIP_DOMAIN=<the host agents' phones register to>). See docs/telephony.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
kamailio="${KAMAILIO:-/usr/sbin/kamailio}"
if [ ! -x "$kamailio" ]; then
  echo "telephony:kamailio: $kamailio not found (apt-get install kamailio kamailio-extra-modules)" >&2
  exit 1
fi
sip="${HF_SIP:-udp:127.0.0.1:5060}"
evapi="${HF_EVAPI:-127.0.0.1:8448}"
ring="${HF_RING_MS:-20000}"
queue="${HF_QUEUE_MS:-600000}"
echo "Kamailio: SIP on $sip, evapi for Holdfast on $evapi; agents' phones ring ${ring} ms before the call moves on" >&2
exec "$kamailio" -DD -E -f "$here/resources/telephony/kamailio.cfg" \
  -A "HF_LISTEN=$sip" -A "HF_EVAPI=\"$evapi\"" -A "HF_RING_MS=$ring" -A "HF_QUEUE_MS=$queue"
