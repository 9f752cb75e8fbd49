#!/usr/bin/env python3
"""Publish a PuzzleRequest to hrm.requests with Confluent's own Python client, and read it back.

This is both an interoperability check of the embedded stack (Kafka broker + development schema registry) and an
example of publishing to HRM Stream from Python.

    java -jar worker/target/hrm-worker.jar dev-cluster        # or: run --embedded
    /usr/bin/python3 worker/src/test/python/confluent_client_check.py

It needs Debian's packages (bookworm ships confluent-kafka 1.7.0; its newer confluent_kafka.schema_registry.avro
serializer needs fastavro, which Debian does not package, so the Avro encoding uses the legacy confluent_kafka.avro
module):

    apt-get install python3-confluent-kafka python3-avro python3-requests

What it does:
  1. inlines Grid.avsc into PuzzleRequest.avsc (the registry holds self-contained schemas, no references);
  2. with confluent_kafka.schema_registry.SchemaRegistryClient: registers the schema under hrm.requests-value
     (TopicNameStrategy), looks it up, fetches it by id, lists subjects and versions, reads the latest version,
     tests compatibility, sets and reads the subject's compatibility level;
  3. with the legacy confluent_kafka.avro MessageSerializer (which registers through the legacy client too) encodes
     a sudoku request in Confluent's wire format (0x00, 4-byte schema id, Avro binary) and publishes it with a
     plain Producer: the record key is the request id as plain UTF-8, as the worker expects. (AvroProducer and
     AvroConsumer would insist on an Avro-encoded key, so they do not fit this contract.)
  4. reads the record back from its partition and offset and decodes it with the schema fetched by its id;
  5. with --await-solution SECONDS, also waits for the worker's answer on hrm.solutions (read_committed).

Exit status 0 when every step matched, 1 otherwise.
"""

import argparse
import datetime
import json
import os
import sys
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

REQUESTS = "hrm.requests"
SOLUTIONS = "hrm.solutions"
SUBJECT = REQUESTS + "-value"

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))

# A sudoku from the HRM dataset layout: 81 cells, row-major, 0 = blank.
SUDOKU = ("530070000600195000098000060800060003400803001700020006060000280000419005000080079")


def puzzle_request_schema(avro_dir):
    """PuzzleRequest.avsc with its Grid field type replaced by Grid.avsc itself."""
    with open(os.path.join(avro_dir, "Grid.avsc")) as f:
        grid = json.load(f)
    with open(os.path.join(avro_dir, "PuzzleRequest.avsc")) as f:
        request = json.load(f)
    for field in request["fields"]:
        if field["type"] == "io.hrmstream.schemas.Grid":
            field["type"] = grid
    return json.dumps(request)


def check(condition, what):
    print(("ok    " if condition else "FAILED ") + what)
    if not condition:
        check.failures += 1


check.failures = 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--registry", default="http://127.0.0.1:8081", help="schema registry URL")
    parser.add_argument("--avro-dir", default=os.path.join(REPO, "schemas", "src", "main", "avro"),
                        help="folder holding PuzzleRequest.avsc and Grid.avsc")
    parser.add_argument("--await-solution", type=float, default=0, metavar="SECONDS",
                        help="also wait this long for the answer on hrm.solutions (needs a running worker)")
    args = parser.parse_args()

    schema_str = puzzle_request_schema(args.avro_dir)

    # 2. the registry API through the current client
    registry = SchemaRegistryClient({"url": args.registry})
    print("global compatibility:", registry.get_compatibility())
    schema_id = registry.register_schema(SUBJECT, Schema(schema_str, "AVRO"))
    check(isinstance(schema_id, int) and schema_id > 0, "registered %s as schema id %s" % (SUBJECT, schema_id))
    found = registry.lookup_schema(SUBJECT, Schema(schema_str, "AVRO"))
    check(found.schema_id == schema_id and found.subject == SUBJECT, "lookup finds version %d, id %d" % (found.version, found.schema_id))
    fetched = registry.get_schema(schema_id)
    check(json.loads(fetched.schema_str)["name"] == "PuzzleRequest", "schema %d fetched by id" % schema_id)
    check(SUBJECT in registry.get_subjects(), "subject listed")
    versions = registry.get_versions(SUBJECT)
    check(found.version in versions, "versions %s" % versions)
    latest = registry.get_latest_version(SUBJECT)
    check(latest.version == max(versions), "latest version %d" % latest.version)
    check(registry.get_version(SUBJECT, found.version).schema_id == schema_id, "version %d read by number" % found.version)
    check(registry.test_compatibility(SUBJECT, Schema(schema_str, "AVRO")) is True, "schema compatible with latest")
    registry.set_compatibility(SUBJECT, "BACKWARD")
    check(registry.get_compatibility(SUBJECT) == "BACKWARD", "subject compatibility BACKWARD")

    # 3. encode with the legacy serializer, publish with a plain UTF-8 key
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": args.registry}))
    request_id = "py-" + uuid.uuid4().hex[:12]
    request = {
        "id": request_id,
        "task": "sudoku",
        "grid": {"rows": 9, "cols": 9, "cells": bytes(int(c) for c in SUDOKU)},
        "puzzleId": 0,
        "maxSteps": None,
        "submittedAtMs": datetime.datetime.now(tz=datetime.timezone.utc),
        "attributes": {"source": "confluent_client_check.py"},
    }
    value = serializer.encode_record_with_schema(REQUESTS, loads(schema_str), request)
    check(value[0] == 0 and int.from_bytes(value[1:5], "big") == schema_id,
          "wire format: magic 0, schema id %d" % int.from_bytes(value[1:5], "big"))

    delivered = {}

    def on_delivery(err, msg):
        delivered["err"] = err
        delivered["msg"] = msg

    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all", "enable.idempotence": True})
    producer.produce(REQUESTS, key=request_id.encode("utf-8"), value=value, on_delivery=on_delivery)
    producer.flush(30)
    msg = delivered.get("msg")
    check(delivered.get("err") is None and msg is not None,
          "published %s to %s [%s] at offset %s" % (request_id, REQUESTS, msg and msg.partition(), msg and msg.offset()))
    if msg is None:
        return 1

    # 4. read it back from where it landed
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "confluent-client-check",
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(REQUESTS, msg.partition(), msg.offset())])
    record = consumer.poll(30)
    consumer.close()
    check(record is not None and record.error() is None, "read the record back")
    if record is None or record.error() is not None:
        return 1
    decoded = serializer.decode_message(record.value())
    check(record.key().decode("utf-8") == request_id, "key is the request id as plain UTF-8")
    check(decoded["id"] == request_id and decoded["task"] == "sudoku" and decoded["grid"]["cells"] == request["grid"]["cells"],
          "decoded value equals what was sent (81 cells, task sudoku)")

    # 5. optionally, the worker's answer
    if args.await_solution > 0:
        solutions = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "confluent-client-check-" + request_id,
                              "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
        solutions.subscribe([SOLUTIONS])
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=args.await_solution)
        answer = None
        while answer is None and datetime.datetime.now() < deadline:
            m = solutions.poll(1.0)
            if m is not None and m.error() is None and m.key() is not None and m.key().decode("utf-8") == request_id:
                answer = serializer.decode_message(m.value())
        solutions.close()
        check(answer is not None, "solution for %s: %s" % (request_id, answer and {
            k: answer.get(k) for k in ("status", "steps", "haltedBy", "model", "error")}))

    print("%d check(s) failed" % check.failures if check.failures else "all checks passed")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
