#!/usr/bin/env python3
"""Load test of the runtime and the events API against a real `tailor serve`, with wrk.

Usage: bench/runtime_load.py [--rows N] [--seconds S] [--connections C] [--data-dir DIR]
[--hyper KEY=VALUE]
(after ./scripts/build.sh). It imports a MovieLens-25M-shaped interactions CSV (written by
build/bench/import_bench), trains user-personalization (hidden_dimension 64), deploys a campaign
and then runs wrk for:
  1. GetRecommendations (numResults 25) for random users;
  2. the same with an "exclude what I have seen" filter;
  3. PutEvents (one event per call) for random new users ("v…", not the model's) and items;
  4. (--only put-items) PutItems of one new item, then one filtered GetRecommendations, 20
     times: how long the first filtered answer after new item metadata takes;
  5. (--only update) GetRecommendations under wrk for 3 × --seconds while, a third of the way
     in, UpdateCampaign moves the campaign to the solution's other version (trained on first
     use): wrk's errors and latencies across the swap;
  6. (--only explore) a second campaign on the same version with itemExplorationConfig
     (explorationWeight 0.3): the time of its first GetRecommendations, then wrk against it;
  7. (--only trending) an aws-trending-now solution (2-hour windows) on the same data: its
     training time, wrk against its campaign, then wrk again while PutEvents stream into the
     group (the trend is recomputed once a second).
It prints wrk's requests/s and latency percentiles for each, then the server's RSS and peak.
With --data-dir an earlier run's folder is reused, so the import and training happen once. Not
part of CI.
"""
import argparse
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
SCHEMA = ('{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema",'
          '"fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},'
          '{"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},'
          '{"name":"EVENT_VALUE","type":["float","null"]}],"version":"1.0"}')

RECOMMEND_LUA = """
local users = tonumber(os.getenv("TAILOR_USERS"))
local campaign = os.getenv("TAILOR_CAMPAIGN")
local filter = os.getenv("TAILOR_FILTER") or ""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = '{"campaignArn":"' .. campaign .. '","userId":"u' .. math.random(0, users - 1) ..
               '","numResults":25'
  if filter ~= "" then body = body .. ',"filterArn":"' .. filter .. '"' end
  return wrk.format(nil, "/recommendations", nil, body .. "}")
end
response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("status " .. status .. ": " .. body .. "\\n"); os.exit(1) end
end
"""

EVENTS_LUA = """
local users = tonumber(os.getenv("TAILOR_USERS"))
local items = tonumber(os.getenv("TAILOR_ITEMS"))
local tracking = os.getenv("TAILOR_TRACKING_ID")
local t = 1900000000
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  t = t + 1
  -- Users outside the model ("v…"), so that repeated runs on one data folder do not leave the
  -- recommendation phases' users with more and more events to fold in.
  local user = "v" .. math.random(0, users - 1)
  local body = '{"trackingId":"' .. tracking .. '","userId":"' .. user .. '","sessionId":"s-' ..
               user .. '","eventList":[{"eventType":"click","itemId":"i' ..
               math.random(0, items - 1) .. '","sentAt":' .. t .. '}]}'
  return wrk.format(nil, "/events", nil, body)
end
response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("status " .. status .. ": " .. body .. "\\n"); os.exit(1) end
end
"""


