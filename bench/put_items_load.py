#!/usr/bin/env python3
"""PutItems against a real `tailor serve` over a catalogue-sized Items dataset: the calls/s of
single-item PutItems through boto3 (one client, sequential calls, as a web handler makes them),
the number of segment files the dataset holds at the end, and how long the first PutItems
after a restart takes (it opens the dataset, which checks every segment's CRC).

Usage: bench/put_items_load.py [--items N] [--calls N] (after ./scripts/build.sh). Not part of CI.
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parent.parent
TAILOR = os.environ.get("TAILOR_BIN", str(ROOT / "build/src/cli/tailor"))
SCHEMA = json.dumps({"type": "record", "name": "Items",
                     "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
                     "fields": [{"name": "ITEM_ID", "type": "string"},
                                {"name": "GENRES", "type": ["null", "string"], "categorical": True},
                                {"name": "CREATION_TIMESTAMP", "type": "long"}]})


def wait(describe, key):
    while True:
        status = describe()[key]["status"]
        if status in ("ACTIVE", "CREATE FAILED"):
            return status
        time.sleep(0.05)


def start_server(data):
    server = subprocess.Popen([TAILOR, "serve", "--data-dir", str(data), "--port", "0",
                               "--log-level", "warn"], stdout=subprocess.PIPE, text=True)
    for line in server.stdout:
        m = re.search(r"listening on (http\S+)", line)
        if m:
            return server, m.group(1)
    raise RuntimeError("tailor serve did not start")


def clients(url):
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x",
              aws_secret_access_key="x", config=Config(retries={"max_attempts": 1}))
    return boto3.client("personalize", **kw), boto3.client("personalize-events", **kw)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--items", type=int, default=59_047)
    p.add_argument("--calls", type=int, default=2000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = pathlib.Path(tmp) / "data"
        csv = pathlib.Path(tmp) / "items.csv"
        with open(csv, "w") as f:
            f.write("ITEM_ID,GENRES,CREATION_TIMESTAMP\n")
            for i in range(args.items):
                f.write(f"i{i},G{i % 20}|G{i % 7},{1_600_000_000 + i}\n")
        server, url = start_server(data)
        try:
            pz, events = clients(url)
            group = pz.create_dataset_group(name="bench")["datasetGroupArn"]
            wait(lambda: pz.describe_dataset_group(datasetGroupArn=group), "datasetGroup")
            schema = pz.create_schema(name="items", schema=SCHEMA)["schemaArn"]
            ds = pz.create_dataset(name="items", schemaArn=schema, datasetGroupArn=group,
                                   datasetType="Items")["datasetArn"]
            wait(lambda: pz.describe_dataset(datasetArn=ds), "dataset")
            job = pz.create_dataset_import_job(jobName="items", datasetArn=ds,
                                               dataSource={"dataLocation": str(csv)},
                                               roleArn="arn:aws:iam::000000000000:role/x")
            wait(lambda: pz.describe_dataset_import_job(
                datasetImportJobArn=job["datasetImportJobArn"]), "datasetImportJob")
            start = time.perf_counter()
            for k in range(args.calls):
                events.put_items(datasetArn=ds, items=[{
                    "itemId": f"new{k}",
                    "properties": json.dumps({"genres": f"G{k % 20}",
                                              "creationTimestamp": 1_700_000_000 + k})}])
            elapsed = time.perf_counter() - start
            segments = sorted(data.rglob("seg-*.tsg"))
            print(f"{args.calls} PutItems calls on {args.items:,} items: {args.calls / elapsed:,.0f} "
                  f"calls/s ({1000 * elapsed / args.calls:.2f} ms each); "
                  f"{len(segments)} segment files at the end")
            server.terminate()
            server.wait()
            start = time.perf_counter()
            server, url = start_server(data)
            _, events = clients(url)
            events.put_items(datasetArn=ds, items=[{
                "itemId": "after-restart",
                "properties": json.dumps({"genres": "G1", "creationTimestamp": 1_800_000_000})}])
            print(f"restart and first PutItems: {time.perf_counter() - start:.2f} s")
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
