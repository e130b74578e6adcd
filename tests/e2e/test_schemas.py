"""CreateSchema / DescribeSchema / ListSchemas / DeleteSchema and schema validation."""
import concurrent.futures
import json

import pytest
from botocore.exceptions import ClientError

from tailor_e2e import (INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA, arn, assert_datetime,
                        avro, expect_error, no_metadata, unique_name, wait_gone)


@pytest.mark.parametrize("body", [INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA],
                         ids=["interactions", "items", "users"])
def test_create_describe_round_trips_schema(pz, res, body):
    name = unique_name("sc")
    resp = pz.create_schema(name=name, schema=body)
    res.schemas.append(resp["schemaArn"])
    assert no_metadata(resp) == {"schemaArn": arn(f"schema/{name}")}

    s = pz.describe_schema(schemaArn=resp["schemaArn"])["schema"]
    assert s["name"] == name
    assert s["schemaArn"] == resp["schemaArn"]
    assert s["schema"] == body, "schema string must round-trip unchanged"
    assert json.loads(s["schema"]) == json.loads(body)
    assert_datetime(s["creationDateTime"])
    assert_datetime(s["lastUpdatedDateTime"])
    assert "domain" not in s
    assert "status" not in s, "schemas have no status"


def test_schema_string_with_whitespace_round_trips(pz, res):
    pretty = json.dumps(json.loads(INTERACTIONS_SCHEMA), indent=2)
    schema_arn = res.schema(pretty)
    assert pz.describe_schema(schemaArn=schema_arn)["schema"]["schema"] == pretty


def test_domain_schema(pz, res):
    body = avro("Interactions", [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
    ])
    schema_arn = res.schema(body, domain="ECOMMERCE")
    s = pz.describe_schema(schemaArn=schema_arn)["schema"]
    assert s["domain"] == "ECOMMERCE"
    summary = [x for x in pz.list_schemas(maxResults=100)["schemas"]
               if x["schemaArn"] == schema_arn]
    assert len(summary) == 1 and summary[0]["domain"] == "ECOMMERCE"


def test_list_contains_summary(pz, res):
    schema_arn = res.schema()
    schemas = pz.list_schemas(maxResults=100)["schemas"]
    mine = [s for s in schemas if s["schemaArn"] == schema_arn]
    assert len(mine) == 1
    assert mine[0]["name"] == schema_arn.rsplit("/", 1)[1]
    assert_datetime(mine[0]["creationDateTime"])
    assert_datetime(mine[0]["lastUpdatedDateTime"])
    assert "schema" not in mine[0], "summaries carry no schema body"


def test_delete_then_not_found(pz, res):
    name = unique_name("sc")
    schema_arn = pz.create_schema(name=name, schema=INTERACTIONS_SCHEMA)["schemaArn"]
    assert no_metadata(pz.delete_schema(schemaArn=schema_arn)) == {}
    wait_gone(lambda: pz.describe_schema(schemaArn=schema_arn))
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_schema(schemaArn=schema_arn)
    with expect_error(pz, "ResourceNotFoundException"):
        pz.delete_schema(schemaArn=schema_arn)
    assert schema_arn not in [s["schemaArn"]
                              for s in pz.list_schemas(maxResults=100)["schemas"]]


def test_duplicate_name(pz, res):
    schema_arn = res.schema()
    name = schema_arn.rsplit("/", 1)[1]
    with expect_error(pz, "ResourceAlreadyExistsException", name):
        pz.create_schema(name=name, schema=ITEMS_SCHEMA)


def test_delete_schema_used_by_dataset_is_in_use(pz, res):
    group_arn, schema_arn, ds_arn = res.interactions_dataset()
    with expect_error(pz, "ResourceInUseException"):
        pz.delete_schema(schemaArn=schema_arn)
    assert pz.describe_schema(schemaArn=schema_arn)["schema"]["schemaArn"] == schema_arn


def _expect_schema_rejected(pz, res, body, field, dataset_type="Interactions"):
    """The schema must be rejected with InvalidInputException naming `field`, either by
    CreateSchema or, if that accepts it, by CreateDataset of `dataset_type`."""
    name = unique_name("scbad")
    try:
        schema_arn = pz.create_schema(name=name, schema=body)["schemaArn"]
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == "InvalidInputException", err
        assert field.lower() in err["Message"].lower(), err
        return
    res.schemas.append(schema_arn)
    group_arn = res.dataset_group()
    with expect_error(pz, "InvalidInputException", field):
        ds = pz.create_dataset(name=unique_name("dsbad"), schemaArn=schema_arn,
                               datasetGroupArn=group_arn, datasetType=dataset_type)
        res.datasets.append(ds["datasetArn"])


def test_interactions_schema_without_user_id(pz, res):
    body = avro("Interactions", [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
    ])
    _expect_schema_rejected(pz, res, body, "USER_ID")


def test_interactions_schema_without_timestamp(pz, res):
    body = avro("Interactions", [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
    ])
    _expect_schema_rejected(pz, res, body, "TIMESTAMP")


@pytest.mark.parametrize("bad_type", ["bytes", {"type": "array", "items": "string"},
                                      {"type": "map", "values": "string"}, "uuid"],
                         ids=["bytes", "array", "map", "unknown"])
def test_unsupported_field_type(pz, res, bad_type):
    body = avro("Interactions", [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "WEIRD_FIELD", "type": bad_type},
    ])
    _expect_schema_rejected(pz, res, body, "WEIRD_FIELD")