def wait(describe, key, timeout=3600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = describe()[key]["status"]
        if status == "ACTIVE":
            return
        if "FAILED" in status:
            sys.exit(f"{key} failed: {describe()[key].get('failureReason')}")
        time.sleep(0.5)
    sys.exit(f"{key} did not become ACTIVE")


def find(items, name_key, name):
    return next((i for i in items if i[name_key].endswith("/" + name)), None)


def deployed_campaign(pz, group, name, recipe, solution_config=None):
    """The ARN of campaign `name` on the first version of solution `name` (`recipe`), creating
    and training what is missing; prints the training time when it trains."""
    prefix = "arn:aws:personalize:us-east-1:000000000000:"
    solution = prefix + "solution/" + name
    if not find(pz.list_solutions()["solutions"], "solutionArn", name):
        pz.create_solution(name=name, datasetGroupArn=group,
                           recipeArn="arn:aws:personalize:::recipe/" + recipe,
                           **({"solutionConfig": solution_config} if solution_config else {}))
        wait(lambda: pz.describe_solution(solutionArn=solution), "solution")
    versions = pz.list_solution_versions(solutionArn=solution)["solutionVersions"]
    if not versions:
        t0 = time.time()
        version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        wait(lambda: pz.describe_solution_version(solutionVersionArn=version), "solutionVersion")
        print(f"{recipe} training (metrics + final model): {time.time() - t0:.1f} s")
    else:
        version = versions[0]["solutionVersionArn"]
    campaign = prefix + "campaign/" + name
    if not find(pz.list_campaigns()["campaigns"], "campaignArn", name):
        pz.create_campaign(name=name, solutionVersionArn=version)
    wait(lambda: pz.describe_campaign(campaignArn=campaign), "campaign")
    return campaign


def setup(pz, csv, factors, hyper):
    """Returns (campaign ARN, filter ARN, tracking id), creating what is missing; `hyper`: more
    algorithmHyperParameters for the user-personalization solution (only used when it is made)."""
    group = "arn:aws:personalize:us-east-1:000000000000:dataset-group/bench"
    if not find(pz.list_dataset_groups()["datasetGroups"], "datasetGroupArn", "bench"):
        pz.create_dataset_group(name="bench")
        wait(lambda: pz.describe_dataset_group(datasetGroupArn=group), "datasetGroup")
        schema = pz.create_schema(name="bench", schema=SCHEMA)["schemaArn"]
        ds = pz.create_dataset(name="bench", schemaArn=schema, datasetGroupArn=group,
                               datasetType="Interactions")["datasetArn"]
        wait(lambda: pz.describe_dataset(datasetArn=ds), "dataset")
        t0 = time.time()
        job = pz.create_dataset_import_job(jobName="bench", datasetArn=ds,
                                           dataSource={"dataLocation": f"file://{csv}"},
                                           roleArn="arn:aws:iam::000000000000:role/x")
        wait(lambda: pz.describe_dataset_import_job(
            datasetImportJobArn=job["datasetImportJobArn"]), "datasetImportJob")
        print(f"import: {time.time() - t0:.1f} s")
    campaign = deployed_campaign(pz, group, "bench-up", "aws-user-personalization",
                                 {"algorithmHyperParameters": {"hidden_dimension": str(factors), **hyper}})
    flt = "arn:aws:personalize:us-east-1:000000000000:filter/bench-unseen"
    if not find(pz.list_filters()["Filters"], "filterArn", "bench-unseen"):
        pz.create_filter(name="bench-unseen", datasetGroupArn=group,
                         filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')
    wait(lambda: pz.describe_filter(filterArn=flt), "filter")
    trackers = pz.list_event_trackers(datasetGroupArn=group)["eventTrackers"]
    if not trackers:
        pz.create_event_tracker(name="bench", datasetGroupArn=group)
        trackers = pz.list_event_trackers(datasetGroupArn=group)["eventTrackers"]
    arn = trackers[0]["eventTrackerArn"]
    wait(lambda: pz.describe_event_tracker(eventTrackerArn=arn), "eventTracker")
    tracking = pz.describe_event_tracker(eventTrackerArn=arn)["eventTracker"]["trackingId"]
    return campaign, flt, tracking


ITEMS_SCHEMA = ('{"type":"record","name":"Items","namespace":"com.amazonaws.personalize.schema",'
                '"fields":[{"name":"ITEM_ID","type":"string"},{"name":"GENRES","type":["null",'
                '"string"],"categorical":true}],"version":"1.0"}')


def put_items_then_filter(pz, events, rt, campaign, flt, items, data_dir):
    """PutItems then a filtered request, 20 times; prints the filtered request's latencies."""
    group = "arn:aws:personalize:us-east-1:000000000000:dataset-group/bench"
    datasets = pz.list_datasets(datasetGroupArn=group)["datasets"]
    ds = next((d["datasetArn"] for d in datasets if d["datasetType"].upper() == "ITEMS"), None)
    if ds is None:
        schema = pz.create_schema(name="bench-items", schema=ITEMS_SCHEMA)["schemaArn"]
        ds = pz.create_dataset(name="bench-items", schemaArn=schema, datasetGroupArn=group,
                               datasetType="Items")["datasetArn"]
        wait(lambda: pz.describe_dataset(datasetArn=ds), "dataset")
        csv = pathlib.Path(data_dir) / "bench-items.csv"
        csv.write_text("ITEM_ID,GENRES\n" + "".join(f"i{i},G{i % 20}\n" for i in range(items)))
        job = pz.create_dataset_import_job(jobName="bench-items", datasetArn=ds,
                                           dataSource={"dataLocation": f"file://{csv}"},
                                           roleArn="arn:aws:iam::000000000000:role/x")
        wait(lambda: pz.describe_dataset_import_job(
            datasetImportJobArn=job["datasetImportJobArn"]), "datasetImportJob")
    rt.get_recommendations(campaignArn=campaign, userId="u1", filterArn=flt)
    took = []
    for k in range(20):
        events.put_items(datasetArn=ds, items=[{"itemId": f"bench-new-{time.time_ns()}",
                                                "properties": '{"genres": "G1"}'}])
        t0 = time.perf_counter()
        rt.get_recommendations(campaignArn=campaign, userId=f"u{k}", filterArn=flt)
        took.append(time.perf_counter() - t0)
    took.sort()
    print(f"\n== PutItems, then a filtered GetRecommendations (20 times)\n"
          f"filtered answer after PutItems: median {1000 * took[10]:.1f} ms, "
          f"max {1000 * took[-1]:.1f} ms")


def explore(pz, rt, url, env, seconds, connections):
    """Times the first answer of an exploring campaign, then runs wrk against it."""
    campaign = "arn:aws:personalize:us-east-1:000000000000:campaign/bench-explore"
    if not find(pz.list_campaigns()["campaigns"], "campaignArn", "bench-explore"):
        solution = "arn:aws:personalize:us-east-1:000000000000:solution/bench-up"
        version = pz.list_solution_versions(solutionArn=solution)["solutionVersions"][0]
        pz.create_campaign(name="bench-explore", solutionVersionArn=version["solutionVersionArn"],
                           campaignConfig={"itemExplorationConfig": {
                               "explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}})
    wait(lambda: pz.describe_campaign(campaignArn=campaign), "campaign")
    t0 = time.perf_counter()
    rt.get_recommendations(campaignArn=campaign, userId="u1")
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    rt.get_recommendations(campaignArn=campaign, userId="u2")
    second = time.perf_counter() - t0
    print(f"\n== exploring campaign: first answer {1000 * first:.0f} ms, "
          f"second {1000 * second:.1f} ms")
    run_wrk("GetRecommendations, exploring campaign (explorationWeight 0.3)", url,
            RECOMMEND_LUA, {**env, "TAILOR_CAMPAIGN": campaign}, seconds, connections)


def trending(pz, url, env, seconds, connections):
    """Trains and deploys aws-trending-now on the bench group, then runs wrk against it, alone
    and while a second wrk records events."""
    group = "arn:aws:personalize:us-east-1:000000000000:dataset-group/bench"
    campaign = deployed_campaign(pz, group, "bench-trending", "aws-trending-now")
    trend_env = {**env, "TAILOR_CAMPAIGN": campaign}
    run_wrk("GetRecommendations, trending campaign", url, RECOMMEND_LUA, trend_env, seconds,
            connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(EVENTS_LUA)
    events = subprocess.Popen(["wrk", "-t1", "-c8", f"-d{seconds + 2}s", "-s", f.name, url],
                              env={**os.environ, **env}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    run_wrk("GetRecommendations, trending campaign, while PutEvents stream (wrk -t1 -c8)", url,
            RECOMMEND_LUA, trend_env, seconds, connections)
    out, _ = events.communicate()
    os.unlink(f.name)
    rate = re.search(r"Requests/sec:\s+(\S+)", out)
    print(f"(PutEvents meanwhile: {rate.group(1) if rate else '?'} events/s)")


def update_under_load(pz, url, env, campaign, seconds, connections):
    """Runs wrk across an UpdateCampaign to the solution's other version."""
    solution = "arn:aws:personalize:us-east-1:000000000000:solution/bench-up"
    versions = [v["solutionVersionArn"]
                for v in pz.list_solution_versions(solutionArn=solution)["solutionVersions"]]
    if len(versions) < 2:
        t0 = time.time()
        version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        wait(lambda: pz.describe_solution_version(solutionVersionArn=version), "solutionVersion")
        print(f"second version trained: {time.time() - t0:.1f} s")
        versions.append(version)
    current = pz.describe_campaign(campaignArn=campaign)["campaign"]["solutionVersionArn"]
    target = next(v for v in versions if v != current)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(RECOMMEND_LUA)
    wrk = subprocess.Popen(["wrk", "-t2", f"-c{connections}", f"-d{3 * seconds}s", "--latency",
                            "-s", f.name, url], env={**os.environ, **env},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)
    t0 = time.time()
    pz.update_campaign(campaignArn=campaign, solutionVersionArn=target)
    while pz.describe_campaign(campaignArn=campaign)["campaign"].get(
            "latestCampaignUpdate", {}).get("status") not in ("ACTIVE", "CREATE FAILED"):
        time.sleep(0.1)
    swapped = time.time() - t0
    out, err = wrk.communicate()
    os.unlink(f.name)
    print(f"\n== GetRecommendations across UpdateCampaign (swap took {swapped:.1f} s)")
    print(out.strip())
    if wrk.returncode != 0:
        print(err.strip())


def run_wrk(title, url, script, env, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", f.name, url], env={**os.environ, **env}, capture_output=True,
                         text=True)
    os.unlink(f.name)
    print(f"\n== {title}")
    print(out.stdout.strip())
    if out.returncode != 0:
        print(out.stderr.strip())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=25_000_000)
    p.add_argument("--users", type=int, default=162_541)
    p.add_argument("--items", type=int, default=59_047)
    p.add_argument("--factors", type=int, default=64)
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--http-threads", type=int, default=2)
    p.add_argument("--blocking-threads", type=int, default=4)
    p.add_argument("--job-nice", type=int, default=10)
    p.add_argument("--data-dir")
    p.add_argument("--hyper", action="append", default=[], metavar="KEY=VALUE",
                   help="a hyper-parameter of the user-personalization solution (repeatable), "
                        "e.g. neighbor_weight=0 for an A/B against another --data-dir")
    p.add_argument("--only", choices=["recommend", "filter", "events", "put-items", "update",
                                      "explore", "trending"],
                   action="append",
                   help="run only these phases (repeatable); default: all three")
    args = p.parse_args()
    phases = set(args.only or ["recommend", "filter", "events"])
    csv = pathlib.Path(f"/tmp/tailor_import_bench/{args.rows}/interactions.csv")
    if not csv.exists():
        subprocess.run([str(ROOT / "build/bench/import_bench"), "--rows", str(args.rows)],
                       check=True, stdout=subprocess.DEVNULL)
    data = args.data_dir or tempfile.mkdtemp(prefix="tailor-runtime-load-")
    pathlib.Path(data).mkdir(parents=True, exist_ok=True)
    log = open(pathlib.Path(data).parent / "runtime_load.log", "w")
    server = subprocess.Popen([TAILOR, "serve", "--data-dir", data, "--port", "0",
                               "--http-threads", str(args.http_threads),
                               "--blocking-threads", str(args.blocking_threads),
                               "--job-nice", str(args.job_nice),
                               "--log-level", "info"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        url = None
        for line in server.stdout:
            m = re.search(r"listening on (http\S+)", line)
            if m:
                url = m.group(1)
                break
        cfg = Config(retries={"max_attempts": 1})
        kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="x",
                  aws_secret_access_key="x", config=cfg)
        pz = boto3.client("personalize", **kw)
        hyper = dict(kv.split("=", 1) for kv in args.hyper)
        campaign, flt, tracking = setup(pz, csv, args.factors, hyper)
        rt = boto3.client("personalize-runtime", **kw)
        rt.get_recommendations(campaignArn=campaign, userId="u1", filterArn=flt)  # warm filters
        env = {"TAILOR_USERS": str(args.users), "TAILOR_ITEMS": str(args.items),
               "TAILOR_CAMPAIGN": campaign, "TAILOR_TRACKING_ID": tracking}
        print(f"server {url}, {args.http_threads} HTTP threads; wrk -t2 -c{args.connections} "
              f"-d{args.seconds}s")
        print(f"server pid {server.pid}", flush=True)
        if "recommend" in phases:
            run_wrk("GetRecommendations, numResults 25", url, RECOMMEND_LUA, env, args.seconds,
                    args.connections)
        if "filter" in phases:
            run_wrk("GetRecommendations with an exclude-seen filter", url, RECOMMEND_LUA,
                    {**env, "TAILOR_FILTER": flt}, args.seconds, args.connections)
        if "events" in phases:
            run_wrk("PutEvents, 1 event per call", url, EVENTS_LUA, env, args.seconds,
                    args.connections)
        if "explore" in phases:
            explore(pz, rt, url, env, args.seconds, args.connections)
        if "trending" in phases:
            trending(pz, url, env, args.seconds, args.connections)
        if "update" in phases:
            update_under_load(pz, url, env, campaign, args.seconds, args.connections)
        if "put-items" in phases:
            put_items_then_filter(pz, boto3.client("personalize-events", **kw), rt, campaign,
                                  flt, args.items, data)
        status = pathlib.Path(f"/proc/{server.pid}/status").read_text()
        rss = {k: v.split()[0] for k, v in (l.split(":", 1) for l in status.splitlines())
               if k in ("VmRSS", "VmHWM")}
        print(f"\nserver memory: RSS {int(rss['VmRSS']) // 1024} MiB, "
              f"peak {int(rss['VmHWM']) // 1024} MiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
