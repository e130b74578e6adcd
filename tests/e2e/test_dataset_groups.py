"""CreateDatasetGroup / DescribeDatasetGroup / ListDatasetGroups / DeleteDatasetGroup."""
import pytest

from tailor_e2e import (ARN_PREFIX, INTERACTIONS_SCHEMA, PENDING_STATES, Resources, arn,
                        assert_datetime, expect_error, make_client, no_metadata, unique_name,
                        wait_for, wait_gone)


def test_create_returns_arn_and_goes_active(pz, res):
    name = unique_name("dg")
    resp = pz.create_dataset_group(name=name)
    res.groups.append(resp["datasetGroupArn"])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["ResponseMetadata"].get("RequestId"), "x-amzn-RequestId missing"
    assert resp["ResponseMetadata"]["HTTPHeaders"]["content-type"].startswith(
        "application/x-amz-json-1.1")
    group_arn = resp["datasetGroupArn"]
    assert group_arn == arn(f"dataset-group/{name}")
    # Custom (no domain) group: the member is left out, never null.
    assert "domain" not in resp, resp

    first = pz.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"]
    assert first["status"] in PENDING_STATES + ("ACTIVE",), first

    g = wait_for(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn), "datasetGroup")
    assert g["name"] == name
    assert g["datasetGroupArn"] == group_arn
    assert g["status"] == "ACTIVE"
    assert_datetime(g["creationDateTime"], "creationDateTime")
    assert_datetime(g["lastUpdatedDateTime"], "lastUpdatedDateTime")
    assert g["lastUpdatedDateTime"] >= g["creationDateTime"]
    assert "failureReason" not in g
    assert "domain" not in g


@pytest.mark.parametrize("domain", ["ECOMMERCE", "VIDEO_ON_DEMAND"])
def test_domain_is_echoed(pz, res, domain):
    name = unique_name("dgdom")
    resp = pz.create_dataset_group(name=name, domain=domain)
    res.groups.append(resp["datasetGroupArn"])
    assert resp["domain"] == domain
    g = wait_for(lambda: pz.describe_dataset_group(datasetGroupArn=resp["datasetGroupArn"]),
                 "datasetGroup")
    assert g["domain"] == domain
    summaries = [s for s in pz.list_dataset_groups(maxResults=100)["datasetGroups"]
                 if s["datasetGroupArn"] == resp["datasetGroupArn"]]
    assert len(summaries) == 1
    assert summaries[0]["domain"] == domain


def test_invalid_domain_is_rejected(pz):
    with expect_error(pz, "InvalidInputException", "domain"):
        pz.create_dataset_group(name=unique_name("dgbad"), domain="GROCERIES")


def test_role_and_kms_key_are_recorded(pz, res):
    role = "arn:aws:iam::123456789012:role/PersonalizeRole"
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    group_arn = res.dataset_group(roleArn=role, kmsKeyArn=key)
    g = pz.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"]
    assert g["roleArn"] == role
    assert g["kmsKeyArn"] == key


def test_role_without_kms_key_is_rejected(pz):
    # AWS: "Supplying an IAM role is only valid when also specifying a KMS key."
    with expect_error(pz, "InvalidInputException", "roleArn"):
        pz.create_dataset_group(name=unique_name("dgrole"),
                                roleArn="arn:aws:iam::123456789012:role/PersonalizeRole")


@pytest.mark.parametrize("kwargs", [
    {"roleArn": "not-a-role", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"},
    {"roleArn": "arn:aws:iam::123456789012:role/R", "kmsKeyArn": "not-a-key"},
], ids=["bad-role", "bad-key"])
def test_malformed_role_or_key(pz, kwargs):
    with expect_error(pz, "InvalidInputException"):
        pz.create_dataset_group(name=unique_name("dgrole"), **kwargs)


def test_list_contains_summary(pz, res):
    group_arn = res.dataset_group()
    groups = pz.list_dataset_groups()["datasetGroups"]
    mine = [s for s in groups if s["datasetGroupArn"] == group_arn]
    assert len(mine) == 1, groups
    s = mine[0]
    assert s["name"] == group_arn.rsplit("/", 1)[1]
    assert s["status"] == "ACTIVE"
    assert_datetime(s["creationDateTime"])
    assert_datetime(s["lastUpdatedDateTime"])
    for g in groups:
        assert g["datasetGroupArn"].startswith(ARN_PREFIX + "dataset-group/")


def test_delete_then_describe_is_not_found(pz, res):
    group_arn = res.dataset_group()
    resp = pz.delete_dataset_group(datasetGroupArn=group_arn)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert no_metadata(resp) == {}
    # Until it is gone it reports DELETE PENDING (or is already gone).
    try:
        status = pz.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"]["status"]
        assert status in ("DELETE PENDING", "DELETE IN_PROGRESS"), status
    except pz.exceptions.ResourceNotFoundException:
        pass
    wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn))
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_dataset_group(datasetGroupArn=group_arn)
    assert group_arn not in [g["datasetGroupArn"]
                             for g in pz.list_dataset_groups()["datasetGroups"]]
    # Deleting again: not found.
    with expect_error(pz, "ResourceNotFoundException"):
        pz.delete_dataset_group(datasetGroupArn=group_arn)
    # The name is free again.
    again = pz.create_dataset_group(name=group_arn.rsplit("/", 1)[1])
    res.groups.append(again["datasetGroupArn"])
    assert again["datasetGroupArn"] == group_arn


