"""The AWS CLI (awscli v1, the image's `aws`) against tailor: one whole control-plane flow, one
serving flow (train, deploy, events, filters, recommendations) and errors."""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from tailor_e2e import (INTERACTIONS_SCHEMA, REGION, arn, unique_name, write_interactions_csv)


def _aws_command():
    exe = shutil.which("aws")
    if exe:
        return [exe]
    # Fall back to the awscli module of this interpreter.
    return [sys.executable, "-m", "awscli"]


@pytest.fixture(scope="module")
def aws(server, tmp_path_factory):
    home = tmp_path_factory.mktemp("awscli-home")
    config = home / "config"
    config.write_text("")
    creds = home / "credentials"
    creds.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(creds),
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": str(home),
    })
    base = _aws_command() + ["--endpoint-url", server.url, "--region", REGION,
                             "--output", "json"]

    def run(*args, expect_ok=True, service="personalize"):
        proc = subprocess.run(base + [service, *args], env=env, capture_output=True,
                              text=True, timeout=120)
        if expect_ok:
            assert proc.returncode == 0, (
                f"aws {service} {' '.join(args)} exited {proc.returncode}\n"
                f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
            out = proc.stdout.strip()
            return json.loads(out) if out else {}
        return proc

    return run


def _wait_cli(aws, describe_args, key, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        obj = aws(*describe_args)[key]
        if obj["status"] == "ACTIVE":
            return obj
        assert obj["status"] != "CREATE FAILED", obj
        assert time.monotonic() < deadline, f"timed out waiting for ACTIVE: {obj}"
        time.sleep(0.2)


def test_full_flow(aws, tmp_path):
    group_name = unique_name("cli-dg")
    schema_name = unique_name("cli-sc")
    ds_name = unique_name("cli-ds")
    job_name = unique_name("cli-imp")

    out = aws("create-dataset-group", "--name", group_name,
              "--tags", "tagKey=owner,tagValue=cli")
    group_arn = out["datasetGroupArn"]
    assert group_arn == arn(f"dataset-group/{group_name}")
    g = _wait_cli(aws, ["describe-dataset-group", "--dataset-group-arn", group_arn],
                  "datasetGroup")
    assert g["name"] == group_name
    assert isinstance(g["creationDateTime"], (int, float, str))

    schema_file = tmp_path / "schema.json"
    schema_file.write_text(INTERACTIONS_SCHEMA)
    schema_arn = aws("create-schema", "--name", schema_name,
                     "--schema", f"file://{schema_file}")["schemaArn"]
    assert schema_arn == arn(f"schema/{schema_name}")
    described = aws("describe-schema", "--schema-arn", schema_arn)["schema"]
    assert described["schema"] == INTERACTIONS_SCHEMA

    ds_arn = aws("create-dataset", "--name", ds_name, "--schema-arn", schema_arn,
                 "--dataset-group-arn", group_arn,
                 "--dataset-type", "Interactions")["datasetArn"]
    assert ds_arn == arn(f"dataset/{group_name}/INTERACTIONS")
    _wait_cli(aws, ["describe-dataset", "--dataset-arn", ds_arn], "dataset")

    csv = write_interactions_csv(tmp_path / "interactions.csv", n=1200)
    job_arn = aws("create-dataset-import-job", "--job-name", job_name,
                  "--dataset-arn", ds_arn,
                  "--data-source", json.dumps({"dataLocation": str(csv)}),
                  "--import-mode", "FULL")["datasetImportJobArn"]
    assert job_arn == arn(f"dataset-import-job/{job_name}")
    job = _wait_cli(aws, ["describe-dataset-import-job", "--dataset-import-job-arn", job_arn],
                    "datasetImportJob")
    assert job["dataSource"]["dataLocation"] == str(csv)
    assert job["importMode"] == "FULL"

    # Lists (the CLI follows nextToken itself; --page-size makes it use maxResults=1).
    groups = aws("list-dataset-groups", "--page-size", "1")["datasetGroups"]
    assert group_arn in [x["datasetGroupArn"] for x in groups]
    schemas = aws("list-schemas")["schemas"]
    assert schema_arn in [x["schemaArn"] for x in schemas]
    datasets = aws("list-datasets", "--dataset-group-arn", group_arn)["datasets"]
    assert [d["datasetArn"] for d in datasets] == [ds_arn]
    jobs = aws("list-dataset-import-jobs", "--dataset-arn", ds_arn)["datasetImportJobs"]
    assert [j["datasetImportJobArn"] for j in jobs] == [job_arn]

    # Tags.
    aws("tag-resource", "--resource-arn", group_arn,
        "--tags", "tagKey=stage,tagValue=e2e")
    tags = aws("list-tags-for-resource", "--resource-arn", group_arn)["tags"]
    assert {t["tagKey"]: t["tagValue"] for t in tags} == {"owner": "cli", "stage": "e2e"}
    aws("untag-resource", "--resource-arn", group_arn, "--tag-keys", "owner")
    tags = aws("list-tags-for-resource", "--resource-arn", group_arn)["tags"]
    assert {t["tagKey"]: t["tagValue"] for t in tags} == {"stage": "e2e"}

    # Deletes, innermost first.
    aws("delete-dataset", "--dataset-arn", ds_arn)
    deadline = time.monotonic() + 60
    while aws("describe-dataset", "--dataset-arn", ds_arn, expect_ok=False).returncode == 0:
        assert time.monotonic() < deadline, "dataset never went away"
        time.sleep(0.2)
    aws("delete-dataset-group", "--dataset-group-arn", group_arn)
    aws("delete-schema", "--schema-arn", schema_arn)
    deadline = time.monotonic() + 60
    while True:
        proc = aws("describe-dataset-group", "--dataset-group-arn", group_arn, expect_ok=False)
        if proc.returncode != 0:
            assert "ResourceNotFoundException" in proc.stderr, proc.stderr
            break
        assert time.monotonic() < deadline, "dataset group never went away"
        time.sleep(0.2)


def test_describe_unknown_arn_fails(aws):
    proc = aws("describe-dataset-group", "--dataset-group-arn",
               arn("dataset-group/never-existed-cli"), expect_ok=False)
    assert proc.returncode != 0
    assert "ResourceNotFoundException" in proc.stderr, proc.stderr


def test_invalid_name_fails(aws):
    proc = aws("create-dataset-group", "--name", "not a valid name", expect_ok=False)
    assert proc.returncode != 0
    assert "InvalidInputException" in proc.stderr, proc.stderr


def test_serving_flow(aws, tmp_path):
    """Train, deploy, record an event and ask for recommendations, all through `aws`."""
    group_arn = aws("create-dataset-group", "--name", unique_name("cli-dg"))["datasetGroupArn"]
    _wait_cli(aws, ["describe-dataset-group", "--dataset-group-arn", group_arn], "datasetGroup")
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(INTERACTIONS_SCHEMA)
    schema_arn = aws("create-schema", "--name", unique_name("cli-sc"),
                     "--schema", f"file://{schema_file}")["schemaArn"]
    ds_arn = aws("create-dataset", "--name", unique_name("cli-ds"), "--schema-arn", schema_arn,
                 "--dataset-group-arn", group_arn, "--dataset-type", "Interactions")["datasetArn"]
    _wait_cli(aws, ["describe-dataset", "--dataset-arn", ds_arn], "dataset")
    csv = write_interactions_csv(tmp_path / "interactions.csv", n=1200)
    job_arn = aws("create-dataset-import-job", "--job-name", unique_name("cli-imp"),
                  "--dataset-arn", ds_arn,
                  "--data-source", json.dumps({"dataLocation": str(csv)}))["datasetImportJobArn"]
    _wait_cli(aws, ["describe-dataset-import-job", "--dataset-import-job-arn", job_arn],
              "datasetImportJob")
    solution_arn = aws("create-solution", "--name", unique_name("cli-sol"),
                       "--dataset-group-arn", group_arn,
                       "--recipe-arn", "arn:aws:personalize:::recipe/aws-user-personalization",
                       "--solution-config",
                       json.dumps({"algorithmHyperParameters": {"hidden_dimension": "8",
                                                                "iterations": "3"}}))[
        "solutionArn"]
    _wait_cli(aws, ["describe-solution", "--solution-arn", solution_arn], "solution")
    version_arn = aws("create-solution-version", "--solution-arn",
                      solution_arn)["solutionVersionArn"]
    _wait_cli(aws, ["describe-solution-version", "--solution-version-arn", version_arn],
              "solutionVersion")
    campaign_arn = aws("create-campaign", "--name", unique_name("cli-cmp"),
                       "--solution-version-arn", version_arn)["campaignArn"]
    _wait_cli(aws, ["describe-campaign", "--campaign-arn", campaign_arn], "campaign")
    tracker = aws("create-event-tracker", "--name", unique_name("cli-trk"),
                  "--dataset-group-arn", group_arn)
    _wait_cli(aws, ["describe-event-tracker", "--event-tracker-arn", tracker["eventTrackerArn"]],
              "eventTracker")
    filter_arn = aws("create-filter", "--name", unique_name("cli-flt"),
                     "--dataset-group-arn", group_arn, "--filter-expression",
                     'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')["filterArn"]
    _wait_cli(aws, ["describe-filter", "--filter-arn", filter_arn], "filter")

    recs = aws("get-recommendations", "--campaign-arn", campaign_arn, "--user-id", "cli-user",
               "--num-results", "5", service="personalize-runtime")
    assert len(recs["itemList"]) == 5 and recs["recommendationId"]
    seen = recs["itemList"][0]["itemId"]
    aws("put-events", "--tracking-id", tracker["trackingId"], "--user-id", "cli-user",
        "--session-id", "cli-session", "--event-list",
        json.dumps([{"eventType": "click", "itemId": seen, "sentAt": 1_800_000_000}]),
        service="personalize-events")
    unseen = aws("get-recommendations", "--campaign-arn", campaign_arn, "--user-id", "cli-user",
                 "--num-results", "25", "--filter-arn", filter_arn,
                 service="personalize-runtime")["itemList"]
    assert len(unseen) == 25 and seen not in [i["itemId"] for i in unseen], (seen, unseen)
    proc = aws("put-events", "--tracking-id", "no-such-tracker", "--session-id", "s",
               "--event-list", json.dumps([{"eventType": "click", "itemId": "i1",
                                            "sentAt": 1_800_000_000}]),
               expect_ok=False, service="personalize-events")
    assert proc.returncode != 0 and "InvalidInputException" in proc.stderr, proc.stderr
