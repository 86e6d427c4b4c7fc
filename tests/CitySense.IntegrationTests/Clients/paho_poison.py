#!/usr/bin/python3
"""A device firmware with a typo, as Debian's paho-mqtt 1.6.1 sends it.

For each case read from stdin (JSON list of {name, poison_topic, poison_payload_b64, valid_topic, valid_payload}), on
one fresh connection: publish the poison at QoS 1, wait for its PUBACK, then publish a valid reading at QoS 1 and wait
for its PUBACK. Prints one JSON object per case: whether each was acknowledged, how long it took, and (MQTT 5) the
PUBACK reason code and reason string.

Usage: paho_poison.py HOST PORT 5|311 [USERNAME PASSWORD]
paho 1.6.1 parses a PUBACK's reason code but does not hand it to on_publish, so this client reads it off the packet.
"""
import base64
import json
import struct
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes

ACK_WAIT_S = 5.0


class RecordingClient(mqtt.Client):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.acks = {}
        self.acked = threading.Condition()

    def _handle_pubackcomp(self, cmd):
        packet = self._in_packet['packet']
        length = self._in_packet['remaining_length']
        mid, = struct.unpack("!H", packet[:2])
        code = packet[2] if length > 2 else 0
        text = None
        if length > 3:
            props = Properties(PacketTypes.PUBACK)
            props.unpack(packet[3:])
            text = getattr(props, "ReasonString", None)
        with self.acked:
            self.acks[mid] = (time.monotonic(), code, text)
            self.acked.notify_all()
        return super()._handle_pubackcomp(cmd)

    def publish_and_wait(self, topic, payload):
        start = time.monotonic()
        info = self.publish(topic, payload, qos=1)
        deadline = start + ACK_WAIT_S
        with self.acked:
            while info.mid not in self.acks and time.monotonic() < deadline:
                self.acked.wait(deadline - time.monotonic())
            if info.mid not in self.acks:
                return {"acked": False, "seconds": None, "code": None, "reason": None}
            at, code, text = self.acks[info.mid]
        return {"acked": True, "seconds": round(at - start, 3), "code": code, "reason": text}


def run_case(host, port, protocol, case, username, password):
    client_id = f"poison-{case['name']}-{protocol}"[:60]
    if protocol == "5":
        client = RecordingClient(client_id=client_id, protocol=mqtt.MQTTv5)
    else:
        client = RecordingClient(client_id=client_id, protocol=mqtt.MQTTv311, clean_session=True)
    if username:
        client.username_pw_set(username, password)
    client.connect(host, port, keepalive=30)
    client.loop_start()
    try:
        poison = client.publish_and_wait(case["poison_topic"], base64.b64decode(case["poison_payload_b64"]))
        valid = client.publish_and_wait(case["valid_topic"], case["valid_payload"].encode())
    finally:
        client.disconnect()
        client.loop_stop()
    return {"name": case["name"], "protocol": protocol, "poison": poison, "valid": valid}


def main():
    host, port, protocol = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    username = sys.argv[4] if len(sys.argv) > 4 else None
    password = sys.argv[5] if len(sys.argv) > 5 else None
    cases = json.load(sys.stdin)
    for case in cases:
        print(json.dumps(run_case(host, port, protocol, case, username, password)), flush=True)


if __name__ == "__main__":
    main()