def test_duplicate_name_is_rejected(pz, res):
    group_arn = res.dataset_group()
    name = group_arn.rsplit("/", 1)[1]
    with expect_error(pz, "ResourceAlreadyExistsException", name):
        pz.create_dataset_group(name=name)


def test_delete_with_dataset_is_in_use(pz, res):
    group_arn, schema_arn, ds_arn = res.interactions_dataset()
    with expect_error(pz, "ResourceInUseException"):
        pz.delete_dataset_group(datasetGroupArn=group_arn)
    # Still there and still ACTIVE.
    assert pz.describe_dataset_group(
        datasetGroupArn=group_arn)["datasetGroup"]["status"] == "ACTIVE"
    pz.delete_dataset(datasetArn=ds_arn)
    wait_gone(lambda: pz.describe_dataset(datasetArn=ds_arn))
    pz.delete_dataset_group(datasetGroupArn=group_arn)
    wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn))


def test_arn_carries_client_region(server, res, tmp_path):
    """The region comes from the client's SigV4 signing scope."""
    eu = make_client(server.url, region="eu-west-1")
    r = Resources(eu, tmp_path)
    try:
        name = unique_name("dgeu")
        group_arn = r.dataset_group(name=name, wait=False)
        assert group_arn == f"arn:aws:personalize:eu-west-1:000000000000:dataset-group/{name}"
        g = wait_for(lambda: eu.describe_dataset_group(datasetGroupArn=group_arn),
                     "datasetGroup")
        assert g["datasetGroupArn"] == group_arn
        # Names are unique per region: the same name is free in us-east-1.
        same = res.dataset_group(name=name)
        assert same == arn(f"dataset-group/{name}")
    finally:
        r.cleanup()


def test_listings_are_per_region(server, pz, res, tmp_path):
    """Without a parent filter, List* returns the account's resources in the caller's region
    only (personalize-semantics.md section 11)."""
    eu = make_client(server.url, region="eu-west-1")
    r = Resources(eu, tmp_path)
    try:
        eu_group = r.dataset_group()
        eu_schema = r.schema()
        us_group = res.dataset_group()
        us_schema = res.schema()
        eu_groups = [x["datasetGroupArn"] for x in eu.list_dataset_groups()["datasetGroups"]]
        us_groups = [x["datasetGroupArn"] for x in pz.list_dataset_groups()["datasetGroups"]]
        eu_schemas = [x["schemaArn"] for x in eu.list_schemas(maxResults=100)["schemas"]]
        assert eu_group in eu_groups and us_group in us_groups
        assert us_group not in eu_groups, f"us-east-1 group listed in eu-west-1: {eu_groups}"
        assert eu_group not in us_groups, f"eu-west-1 group listed in us-east-1: {us_groups}"
        assert eu_schema in eu_schemas
        assert us_schema not in eu_schemas, "us-east-1 schema listed in eu-west-1"
    finally:
        r.cleanup()


def test_schema_in_group_flow_smoke(pz, res):
    """Group with a dataset lists it under ListDatasets(datasetGroupArn)."""
    group_arn = res.dataset_group()
    schema_arn = res.schema(INTERACTIONS_SCHEMA)
    ds_arn = res.dataset(group_arn, schema_arn)
    listed = pz.list_datasets(datasetGroupArn=group_arn)["datasets"]
    assert [d["datasetArn"] for d in listed] == [ds_arn]
