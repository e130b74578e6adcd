"""CreateDataset / DescribeDataset / ListDatasets / DeleteDataset."""
import pytest
from botocore.exceptions import ClientError

from tailor_e2e import (INTERACTIONS_SCHEMA, ITEMS_SCHEMA, PENDING_STATES, USERS_SCHEMA, arn,
                        assert_datetime, avro, error_code, expect_error, no_metadata, unique_name,
                        wait_for, wait_gone)


def test_interactions_dataset_lifecycle(pz, res):
    group_arn = res.dataset_group()
    group_name = group_arn.rsplit("/", 1)[1]
    schema_arn = res.schema(INTERACTIONS_SCHEMA)
    name = unique_name("ds")
    resp = pz.create_dataset(name=name, schemaArn=schema_arn, datasetGroupArn=group_arn,
                             datasetType="Interactions")
    ds_arn = resp["datasetArn"]
    res.datasets.append(ds_arn)
    assert no_metadata(resp) == {"datasetArn": arn(f"dataset/{group_name}/INTERACTIONS")}

    first = pz.describe_dataset(datasetArn=ds_arn)["dataset"]
    assert first["status"] in PENDING_STATES + ("ACTIVE",)

    d = wait_for(lambda: pz.describe_dataset(datasetArn=ds_arn), "dataset")
    assert d["name"] == name
    assert d["datasetArn"] == ds_arn
    assert d["datasetGroupArn"] == group_arn
    assert d["schemaArn"] == schema_arn
    assert d["datasetType"].lower() == "interactions"
    assert d["status"] == "ACTIVE"
    assert_datetime(d["creationDateTime"])
    assert_datetime(d["lastUpdatedDateTime"])

    listed = pz.list_datasets(datasetGroupArn=group_arn)["datasets"]
    assert len(listed) == 1
    s = listed[0]
    assert s["datasetArn"] == ds_arn and s["name"] == name and s["status"] == "ACTIVE"
    assert s["datasetType"].lower() == "interactions"
    assert_datetime(s["creationDateTime"])

    # Unfiltered listing includes it too.
    all_arns = [x["datasetArn"] for x in pz.list_datasets(maxResults=100)["datasets"]]
    assert ds_arn in all_arns

    assert no_metadata(pz.delete_dataset(datasetArn=ds_arn)) == {}
    try:
        st = pz.describe_dataset(datasetArn=ds_arn)["dataset"]["status"]
        assert st in ("DELETE PENDING", "DELETE IN_PROGRESS"), st
    except pz.exceptions.ResourceNotFoundException:
        pass
    wait_gone(lambda: pz.describe_dataset(datasetArn=ds_arn))
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_dataset(datasetArn=ds_arn)
    with expect_error(pz, "ResourceNotFoundException"):
        pz.delete_dataset(datasetArn=ds_arn)
    assert pz.list_datasets(datasetGroupArn=group_arn)["datasets"] == []


def test_three_dataset_types_in_one_group(pz, res):
    group_arn = res.dataset_group()
    group_name = group_arn.rsplit("/", 1)[1]
    made = {}
    for dtype, body in (("Interactions", INTERACTIONS_SCHEMA), ("Items", ITEMS_SCHEMA),
                        ("Users", USERS_SCHEMA)):
        ds_arn = res.dataset(group_arn, res.schema(body), dtype)
        assert ds_arn == arn(f"dataset/{group_name}/{dtype.upper()}")
        made[ds_arn] = dtype
    listed = pz.list_datasets(datasetGroupArn=group_arn)["datasets"]
    assert {d["datasetArn"]: d["datasetType"].lower() for d in listed} == {
        k: v.lower() for k, v in made.items()}


@pytest.mark.parametrize("spelling", ["interactions", "INTERACTIONS"])
def test_dataset_type_is_case_insensitive(pz, res, spelling):
    group_arn = res.dataset_group()
    ds_arn = res.dataset(group_arn, res.schema(INTERACTIONS_SCHEMA), spelling)
    assert ds_arn.endswith("/INTERACTIONS")
    d = pz.describe_dataset(datasetArn=ds_arn)["dataset"]
    assert d["datasetType"].lower() == "interactions"


def test_second_interactions_dataset_in_group(pz, res):
    group_arn, schema_arn, _ = res.interactions_dataset()
    with expect_error(pz, "ResourceAlreadyExistsException"):
        ds = pz.create_dataset(name=unique_name("ds2"), schemaArn=schema_arn,
                               datasetGroupArn=group_arn, datasetType="Interactions")
        res.datasets.append(ds["datasetArn"])


