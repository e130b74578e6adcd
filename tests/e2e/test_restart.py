"""Durability: everything created before a graceful stop is there, unchanged, after a restart on
the same data dir."""
import signal

from tailor_e2e import (INTERACTIONS_SCHEMA, ITEMS_SCHEMA, Resources, expect_error, unique_name,
                        wait_for, wait_gone, write_interactions_csv, write_items_csv)


def _snapshot(pz, group_arn, schema_arns, ds_arns, job_arns):
    return {
        "group": pz.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"],
        "schemas": [pz.describe_schema(schemaArn=s)["schema"] for s in schema_arns],
        "datasets": [pz.describe_dataset(datasetArn=d)["dataset"] for d in ds_arns],
        "jobs": [pz.describe_dataset_import_job(datasetImportJobArn=j)["datasetImportJob"]
                 for j in job_arns],
        "tags": pz.list_tags_for_resource(resourceArn=group_arn)["tags"],
    }


def test_state_survives_sigterm_restart(server_factory, tmp_path):
    srv = server_factory()
    pz = srv.client()
    r = Resources(pz, tmp_path)
    group_arn = r.dataset_group(tags=[{"tagKey": "keep", "tagValue": "me"}])
    inter_schema = r.schema(INTERACTIONS_SCHEMA)
    items_schema = r.schema(ITEMS_SCHEMA)
    inter_ds = r.dataset(group_arn, inter_schema, "Interactions")
    items_ds = r.dataset(group_arn, items_schema, "Items")
    ok_job = r.import_and_wait(inter_ds, write_interactions_csv(r.csv_path("i"), n=1500),
                               mode="FULL")
    items_job = r.import_and_wait(items_ds, write_items_csv(r.csv_path("it"), n=50))
    bad = tmp_path / "bad.csv"
    bad.write_text("USER_ID,ITEM_ID\nu1,i1\n")
    failed_job = r.import_and_wait(inter_ds, bad, mode="FULL", expect_failure=True)
    # A schema that gets deleted before the restart must stay deleted.
    gone_schema = r.schema(ITEMS_SCHEMA)
    pz.delete_schema(schemaArn=gone_schema)
    wait_gone(lambda: pz.describe_schema(schemaArn=gone_schema))

    schema_arns = [inter_schema, items_schema]
    ds_arns = [inter_ds, items_ds]
    job_arns = [ok_job["datasetImportJobArn"], items_job["datasetImportJobArn"],
                failed_job["datasetImportJobArn"]]
    before = _snapshot(pz, group_arn, schema_arns, ds_arns, job_arns)
    lists_before = {
        "groups": pz.list_dataset_groups()["datasetGroups"],
        "schemas": pz.list_schemas()["schemas"],
        "datasets": pz.list_datasets(datasetGroupArn=group_arn)["datasets"],
        "jobs": pz.list_dataset_import_jobs(datasetArn=inter_ds)["datasetImportJobs"],
    }

    code = srv.stop(signal.SIGTERM)
    assert code == 0, f"SIGTERM exit code {code}; stderr:\n{srv.stderr()}"

    srv.start()
    pz = srv.client()
    r.pz = pz
    after = _snapshot(pz, group_arn, schema_arns, ds_arns, job_arns)

    assert after["group"] == before["group"]
    assert after["group"]["status"] == "ACTIVE"
    assert after["schemas"] == before["schemas"]
    assert after["datasets"] == before["datasets"]
    assert all(d["status"] == "ACTIVE" for d in after["datasets"])
    assert after["jobs"] == before["jobs"]
    assert [j["status"] for j in after["jobs"]] == ["ACTIVE", "ACTIVE", "CREATE FAILED"]
    assert after["jobs"][2]["failureReason"] == failed_job["failureReason"]
    assert sorted(map(str, after["tags"])) == sorted(map(str, before["tags"]))
    # Creation times are exactly equal (compared above as part of the objects; spelled out).
    assert after["group"]["creationDateTime"] == before["group"]["creationDateTime"]
    assert [d["creationDateTime"] for d in after["datasets"]] == \
        [d["creationDateTime"] for d in before["datasets"]]

    def by_arn(items, key):
        return sorted(items, key=lambda x: x[key])

    assert by_arn(pz.list_dataset_groups()["datasetGroups"], "datasetGroupArn") == \
        by_arn(lists_before["groups"], "datasetGroupArn")
    assert by_arn(pz.list_schemas()["schemas"], "schemaArn") == \
        by_arn(lists_before["schemas"], "schemaArn")
    assert by_arn(pz.list_datasets(datasetGroupArn=group_arn)["datasets"], "datasetArn") == \
        by_arn(lists_before["datasets"], "datasetArn")
    assert by_arn(pz.list_dataset_import_jobs(datasetArn=inter_ds)["datasetImportJobs"],
                  "datasetImportJobArn") == \
        by_arn(lists_before["jobs"], "datasetImportJobArn")

    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_schema(schemaArn=gone_schema)

    # Names stay taken.
    with expect_error(pz, "ResourceAlreadyExistsException"):
        pz.create_dataset_group(name=group_arn.rsplit("/", 1)[1])

    # The earlier FULL import persisted, so INCREMENTAL is accepted and succeeds.
    inc = r.import_and_wait(inter_ds, write_interactions_csv(r.csv_path("inc"), n=1000, seed=5,
                                                             start_ts=1_700_000_000),
                            mode="INCREMENTAL")
    assert inc["status"] == "ACTIVE"
    # New resources still work after the restart.
    new_group = r.dataset_group(name=unique_name("after"))
    assert wait_for(lambda: pz.describe_dataset_group(datasetGroupArn=new_group),
                    "datasetGroup")["status"] == "ACTIVE"

    # A second clean restart in a row also works, and deletes are durable too.
    r.cleanup()
    assert srv.stop(signal.SIGTERM) == 0
    srv.start()
    pz = srv.client()
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_dataset_group(datasetGroupArn=group_arn)
    assert pz.list_dataset_groups()["datasetGroups"] == []
    assert srv.stop(signal.SIGTERM) == 0