def test_wrong_type_for_reserved_field(pz, res):
    body = avro("Interactions", [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "string"},
    ])
    _expect_schema_rejected(pz, res, body, "TIMESTAMP")


def test_nullable_id_is_rejected(pz, res):
    body = avro("Interactions", [
        {"name": "USER_ID", "type": ["string", "null"]},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
    ])
    _expect_schema_rejected(pz, res, body, "USER_ID")


def test_names_colliding_after_folding(pz, res):
    body = avro("Items", [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "GENRES_FIELD_1", "type": "string", "categorical": True},
        {"name": "GENRESFIELD1", "type": "string", "categorical": True},
    ])
    _expect_schema_rejected(pz, res, body, "GENRES", dataset_type="Items")


@pytest.mark.parametrize("body", ["not json at all", "[]", '{"type":"record"}',
                                  '{"type":"enum","name":"x","symbols":["a"]}'],
                         ids=["garbage", "array", "no-fields", "not-record"])
def test_malformed_schema_json(pz, body):
    with expect_error(pz, "InvalidInputException"):
        pz.create_schema(name=unique_name("scbad"), schema=body)


def test_schema_too_long(pz):
    # Valid JSON padded with whitespace to just over the 20 000-character model maximum.
    body = INTERACTIONS_SCHEMA[:-1] + " " * (20001 - len(INTERACTIONS_SCHEMA)) + "}"
    assert len(body) == 20001
    with expect_error(pz, "InvalidInputException", "schema"):
        pz.create_schema(name=unique_name("sclong"), schema=body)


def test_concurrent_creates(server, pz, res):
    """20 schemas created from 8 threads at once all exist afterwards, with distinct ARNs."""
    names = [unique_name("conc") for _ in range(20)]

    def create(name):
        client = server.client()
        return client.create_schema(name=name, schema=INTERACTIONS_SCHEMA)["schemaArn"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        arns = list(pool.map(create, names))
    res.schemas.extend(arns)
    assert len(set(arns)) == 20
    listed = {s["schemaArn"] for s in pz.list_schemas(maxResults=100)["schemas"]}
    listed |= {s["schemaArn"] for s in pz.get_paginator("list_schemas").paginate()
               .build_full_result()["schemas"]}
    assert set(arns) <= listed


def test_same_name_race_has_one_winner(server, res):
    """Ten concurrent CreateSchema calls with one name: exactly one succeeds."""
    name = unique_name("race")

    def create(_):
        client = server.client()
        try:
            return client.create_schema(name=name, schema=INTERACTIONS_SCHEMA)["schemaArn"]
        except ClientError as e:
            return e.response["Error"]["Code"]

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        results = list(pool.map(create, range(10)))
    winners = [r for r in results if r.startswith("arn:")]
    res.schemas.extend(winners)
    assert len(winners) == 1, results
    assert sorted(set(results) - set(winners)) == ["ResourceAlreadyExistsException"], results


BASE_INTERACTIONS = [
    {"name": "USER_ID", "type": "string"},
    {"name": "ITEM_ID", "type": "string"},
    {"name": "TIMESTAMP", "type": "long"},
]


@pytest.mark.parametrize("extra,dtype,field", [
    ([{"name": "MULTI", "type": ["string", "int"]}], "Interactions", "MULTI"),
    ([{"name": "ONLYNULL", "type": ["null"]}], "Interactions", "ONLYNULL"),
    ([{"name": "CATINT", "type": "int", "categorical": True}], "Interactions", "CATINT"),
    ([{"name": "TEXTY", "type": "string", "textual": True}], "Interactions", "TEXTY"),
    ([{"name": "EVENT_VALUE", "type": "string"}], "Interactions", "EVENT_VALUE"),
    ([{"name": f"META{i}", "type": "string", "categorical": True} for i in range(6)],
     "Interactions", "5"),
], ids=["union-of-two-types", "null-only", "categorical-int", "textual-in-interactions",
        "reserved-wrong-type", "six-metadata-columns"])
def test_interactions_schema_rules(pz, res, extra, dtype, field):
    _expect_schema_rejected(pz, res, avro("Interactions", BASE_INTERACTIONS + extra), field,
                            dataset_type=dtype)


def test_users_metadata_limit(pz, res):
    fields = [{"name": "USER_ID", "type": "string"}] + [
        {"name": f"F{i}", "type": "string", "categorical": True} for i in range(26)]
    _expect_schema_rejected(pz, res, avro("Users", fields), "25", dataset_type="Users")


def test_users_with_25_metadata_fields_is_fine(pz, res):
    fields = [{"name": "USER_ID", "type": "string"}] + [
        {"name": f"F{i}", "type": "string", "categorical": True} for i in range(25)]
    group_arn = res.dataset_group()
    res.dataset(group_arn, res.schema(avro("Users", fields)), "Users")


def test_ecommerce_interactions_need_event_type(pz, res):
    group_arn = res.dataset_group(domain="ECOMMERCE")
    try:  # CreateSchema may already apply the domain's rules...
        schema_arn = res.schema(avro("Interactions", BASE_INTERACTIONS), domain="ECOMMERCE")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidInputException", e.response["Error"]
        assert "EVENT_TYPE" in e.response["Error"]["Message"]
        return
    with expect_error(pz, "InvalidInputException", "EVENT_TYPE"):
        ds = pz.create_dataset(name=unique_name("ds"), schemaArn=schema_arn,
                               datasetGroupArn=group_arn, datasetType="Interactions")
        res.datasets.append(ds["datasetArn"])
