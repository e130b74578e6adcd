"""TagResource / UntagResource / ListTagsForResource, and tags given at create time."""
import pytest

from tailor_e2e import (arn, expect_error, no_metadata, unique_name, wait_for,
                        write_interactions_csv)


def tags_of(pz, resource_arn):
    resp = pz.list_tags_for_resource(resourceArn=resource_arn)
    assert "nextToken" not in resp
    tags = resp.get("tags", [])
    for t in tags:
        assert set(t) == {"tagKey", "tagValue"}, t
    return {t["tagKey"]: t["tagValue"] for t in tags}


def test_tags_given_at_create(pz, res):
    group_arn = res.dataset_group(tags=[{"tagKey": "team", "tagValue": "recs"},
                                        {"tagKey": "env", "tagValue": "test"}])
    assert tags_of(pz, group_arn) == {"team": "recs", "env": "test"}


def test_untagged_resource_has_empty_tags(pz, res):
    group_arn = res.dataset_group()
    assert tags_of(pz, group_arn) == {}


def test_tag_untag_round_trip(pz, res):
    group_arn = res.dataset_group()
    resp = pz.tag_resource(resourceArn=group_arn, tags=[
        {"tagKey": "a", "tagValue": "1"}, {"tagKey": "b", "tagValue": "2"},
        {"tagKey": "c:d/e=f+g-h@i.j_k", "tagValue": ""}])
    assert no_metadata(resp) == {}
    assert tags_of(pz, group_arn) == {"a": "1", "b": "2", "c:d/e=f+g-h@i.j_k": ""}
    # Re-tagging a key overwrites its value.
    pz.tag_resource(resourceArn=group_arn, tags=[{"tagKey": "a", "tagValue": "one"}])
    assert tags_of(pz, group_arn)["a"] == "one"
    resp = pz.untag_resource(resourceArn=group_arn, tagKeys=["a", "c:d/e=f+g-h@i.j_k"])
    assert no_metadata(resp) == {}
    assert tags_of(pz, group_arn) == {"b": "2"}


def test_tags_on_dataset_and_import_job(pz, res):
    group_arn = res.dataset_group()
    schema_arn = res.schema()
    ds_arn = res.dataset(group_arn, schema_arn, tags=[{"tagKey": "kind", "tagValue": "ds"}])
    assert tags_of(pz, ds_arn) == {"kind": "ds"}
    csv = write_interactions_csv(res.csv_path("t"), n=1000)
    job_arn = res.start_import(ds_arn, csv, tags=[{"tagKey": "kind", "tagValue": "job"}])
    wait_for(lambda: pz.describe_dataset_import_job(datasetImportJobArn=job_arn),
             "datasetImportJob")
    assert tags_of(pz, job_arn) == {"kind": "job"}
    pz.tag_resource(resourceArn=job_arn, tags=[{"tagKey": "extra", "tagValue": "x"}])
    assert tags_of(pz, job_arn) == {"kind": "job", "extra": "x"}
    # Tags are per resource.
    assert tags_of(pz, group_arn) == {}


def test_more_than_50_tags_on_tag_resource(pz, res):
    group_arn = res.dataset_group()
    tags = [{"tagKey": f"k{i}", "tagValue": f"v{i}"} for i in range(51)]
    with expect_error(pz, "TooManyTagsException"):
        pz.tag_resource(resourceArn=group_arn, tags=tags)
    assert tags_of(pz, group_arn) == {}, "a rejected TagResource must change nothing"
    # Exactly 50 is fine.
    pz.tag_resource(resourceArn=group_arn, tags=tags[:50])
    assert len(tags_of(pz, group_arn)) == 50
    # Overwriting existing keys does not count as new tags.
    pz.tag_resource(resourceArn=group_arn, tags=[{"tagKey": "k0", "tagValue": "new"}])
    assert len(tags_of(pz, group_arn)) == 50
    # One more distinct key pushes it over.
    with expect_error(pz, "TooManyTagsException"):
        pz.tag_resource(resourceArn=group_arn, tags=[{"tagKey": "k50", "tagValue": "v"}])
    assert len(tags_of(pz, group_arn)) == 50


def test_more_than_50_tags_at_create(pz):
    tags = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(51)]
    name = unique_name("dgtags")
    with expect_error(pz, "TooManyTagsException"):
        pz.create_dataset_group(name=name, tags=tags)
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_dataset_group(datasetGroupArn=arn(f"dataset-group/{name}"))


@pytest.mark.parametrize("op", ["list", "tag", "untag"])
def test_unknown_resource(pz, op):
    missing = arn("dataset-group/never-made-xyz")
    with expect_error(pz, "ResourceNotFoundException"):
        if op == "list":
            pz.list_tags_for_resource(resourceArn=missing)
        elif op == "tag":
            pz.tag_resource(resourceArn=missing, tags=[{"tagKey": "a", "tagValue": "b"}])
        else:
            pz.untag_resource(resourceArn=missing, tagKeys=["a"])


@pytest.mark.parametrize("tag", [{"tagKey": "k" * 129, "tagValue": "v"},
                                 {"tagKey": "k", "tagValue": "v" * 257},
                                 {"tagKey": "bad#key", "tagValue": "v"},
                                 {"tagKey": "k", "tagValue": "bad\x01value"}],
                         ids=["key-too-long", "value-too-long", "key-pattern", "value-pattern"])
def test_invalid_tag(pz, res, tag):
    group_arn = res.dataset_group()
    with expect_error(pz, "InvalidInputException"):
        pz.tag_resource(resourceArn=group_arn, tags=[tag])


def test_untag_more_than_200_keys(pz, res):
    group_arn = res.dataset_group()
    with expect_error(pz, "TooManyTagKeysException"):
        pz.untag_resource(resourceArn=group_arn, tagKeys=[f"k{i}" for i in range(201)])


def test_untag_missing_key_is_noop(pz, res):
    group_arn = res.dataset_group(tags=[{"tagKey": "a", "tagValue": "1"}])
    pz.untag_resource(resourceArn=group_arn, tagKeys=["not-there"])
    assert tags_of(pz, group_arn) == {"a": "1"}
