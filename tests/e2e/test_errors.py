"""Validation errors, unknown resources, and raw-HTTP protocol errors (no boto3)."""
import json

import pytest

from tailor_e2e import (INTERACTIONS_SCHEMA, arn, expect_error, raw_oversize_request,
                        raw_request, raw_target_request, unique_name, write_interactions_csv)

BAD_NAMES = [
    ("space", "bad name"),
    ("bang", "bad!name"),
    ("slash", "bad/name"),
    ("dot", "bad.name"),
    ("leading-dash", "-leading"),
    ("leading-underscore", "_leading"),
    ("unicode", "n\u00e4me"),
    ("64-chars", "a" * 64),
]


def _create(pz, kind, name):
    if kind == "dataset_group":
        pz.create_dataset_group(name=name)
    else:
        pz.create_schema(name=name, schema=INTERACTIONS_SCHEMA)


@pytest.mark.parametrize("label,name", BAD_NAMES, ids=[b[0] for b in BAD_NAMES])
@pytest.mark.parametrize("kind", ["dataset_group", "schema"])
def test_invalid_name(pz, kind, label, name):
    with expect_error(pz, "InvalidInputException", "name"):
        _create(pz, kind, name)


def test_invalid_dataset_name(pz, res):
    group_arn = res.dataset_group()
    schema_arn = res.schema()
    for name in ("bad name!", "x" * 64, "-dash"):
        with expect_error(pz, "InvalidInputException", "name"):
            pz.create_dataset(name=name, schemaArn=schema_arn, datasetGroupArn=group_arn,
                              datasetType="Interactions")


def test_invalid_job_name(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("n"), n=1000)
    for name in ("bad name!", "x" * 64, "-dash"):
        with expect_error(pz, "InvalidInputException", "name"):
            pz.create_dataset_import_job(jobName=name, datasetArn=ds_arn,
                                         dataSource={"dataLocation": str(csv)})


def test_63_char_name_is_fine(pz, res):
    name = "a" + unique_name("b")[:10].replace("-", "_") + "c" * 52
    name = name[:63]
    assert len(name) == 63
    group_arn = res.dataset_group(name=name)
    assert group_arn.endswith("/" + name)
    schema_arn = res.schema(name=name)  # separate namespace per resource type
    assert schema_arn.endswith("/" + name)


@pytest.mark.parametrize("op,param,suffix", [
    ("describe_dataset_group", "datasetGroupArn", "dataset-group/missing-xyz"),
    ("delete_dataset_group", "datasetGroupArn", "dataset-group/missing-xyz"),
    ("describe_schema", "schemaArn", "schema/missing-xyz"),
    ("delete_schema", "schemaArn", "schema/missing-xyz"),
    ("describe_dataset", "datasetArn", "dataset/missing-xyz/INTERACTIONS"),
    ("delete_dataset", "datasetArn", "dataset/missing-xyz/INTERACTIONS"),
    ("describe_dataset_import_job", "datasetImportJobArn", "dataset-import-job/missing-xyz"),
    ("list_tags_for_resource", "resourceArn", "dataset-group/missing-xyz"),
])
def test_unknown_arn_is_not_found(pz, op, param, suffix):
    with expect_error(pz, "ResourceNotFoundException"):
        getattr(pz, op)(**{param: arn(suffix)})


def test_wrong_resource_type_arn_is_not_found_or_invalid(pz, res):
    """A schema ARN handed to DescribeDatasetGroup names no dataset group."""
    schema_arn = res.schema()
    with pytest.raises(pz.exceptions.ClientError) as info:
        pz.describe_dataset_group(datasetGroupArn=schema_arn)
    assert info.value.response["Error"]["Code"] in ("ResourceNotFoundException",
                                                    "InvalidInputException")


def test_arn_of_other_region_is_not_found(pz, res):
    group_arn = res.dataset_group()
    other = group_arn.replace(":us-east-1:", ":eu-central-1:")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_dataset_group(datasetGroupArn=other)


@pytest.mark.parametrize("bad", ["not-an-arn", "arn:aws:s3:::bucket/key",
                                 "arn:aws:personalize:us-east-1:000000000000:" + "x" * 250],
                         ids=["garbage", "other-service", "too-long"])
def test_malformed_arn_is_invalid_input(pz, bad):
    with expect_error(pz, "InvalidInputException"):
        pz.describe_dataset_group(datasetGroupArn=bad)


