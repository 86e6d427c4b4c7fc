#!/usr/bin/python3
"""A flood of gateway messages, as fast as Debian's paho-mqtt 1.6.1 can send them, for an overload test.

Usage: paho_flood.py HOST PORT QOS SECONDS PUBLISHER PUBLISHERS RATE [DEVICES COMMUNITIES]
The city: DEVICES meters (default 10 000) in COMMUNITIES communities (default 100) over 10 districts, kinds mixed;
one gateway message carries one community's meters. This publisher sends the communities c with c % PUBLISHERS ==
PUBLISHER, round after round, each round 1 ms later in event time (so no reading repeats and none runs ahead of the
clock), at RATE messages/s (0: as fast as it can), until SECONDS have passed. Prints {"messages": sent, "readings":
sent, "acked": acknowledged (written, for QoS 0), "refused": publish calls paho refused, "disconnects": connection losses}.
Only publishes paho took count as sent.
"""
import json
import sys
import time

import paho.mqtt.client as mqtt

KINDS = [("water", 40), ("heat", 25), ("gas", 20), ("env", 10), ("smoke", 5)]


def kind_of(index):
    slot = index % 100
    for kind, share in KINDS:
        if slot < share:
            return kind
        slot -= share
    return "water"


def reading(device, kind, ts_placeholder, total):
    if kind == "water":
        return f'{{"device":"{device}","kind":"water","ts":{ts_placeholder},"total":{total},"flow":0.4,"pressure":0.3}}'
    if kind == "heat":
        return f'{{"device":"{device}","kind":"heat","ts":{ts_placeholder},"energy":{total},"supplyTemp":70.5,"returnTemp":45.2,"flow":1.1}}'
    if kind == "gas":
        return f'{{"device":"{device}","kind":"gas","ts":{ts_placeholder},"total":{total},"pressure":2.1}}'
    if kind == "env":
        return f'{{"device":"{device}","kind":"env","ts":{ts_placeholder},"pm25":35,"noise":52}}'
    return f'{{"device":"{device}","kind":"smoke","ts":{ts_placeholder},"smoke":0,"battery":87}}'


def main():
    host, port, qos, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    me, publishers, rate = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
    devices = int(sys.argv[8]) if len(sys.argv) > 8 else 10_000
    communities = int(sys.argv[9]) if len(sys.argv) > 9 else 100
    per_community = devices // communities

    # One template per community of this publisher; "@TS@" is replaced by each round's event time.
    templates = []
    for c in range(me, communities, publishers):
        district = f"fd{c % 10}"
        community = f"fc{c}"
        items = []
        for i in range(per_community):
            index = c * per_community + i
            items.append(reading(f"f{index}", kind_of(index), "@TS@", 1000 + index))
        templates.append((f"city/{district}/{community}/gateway/fg{c}", "[" + ",".join(items) + "]"))

    client = mqtt.Client(client_id=f"flood-{qos}-{me}-{time.time_ns()}", protocol=mqtt.MQTTv311, clean_session=True)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect(host, port, keepalive=60)
    client.loop_start()

    acked = [0]
    disconnects = [0]
    client.on_publish = lambda c, u, mid: acked.__setitem__(0, acked[0] + 1)
    client.on_disconnect = lambda c, u, rc: disconnects.__setitem__(0, disconnects[0] + 1)

    base = int(time.time() * 1000) - 600_000
    sent = 0
    refused = 0
    last = None
    start = time.monotonic()
    end = start + seconds
    round_number = 0
    while time.monotonic() < end:
        ts = str(base + round_number)
        for topic, template in templates:
            while rate > 0 and sent >= rate * (time.monotonic() - start):
                time.sleep(0.001)
            info = client.publish(topic, template.replace("@TS@", ts), qos=qos)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                refused += 1
                continue
            last = info
            sent += 1
            if qos > 0:
                # paho queues without bound: keep at most a few thousand unacknowledged, like a real gateway would.
                while sent - acked[0] > 5000:
                    time.sleep(0.001)
        round_number += 1

    if last is not None:
        last.wait_for_publish(120)
    if qos > 0:
        deadline = time.monotonic() + 120
        while acked[0] < sent and time.monotonic() < deadline:
            time.sleep(0.01)
    lost = disconnects[0]
    client.disconnect()
    client.loop_stop()
    print(json.dumps({"messages": sent, "readings": sent * per_community, "acked": acked[0], "refused": refused,
                      "disconnects": lost}), flush=True)


if __name__ == "__main__":
    main()