def test_duplicate_dataset_name(pz, res):
    _, schema_arn, ds_arn = res.interactions_dataset()
    name = pz.describe_dataset(datasetArn=ds_arn)["dataset"]["name"]
    other_group = res.dataset_group()
    with expect_error(pz, "ResourceAlreadyExistsException", name):
        ds = pz.create_dataset(name=name, schemaArn=schema_arn, datasetGroupArn=other_group,
                               datasetType="Interactions")
        res.datasets.append(ds["datasetArn"])


def test_unknown_group_and_schema(pz, res):
    schema_arn = res.schema(INTERACTIONS_SCHEMA)
    group_arn = res.dataset_group()
    with expect_error(pz, "ResourceNotFoundException"):
        pz.create_dataset(name=unique_name("ds"), schemaArn=schema_arn,
                          datasetGroupArn=arn("dataset-group/does-not-exist-xyz"),
                          datasetType="Interactions")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.create_dataset(name=unique_name("ds"), schemaArn=arn("schema/does-not-exist-xyz"),
                          datasetGroupArn=group_arn, datasetType="Interactions")


@pytest.mark.parametrize("dtype", ["Purchases", "Interaction"])
def test_invalid_dataset_type(pz, res, dtype):
    group_arn = res.dataset_group()
    schema_arn = res.schema(INTERACTIONS_SCHEMA)
    with expect_error(pz, "InvalidInputException", "datasetType"):
        pz.create_dataset(name=unique_name("ds"), schemaArn=schema_arn,
                          datasetGroupArn=group_arn, datasetType=dtype)


def test_schema_not_valid_for_type(pz, res):
    group_arn = res.dataset_group()
    items_schema = res.schema(ITEMS_SCHEMA)
    # Rejected either for the record name ("Items") or for the missing USER_ID.
    with expect_error(pz, "InvalidInputException") as info:
        pz.create_dataset(name=unique_name("ds"), schemaArn=items_schema,
                          datasetGroupArn=group_arn, datasetType="Interactions")
    msg = info.value.response["Error"]["Message"]
    assert "USER_ID" in msg or "Interactions" in msg, msg
    # Users needs at least one metadata field besides USER_ID.
    users_only_id = res.schema(avro("Users", [{"name": "USER_ID", "type": "string"}]))
    with expect_error(pz, "InvalidInputException"):
        pz.create_dataset(name=unique_name("ds"), schemaArn=users_only_id,
                          datasetGroupArn=group_arn, datasetType="Users")


def test_domain_mismatch_is_rejected(pz, res):
    group_arn = res.dataset_group()  # custom group, no domain
    body = avro("Interactions", [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
    ])
    ecomm_schema = res.schema(body, domain="ECOMMERCE")
    with pytest.raises(ClientError) as info:
        ds = pz.create_dataset(name=unique_name("ds"), schemaArn=ecomm_schema,
                               datasetGroupArn=group_arn, datasetType="Interactions")
        res.datasets.append(ds["datasetArn"])
    assert error_code(info.value) in ("InvalidInputException", "ResourceInUseException")
    assert "domain" in info.value.response["Error"]["Message"].lower()


def test_domain_group_with_domain_schema(pz, res):
    group_arn = res.dataset_group(domain="ECOMMERCE")
    body = avro("Interactions", [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
    ])
    ds_arn = res.dataset(group_arn, res.schema(body, domain="ECOMMERCE"), "Interactions")
    assert pz.describe_dataset(datasetArn=ds_arn)["dataset"]["status"] == "ACTIVE"


def test_delete_dataset_then_group(pz, res):
    group_arn, _, ds_arn = res.interactions_dataset()
    pz.delete_dataset(datasetArn=ds_arn)
    wait_gone(lambda: pz.describe_dataset(datasetArn=ds_arn))
    pz.delete_dataset_group(datasetGroupArn=group_arn)
    wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=group_arn))
    # ListDatasets models no ResourceNotFoundException: a gone parent lists nothing.
    try:
        assert pz.list_datasets(datasetGroupArn=group_arn)["datasets"] == []
    except ClientError as e:
        assert error_code(e) in ("ResourceNotFoundException", "InvalidInputException"), e