def test_missing_required_member_reaches_server_as_invalid_input(endpoint):
    """botocore checks required members itself; a raw request without `name` must be
    InvalidInputException naming it."""
    status, headers, body = raw_target_request(endpoint, "AmazonPersonalize.CreateDatasetGroup",
                                               "{}")
    assert status == 400, body
    doc = json.loads(body)
    assert doc["__type"].split("#")[-1] == "InvalidInputException", doc
    assert "name" in doc["message"].lower()


def test_wrong_json_type_is_rejected(endpoint):
    status, _, body = raw_target_request(endpoint, "AmazonPersonalize.CreateDatasetGroup",
                                         json.dumps({"name": 12345}))
    assert status == 400, body
    doc = json.loads(body)
    assert doc["__type"].split("#")[-1] in ("InvalidInputException", "SerializationException")


# --------------------------------------------------------------------------------------------
# Raw HTTP
# --------------------------------------------------------------------------------------------
def _error_doc(status, headers, body):
    assert status == 400, (status, body[:500])
    assert headers.get("content-type", "").startswith("application/x-amz-json-1.1") or \
        headers.get("content-type", "").startswith("application/json"), headers
    assert headers.get("x-amzn-requestid"), f"x-amzn-RequestId missing: {headers}"
    doc = json.loads(body)
    assert isinstance(doc.get("__type"), str) and doc["__type"], doc
    msg = doc.get("message") or doc.get("Message")
    assert isinstance(msg, str) and msg, doc
    return doc["__type"].split("#")[-1], msg


@pytest.mark.parametrize("body", [b"this is not json", b"{\"name\": ", b"[1,2,3]", b"\xff\xfe"],
                         ids=["text", "truncated", "array", "binary"])
def test_body_not_json(endpoint, body):
    code, msg = _error_doc(*raw_target_request(endpoint, "AmazonPersonalize.ListSchemas", body))
    assert code in ("SerializationException", "InvalidInputException"), code


def test_empty_body_is_empty_object(endpoint):
    status, headers, body = raw_target_request(endpoint, "AmazonPersonalize.ListSchemas", b"")
    # An empty body may be read as {} (AWS tolerates it) or rejected as not JSON.
    if status == 200:
        assert "schemas" in json.loads(body)
    else:
        code, _ = _error_doc(status, headers, body)
        assert code in ("SerializationException", "InvalidInputException")


def test_unknown_operation(endpoint):
    code, msg = _error_doc(*raw_target_request(endpoint, "AmazonPersonalize.MakeCoffee", "{}"))
    assert code == "UnknownOperationException", (code, msg)


def test_wrong_service_prefix(endpoint):
    code, msg = _error_doc(*raw_target_request(endpoint, "DynamoDB_20120810.ListTables", "{}"))
    assert code == "UnknownOperationException", (code, msg)


def test_missing_target_header(endpoint):
    status, headers, body = raw_request(endpoint, body=b"{}", headers={
        "Content-Type": "application/x-amz-json-1.1"})
    code, _ = _error_doc(status, headers, body)
    assert code in ("UnknownOperationException", "InvalidInputException",
                    "SerializationException"), code


def test_oversize_body(endpoint):
    status, headers, body = raw_oversize_request(endpoint, "AmazonPersonalize.ListSchemas",
                                                 10 * 1024 * 1024)
    code, msg = _error_doc(status, headers, body)
    assert any(w in msg.lower() for w in ("size", "limit", "large", "too long", "exceed")), msg


def test_server_still_serves_after_oversize(pz, endpoint):
    raw_oversize_request(endpoint, "AmazonPersonalize.ListSchemas", 10 * 1024 * 1024)
    assert "schemas" in pz.list_schemas(maxResults=1)


def test_healthz(endpoint):
    status, _, _ = raw_request(endpoint, method="GET", path="/healthz")
    assert status == 200


def test_success_response_shape(endpoint):
    status, headers, body = raw_target_request(endpoint, "AmazonPersonalize.ListSchemas",
                                               json.dumps({"maxResults": 1}))
    assert status == 200
    assert headers["content-type"].startswith("application/x-amz-json-1.1"), headers
    assert headers.get("x-amzn-requestid")
    doc = json.loads(body)
    assert isinstance(doc["schemas"], list)
    assert None not in doc.values(), f"absent members must be left out, not null: {doc}"


def test_unknown_members_are_ignored(endpoint, pz, res):
    name = unique_name("dgx")
    status, _, body = raw_target_request(endpoint, "AmazonPersonalize.CreateDatasetGroup",
                                         json.dumps({"name": name, "someFutureMember": 1}))
    assert status == 200, body
    res.groups.append(json.loads(body)["datasetGroupArn"])
