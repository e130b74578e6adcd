"""CreateDatasetImportJob / DescribeDatasetImportJob / ListDatasetImportJobs, good and bad CSVs."""
import pathlib

import pytest
from botocore.exceptions import ClientError

from tailor_e2e import (INTERACTIONS_COLUMNS, INTERACTIONS_SCHEMA, ITEMS_SCHEMA, PENDING_STATES,
                        USERS_SCHEMA, Resources, arn, assert_datetime, error_code, expect_error,
                        interaction_rows, no_metadata, unique_name, wait_done, wait_for,
                        write_interactions_csv, write_items_csv, write_users_csv)


def describe_job(pz, job_arn):
    return pz.describe_dataset_import_job(datasetImportJobArn=job_arn)


# --------------------------------------------------------------------------------------------
# Happy paths
# --------------------------------------------------------------------------------------------
def test_full_import_lifecycle(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("inter"), n=1500)
    name = unique_name("imp")
    role = "arn:aws:iam::123456789012:role/PersonalizeS3"
    resp = pz.create_dataset_import_job(jobName=name, datasetArn=ds_arn,
                                        dataSource={"dataLocation": str(csv)}, roleArn=role)
    job_arn = resp["datasetImportJobArn"]
    assert no_metadata(resp) == {"datasetImportJobArn": arn(f"dataset-import-job/{name}")}
    first = describe_job(pz, job_arn)["datasetImportJob"]
    assert first["status"] in PENDING_STATES + ("ACTIVE",), first

    job = wait_for(lambda: describe_job(pz, job_arn), "datasetImportJob")
    assert job["jobName"] == name
    assert job["datasetImportJobArn"] == job_arn
    assert job["datasetArn"] == ds_arn
    assert job["dataSource"] == {"dataLocation": str(csv)}
    assert job["roleArn"] == role
    assert job["status"] == "ACTIVE"
    assert job["importMode"] == "FULL", "importMode defaults to FULL"
    assert_datetime(job["creationDateTime"])
    assert_datetime(job["lastUpdatedDateTime"])
    assert job["lastUpdatedDateTime"] >= job["creationDateTime"]
    assert "failureReason" not in job

    jobs = pz.list_dataset_import_jobs(datasetArn=ds_arn)["datasetImportJobs"]
    assert len(jobs) == 1
    s = jobs[0]
    assert s["datasetImportJobArn"] == job_arn and s["jobName"] == name
    assert s["status"] == "ACTIVE"
    assert s["importMode"] == "FULL"
    assert_datetime(s["creationDateTime"])
    assert_datetime(s["lastUpdatedDateTime"])
    assert "failureReason" not in s
    # Unfiltered listing includes it.
    assert job_arn in [j["datasetImportJobArn"]
                       for j in pz.list_dataset_import_jobs(maxResults=100)["datasetImportJobs"]]


def test_file_url_location(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("inter"), n=1000)
    url = pathlib.Path(csv).as_uri()
    assert url.startswith("file:///")
    job = res.import_and_wait(ds_arn, url)
    assert job["dataSource"]["dataLocation"] == url
    assert job["status"] == "ACTIVE"