def test_restart_while_import_job_pending_is_consistent(server_factory, tmp_path):
    """A stop right after CreateDatasetImportJob: after restart the job is either ACTIVE (it
    finished), CREATE FAILED (interrupted, with a reason) or still progressing to one of those;
    never stuck forever in a pending state."""
    srv = server_factory()
    pz = srv.client()
    r = Resources(pz, tmp_path)
    _, _, ds_arn = r.interactions_dataset()
    job_arn = r.start_import(ds_arn, write_interactions_csv(r.csv_path("big"), n=3000))
    assert srv.stop(signal.SIGTERM) == 0
    srv.start()
    pz = srv.client()
    job = wait_for(lambda: pz.describe_dataset_import_job(datasetImportJobArn=job_arn),
                   "datasetImportJob", expect_failure=True, timeout=60)
    assert job["status"] in ("ACTIVE", "CREATE FAILED"), job
    if job["status"] == "CREATE FAILED":
        assert job.get("failureReason")
    assert srv.stop(signal.SIGTERM) == 0


def test_committed_state_survives_sigkill(server_factory, tmp_path):
    """A crash (SIGKILL) after resources reached ACTIVE loses none of them."""
    srv = server_factory()
    pz = srv.client()
    r = Resources(pz, tmp_path)
    group_arn, schema_arn, ds_arn = r.interactions_dataset()
    job = r.import_and_wait(ds_arn, write_interactions_csv(r.csv_path("k"), n=1000))
    before = _snapshot(pz, group_arn, [schema_arn], [ds_arn], [job["datasetImportJobArn"]])
    srv.stop(signal.SIGKILL)
    srv.start()
    pz = srv.client()
    r.pz = pz
    after = _snapshot(pz, group_arn, [schema_arn], [ds_arn], [job["datasetImportJobArn"]])
    assert after == before
    inc = r.import_and_wait(ds_arn, write_interactions_csv(r.csv_path("k2"), n=1000, seed=9),
                            mode="INCREMENTAL")
    assert inc["status"] == "ACTIVE"
    assert srv.stop(signal.SIGTERM) == 0
