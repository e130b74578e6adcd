"""Intermediate statuses and the rules that depend on them, on a server whose background
transitions are slowed down with `--transition-delay-ms` so the states can be observed."""
import signal
import time

import pytest

from tailor_e2e import (INTERACTIONS_SCHEMA, Resources, expect_error, unique_name, wait_for,
                        wait_gone, write_interactions_csv)

DELAY_MS = 250
CREATE_CHAIN = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]


@pytest.fixture
def slow(server_factory, tmp_path):
    srv = server_factory(extra_args=["--transition-delay-ms", str(DELAY_MS)])
    pz = srv.client()
    r = Resources(pz, tmp_path)
    yield srv, pz, r
    r.cleanup()


def observe(describe_fn, key, until=("ACTIVE", "CREATE FAILED"), timeout=30):
    """Polls quickly and returns the distinct statuses seen, in order."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = describe_fn()[key]["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in until:
            return seen
        time.sleep(0.02)
    pytest.fail(f"{key} did not reach {until} in {timeout}s; seen {seen}")


def assert_in_chain(seen, chain):
    assert seen[0] == chain[0], f"first status {seen[0]!r}, expected {chain[0]!r}: {seen}"
    positions = [chain.index(s) for s in seen]  # raises on a status outside the chain
    assert positions == sorted(positions), f"statuses out of order: {seen}"
    assert seen[-1] == chain[-1]


def test_dataset_group_create_chain(slow):
    _, pz, r = slow
    group_arn = r.dataset_group(wait=False)
    seen = observe(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn), "datasetGroup")
    assert_in_chain(seen, CREATE_CHAIN)
    assert "CREATE IN_PROGRESS" in seen, seen


def test_dataset_needs_active_group(slow):
    _, pz, r = slow
    group_arn = r.dataset_group(wait=False)
    schema_arn = r.schema(INTERACTIONS_SCHEMA)
    with expect_error(pz, "ResourceInUseException"):
        ds = pz.create_dataset(name=unique_name("ds"), schemaArn=schema_arn,
                               datasetGroupArn=group_arn, datasetType="Interactions")
        r.datasets.append(ds["datasetArn"])
    wait_for(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn), "datasetGroup")
    ds_arn = r.dataset(group_arn, schema_arn, wait=False)
    seen = observe(lambda: pz.describe_dataset(datasetArn=ds_arn), "dataset")
    assert_in_chain(seen, CREATE_CHAIN)


def test_import_needs_active_dataset_and_job_chain(slow):
    _, pz, r = slow
    group_arn = r.dataset_group()
    ds_arn = r.dataset(group_arn, r.schema(INTERACTIONS_SCHEMA), wait=False)
    csv = write_interactions_csv(r.csv_path("a"), n=1000)
    with expect_error(pz, "ResourceInUseException"):
        r.start_import(ds_arn, csv)
    wait_for(lambda: pz.describe_dataset(datasetArn=ds_arn), "dataset")
    job_arn = r.start_import(ds_arn, csv)
    # While the job runs the dataset cannot be deleted.
    with expect_error(pz, "ResourceInUseException"):
        pz.delete_dataset(datasetArn=ds_arn)
    seen = observe(lambda: pz.describe_dataset_import_job(datasetImportJobArn=job_arn),
                   "datasetImportJob")
    assert_in_chain(seen, CREATE_CHAIN)


def test_more_than_five_pending_import_jobs(slow):
    _, pz, r = slow
    group_arn = r.dataset_group()
    ds_arn = r.dataset(group_arn, r.schema(INTERACTIONS_SCHEMA))
    csv = write_interactions_csv(r.csv_path("a"), n=1000)
    jobs = [r.start_import(ds_arn, csv) for _ in range(5)]
    with expect_error(pz, "LimitExceededException", "5"):
        r.start_import(ds_arn, csv)
    for j in jobs:
        wait_for(lambda: pz.describe_dataset_import_job(datasetImportJobArn=j),
                 "datasetImportJob", timeout=60)
    # Once they finished, new jobs are accepted again.
    r.import_and_wait(ds_arn, csv)


def _status_right_after_delete(describe_fn, key):
    try:
        return describe_fn()[key]["status"]
    except Exception as e:  # noqa: BLE001
        if "ResourceNotFoundException" in str(e):
            pytest.fail(f"{key} vanished synchronously on delete; expected DELETE PENDING "
                        f"first (personalize-semantics.md section 2.2)", pytrace=False)
        raise


def test_delete_chain(slow):
    _, pz, r = slow
    group_arn, _, ds_arn = r.interactions_dataset()
    pz.delete_dataset(datasetArn=ds_arn)
    st = _status_right_after_delete(lambda: pz.describe_dataset(datasetArn=ds_arn), "dataset")
    assert st == "DELETE PENDING", st
    # A group whose dataset is still being deleted cannot be deleted yet.
    with expect_error(pz, "ResourceInUseException"):
        pz.delete_dataset_group(datasetGroupArn=group_arn)
    wait_gone(lambda: pz.describe_dataset(datasetArn=ds_arn))
    pz.delete_dataset_group(datasetGroupArn=group_arn)
    st = _status_right_after_delete(
        lambda: pz.describe_dataset_group(datasetGroupArn=group_arn), "datasetGroup")
    assert st == "DELETE PENDING", st
    wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn))


def test_unfinished_work_resumes_after_restart(slow):
    """Resources left pending by a stop are finished by the next run."""
    srv, pz, r = slow
    group_arn = r.dataset_group()
    ds_arn = r.dataset(group_arn, r.schema(INTERACTIONS_SCHEMA))
    job_arn = r.start_import(ds_arn, write_interactions_csv(r.csv_path("a"), n=1000))
    pending_group = r.dataset_group(wait=False)
    assert srv.stop(signal.SIGTERM) == 0
    srv.extra_args = []
    srv.start()
    pz = srv.client()
    r.pz = pz
    wait_for(lambda: pz.describe_dataset_group(datasetGroupArn=pending_group), "datasetGroup")
    job = wait_for(lambda: pz.describe_dataset_import_job(datasetImportJobArn=job_arn),
                   "datasetImportJob", expect_failure=True)
    assert job["status"] in ("ACTIVE", "CREATE FAILED")
    if job["status"] == "CREATE FAILED":
        assert job.get("failureReason")