def test_explicit_full_then_incremental(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    full = res.import_and_wait(ds_arn, write_interactions_csv(res.csv_path("a"), n=1000),
                               mode="FULL")
    assert full["importMode"] == "FULL"
    inc = res.import_and_wait(
        ds_arn, write_interactions_csv(res.csv_path("b"), n=1200, seed=11,
                                       start_ts=1_700_000_000), mode="INCREMENTAL")
    assert inc["importMode"] == "INCREMENTAL"
    assert inc["status"] == "ACTIVE"
    modes = sorted(j["importMode"] for j in
                   pz.list_dataset_import_jobs(datasetArn=ds_arn)["datasetImportJobs"])
    assert modes == ["FULL", "INCREMENTAL"]


def test_incremental_before_any_full_import_does_not_go_active(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("inc"), n=1000)
    try:
        job_arn = res.start_import(ds_arn, csv, mode="INCREMENTAL")
    except ClientError as e:
        assert error_code(e) == "InvalidInputException", e.response["Error"]
        assert e.response["Error"]["Message"]
        return
    job = wait_done(lambda: describe_job(pz, job_arn), "datasetImportJob")
    assert job["status"] == "CREATE FAILED", job
    assert job.get("failureReason"), job


def test_items_and_users_imports(pz, res):
    group_arn = res.dataset_group()
    items_ds = res.dataset(group_arn, res.schema(ITEMS_SCHEMA), "Items")
    users_ds = res.dataset(group_arn, res.schema(USERS_SCHEMA), "Users")
    inter_ds = res.dataset(group_arn, res.schema(INTERACTIONS_SCHEMA), "Interactions")
    # Items and Users have no 1000-row minimum.
    items_job = res.import_and_wait(items_ds, write_items_csv(res.csv_path("items"), n=120))
    users_job = res.import_and_wait(users_ds, write_users_csv(res.csv_path("users"), n=60))
    inter_job = res.import_and_wait(inter_ds, write_interactions_csv(res.csv_path("i"), 2000))
    for job, ds in ((items_job, items_ds), (users_job, users_ds), (inter_job, inter_ds)):
        assert job["status"] == "ACTIVE" and job["datasetArn"] == ds
    # Incremental upsert into Items is allowed after the first import.
    again = res.import_and_wait(items_ds, write_items_csv(res.csv_path("items2"), n=10),
                                mode="INCREMENTAL")
    assert again["importMode"] == "INCREMENTAL"


def test_quoting_reordered_columns_and_nulls(pz, res):
    """RFC 4180 quoting ("" escapes, quoted commas), header columns in another order than the
    schema, and empty cells in a nullable column all import fine."""
    _, _, ds_arn = res.interactions_dataset()
    cols = ["TIMESTAMP", "EVENT_TYPE", "ITEM_ID", "USER_ID", "EVENT_VALUE"]
    lines = [",".join(cols)]
    for i, r in enumerate(interaction_rows(1100)):
        item = r["ITEM_ID"]
        if i % 10 == 0:
            item = f'"{item},with comma"'
        elif i % 10 == 1:
            item = f'"{item} ""quoted"""'
        elif i % 10 == 2:
            item = f'"{item} \\"backslash-quoted\\""'
        elif i % 10 == 3:
            item = f'"{item}\nwith newline"'
        value = "" if i % 7 == 0 else r["EVENT_VALUE"]
        user = f'"{r["USER_ID"]}"' if i % 3 == 0 else r["USER_ID"]
        lines.append(",".join([r["TIMESTAMP"], r["EVENT_TYPE"], item, user, value]))
    path = res.csv_path("quoted")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    job = res.import_and_wait(ds_arn, path)
    assert job["status"] == "ACTIVE"


def test_users_and_items_with_nulls_and_multivalue(pz, res):
    group_arn = res.dataset_group()
    users_ds = res.dataset(group_arn, res.schema(USERS_SCHEMA), "Users")
    items_ds = res.dataset(group_arn, res.schema(ITEMS_SCHEMA), "Items")
    users = res.csv_path("users")
    users.write_text("USER_ID,AGE,GENDER\nu1,,F\nu2,33,M\nu3,,\"X|Y\"\n")
    assert res.import_and_wait(users_ds, users)["status"] == "ACTIVE"
    items = res.csv_path("items")
    items.write_text("ITEM_ID,GENRES,CREATION_TIMESTAMP\ni1,Action|Comedy,1500000000\n"
                     "i2,,1500000001\ni3,\"Drama\",1500000002\n")
    assert res.import_and_wait(items_ds, items)["status"] == "ACTIVE"


@pytest.mark.parametrize("kind,content,substrings", [
    ("users", "USER_ID,AGE,GENDER\nu1,20,F\nu2,21,\n", ["GENDER", "line 3"]),
    ("users", "USER_ID,AGE,GENDER\nu1,twenty,F\n", ["AGE", "line 2"]),
    ("items", "ITEM_ID,GENRES,CREATION_TIMESTAMP\ni1,{long},1500000000\n", ["GENRES", "line 2"]),
    ("items", "ITEM_ID,GENRES,CREATION_TIMESTAMP\n{longid},A,1500000000\n", ["ITEM_ID", "line 2"]),
    ("items", "ITEM_ID,GENRES,GENRES,CREATION_TIMESTAMP\ni1,A,B,1\n", ["GENRES"]),
], ids=["null-in-required-metadata", "bad-int", "categorical-over-1000", "id-over-256",
        "duplicate-header"])
def test_users_and_items_bad_rows(pz, res, kind, content, substrings):
    group_arn = res.dataset_group()
    body, dtype = (USERS_SCHEMA, "Users") if kind == "users" else (ITEMS_SCHEMA, "Items")
    ds_arn = res.dataset(group_arn, res.schema(body), dtype)
    path = res.csv_path(kind)
    path.write_text(content.format(long="|".join(["abcdefghi"] * 101), longid="i" * 257))
    job = res.import_and_wait(ds_arn, path, expect_failure=True)
    for sub in substrings:
        assert sub.lower() in job["failureReason"].lower(), job["failureReason"]


@pytest.mark.parametrize("location", ["s3://some-bucket/interactions.csv", "relative/path.csv",
                                      "https://example.com/x.csv"])
def test_unsupported_locations_do_not_go_active(pz, res, location):
    _, _, ds_arn = res.interactions_dataset()
    try:
        job_arn = res.start_import(ds_arn, location)
    except ClientError as e:
        assert error_code(e) == "InvalidInputException", e.response["Error"]
        return
    job = wait_done(lambda: describe_job(pz, job_arn), "datasetImportJob")
    assert job["status"] == "CREATE FAILED", job
    assert job.get("failureReason")


def test_duplicate_job_name(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("dup"), n=1000)
    job = res.import_and_wait(ds_arn, csv)
    with expect_error(pz, "ResourceAlreadyExistsException", job["jobName"]):
        res.start_import(ds_arn, csv, name=job["jobName"])


def test_unknown_dataset(pz, res):
    csv = write_interactions_csv(res.csv_path("x"), n=1000)
    with expect_error(pz, "ResourceNotFoundException"):
        res.start_import(arn("dataset/no-such-group-xyz/INTERACTIONS"), csv)


def test_invalid_import_mode(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("x"), n=1000)
    with expect_error(pz, "InvalidInputException", "importMode"):
        res.start_import(ds_arn, csv, mode="PARTIAL")


def test_describe_unknown_job(pz):
    with expect_error(pz, "ResourceNotFoundException"):
        describe_job(pz, arn("dataset-import-job/never-created-xyz"))


# --------------------------------------------------------------------------------------------
# Bad input files: every one ends CREATE FAILED with a failureReason that says where.
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def loaded_dataset(pz, tmp_path_factory):
    """An Interactions dataset with one successful FULL import, shared by the bad-input cases."""
    r = Resources(pz, tmp_path_factory.mktemp("bad-imports"))
    _, _, ds_arn = r.interactions_dataset()
    r.import_and_wait(ds_arn, write_interactions_csv(r.csv_path("good"), n=1500), mode="FULL")
    yield r, ds_arn
    r.cleanup()


def _lines(n=1200, columns=INTERACTIONS_COLUMNS):
    rows = interaction_rows(n)
    return [",".join(columns)] + [",".join(r[c] for c in columns) for r in rows]


def _write(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def case_wrong_column_count(path):
    lines = _lines()
    lines[500] += ",surplus"  # physical line 501 (the header is line 1)
    return _write(path, lines), ["line", "501"]


def case_too_few_columns(path):
    lines = _lines()
    lines[250] = lines[250].rsplit(",", 2)[0]  # line 251 loses two cells
    return _write(path, lines), ["line", "251"]


def case_missing_required_column(path):
    cols = ["USER_ID", "ITEM_ID", "EVENT_TYPE", "EVENT_VALUE"]
    return _write(path, _lines(columns=cols)), ["TIMESTAMP"]


def case_unknown_column(path):
    lines = _lines()
    lines[0] += ",COLOR"
    for i in range(1, len(lines)):
        lines[i] += ",red"
    return _write(path, lines), ["COLOR"]


def case_non_numeric_timestamp(path):
    lines = _lines()
    cells = lines[300].split(",")  # line 301
    cells[2] = "yesterday"
    lines[300] = ",".join(cells)
    return _write(path, lines), ["TIMESTAMP", "line", "301"]


def case_non_numeric_event_value(path):
    lines = _lines()
    cells = lines[400].split(",")  # line 401
    cells[4] = "lots"
    lines[400] = ",".join(cells)
    return _write(path, lines), ["EVENT_VALUE", "line", "401"]


def case_empty_required_id(path):
    lines = _lines()
    cells = lines[50].split(",")  # line 51
    cells[0] = ""
    lines[50] = ",".join(cells)
    return _write(path, lines), ["USER_ID", "line", "51"]


def case_unterminated_quote(path):
    lines = _lines()
    cells = lines[600].split(",")  # line 601
    cells[1] = '"' + cells[1]
    lines[600] = ",".join(cells)
    return _write(path, lines), ["line"]


def case_missing_file(path):
    return path.parent / "definitely-not-here.csv", []


def case_empty_file(path):
    path.write_bytes(b"")
    return path, []


def case_header_only(path):
    return _write(path, _lines(0)), []


def case_huge_line(path):
    lines = _lines()
    cells = lines[100].split(",")  # line 101: a 5 MB ITEM_ID
    cells[1] = "x" * (5 * 1024 * 1024)
    lines[100] = ",".join(cells)
    return _write(path, lines), ["line", "101"]


def case_invalid_utf8(path):
    lines = _lines()
    raw = [line.encode() for line in lines]
    cells = raw[200].split(b",")  # line 201
    cells[0] = b"u\xff\xfe\xc3("
    raw[200] = b",".join(cells)
    path.write_bytes(b"\n".join(raw) + b"\n")
    return path, ["utf", "201"]


def case_fewer_than_1000_rows(path):
    return _write(path, _lines(999)), ["1000"]


BAD_CASES = [
    case_wrong_column_count, case_too_few_columns, case_missing_required_column,
    case_unknown_column, case_non_numeric_timestamp, case_non_numeric_event_value,
    case_empty_required_id, case_unterminated_quote, case_missing_file, case_empty_file,
    case_header_only, case_huge_line, case_invalid_utf8, case_fewer_than_1000_rows,
]


@pytest.mark.parametrize("make_case", BAD_CASES, ids=[c.__name__[5:] for c in BAD_CASES])
def test_bad_input_fails_with_reason(pz, loaded_dataset, tmp_path, make_case):
    r, ds_arn = loaded_dataset
    path, substrings = make_case(tmp_path / "bad.csv")
    try:
        job_arn = r.start_import(ds_arn, path, mode="FULL")
    except ClientError as e:
        pytest.fail(f"CreateDatasetImportJob must accept the request and fail the job "
                    f"asynchronously, got {e.response['Error']}")
    job = wait_done(lambda: describe_job(pz, job_arn), "datasetImportJob")
    assert job["status"] == "CREATE FAILED", job
    reason = job.get("failureReason") or ""
    assert reason, f"no failureReason: {job}"
    for s in substrings:
        assert s.lower() in reason.lower(), f"failureReason {reason!r} does not mention {s!r}"
    # Summaries carry the failure too.
    summary = [j for j in pz.list_dataset_import_jobs(datasetArn=ds_arn,
                                                      maxResults=100)["datasetImportJobs"]
               if j["datasetImportJobArn"] == job_arn]
    assert len(summary) == 1
    assert summary[0]["status"] == "CREATE FAILED"
    assert summary[0].get("failureReason") == reason
    # The dataset itself is unaffected.
    assert pz.describe_dataset(datasetArn=ds_arn)["dataset"]["status"] == "ACTIVE"


def test_missing_file_reason_names_location(pz, loaded_dataset, tmp_path):
    r, ds_arn = loaded_dataset
    missing = tmp_path / "nope" / "missing.csv"
    job = r.import_and_wait(ds_arn, missing, mode="FULL", expect_failure=True)
    reason = job["failureReason"].lower()
    assert (str(missing).lower() in reason or "not found" in reason or "no such" in reason
            or "does not exist" in reason or "data location" in reason), reason


def test_incremental_with_too_few_rows_fails(pz, loaded_dataset, tmp_path):
    r, ds_arn = loaded_dataset
    csv = write_interactions_csv(tmp_path / "small.csv", n=500)
    job = r.import_and_wait(ds_arn, csv, mode="INCREMENTAL", expect_failure=True)
    assert "1000" in job["failureReason"], job


def test_dataset_survives_failed_imports(pz, loaded_dataset, tmp_path):
    """After all the failed FULL imports the earlier data is still committed: an INCREMENTAL
    import (which needs an earlier import) is accepted and succeeds."""
    r, ds_arn = loaded_dataset
    csv = write_interactions_csv(tmp_path / "more.csv", n=1000, seed=3, start_ts=1_650_000_000)
    job = r.import_and_wait(ds_arn, csv, mode="INCREMENTAL")
    assert job["status"] == "ACTIVE"
    assert job["importMode"] == "INCREMENTAL"
    statuses = [j["status"] for j in
                pz.list_dataset_import_jobs(datasetArn=ds_arn, maxResults=100)[
                    "datasetImportJobs"]]
    assert statuses.count("ACTIVE") >= 2, statuses
