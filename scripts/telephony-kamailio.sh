#!/usr/bin/env bash
# Starts Kamailio with Holdfast's SIP configuration (resources/telephony/kamailio.cfg) in the foreground.
#   HOLDFAST_TELEPHONY_KEY=<the server's telephony key> npm run telephony:kamailio
#        # SIP on udp 127.0.0.1:5060; Holdfast's decisions in on http://127.0.0.1:5071;
#        # call events out to http://127.0.0.1:4870/api/telephony/sip/events
#   HF_SIP=udp:192.0.2.10:5060 HF_HOLDFAST=http://10.0.0.5:4870 npm run telephony:kamailio
# Then start the routing server with the same key and HOLDFAST_TELEPHONY=sip
# HOLDFAST_SIP_KAMAILIO_URL=http://127.0.0.1:5071 (and HOLDFAST_SIP_DOMAIN=<the host agents' phones
# register to>). The key is read from the environment, not the command line, so `ps` does not show it.
# See docs/telephony.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
kamailio="${KAMAILIO:-/usr/sbin/kamailio}"
modules=/usr/lib/x86_64-linux-gnu/kamailio/modules
if [ ! -x "$kamailio" ]; then
  echo "telephony:kamailio: $kamailio not found (apt-get install kamailio kamailio-extra-modules kamailio-utils-modules)" >&2
  exit 1
fi
for module in http_client jansson uuid xhttp; do
  if [ -d "$modules" ] && [ ! -f "$modules/$module.so" ]; then
    echo "telephony:kamailio: Kamailio's $module module is missing (apt-get install kamailio-extra-modules kamailio-utils-modules)" >&2
    exit 1
  fi
done
key="${HOLDFAST_TELEPHONY_KEY:-}"
if [ "${#key}" -lt 16 ]; then
  # The demo server's key (demo mode only listens on loopback).
  if [ -z "$key" ]; then
    echo "telephony:kamailio: HOLDFAST_TELEPHONY_KEY is not set; using the demo server's key" >&2
    export HOLDFAST_TELEPHONY_KEY=demo-telephony-key-0001
  else
    echo "telephony:kamailio: HOLDFAST_TELEPHONY_KEY must be the routing server's telephony key (16+ characters)" >&2
    exit 1
  fi
fi
sip="${HF_SIP:-udp:127.0.0.1:5060}"
http="${HF_HTTP:-tcp:127.0.0.1:5071}"
holdfast="${HF_HOLDFAST:-http://127.0.0.1:4870}"
ring="${HF_RING_MS:-20000}"
queue="${HF_QUEUE_MS:-600000}"
echo "Kamailio: SIP on $sip, Holdfast's decisions in on ${http#tcp:}, call events to $holdfast; agents' phones ring ${ring} ms before the call moves on" >&2
# HF_TRUNK (optional): where outreach calls to numbers that are not registered phones go, e.g. sip:192.0.2.20:5060.
trunk=()
[ -n "${HF_TRUNK:-}" ] && trunk=(-A "HF_TRUNK=\"$HF_TRUNK\"")
exec "$kamailio" -DD -E -f "$here/resources/telephony/kamailio.cfg" \
  -A "HF_LISTEN=$sip" -A "HF_HTTP=$http" -A "HF_EVENTS_URL=\"${holdfast%/}/api/telephony/sip/events\"" \
  -A "HF_RING_MS=$ring" -A "HF_QUEUE_MS=$queue" "${trunk[@]}"
