"""nextToken/maxResults on every List* call implemented so far, by hand and with botocore's own
paginators."""
import json

import pytest

from tailor_e2e import (INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA, expect_error, list_all,
                        raw_target_request, unique_name, wait_for, write_interactions_csv)


def check_pages(pages, page_size):
    for p in pages:
        assert len(p) <= page_size, f"page of {len(p)} > maxResults={page_size}"
    assert all(len(p) > 0 for p in pages[:-1]), "empty page before the last one"


def no_duplicates(items, key):
    arns = [i[key] for i in items]
    assert len(arns) == len(set(arns)), f"duplicates across pages: {arns}"
    return set(arns)


def test_schemas_by_hand_and_paginator(pz, res):
    made = {res.schema(INTERACTIONS_SCHEMA) for _ in range(7)}
    items, pages = list_all(pz, "list_schemas", "schemas", page_size=2)
    check_pages(pages, 2)
    assert len(pages) >= 4
    got = no_duplicates(items, "schemaArn")
    assert made <= got

    paginator = pz.get_paginator("list_schemas")
    pag_items, pag_pages = [], 0
    for page in paginator.paginate(PaginationConfig={"PageSize": 2}):
        assert len(page["schemas"]) <= 2
        pag_items.extend(page["schemas"])
        pag_pages += 1
    assert pag_pages >= 4
    assert no_duplicates(pag_items, "schemaArn") == got

    # build_full_result with MaxItems stops early and hands back a resumable token.
    partial = paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3})
    full = partial.build_full_result()
    assert len(full["schemas"]) == 3
    assert "NextToken" in full
    rest = paginator.paginate(PaginationConfig={"PageSize": 2,
                                                "StartingToken": full["NextToken"]})
    remaining = rest.build_full_result()["schemas"]
    combined = [s["schemaArn"] for s in full["schemas"] + remaining]
    assert len(combined) == len(set(combined)) and set(combined) == got


def test_last_page_has_no_token_and_exact_page(pz, res):
    for _ in range(3):
        res.schema(ITEMS_SCHEMA)
    total = len(list_all(pz, "list_schemas", "schemas")[0])
    if total > 100:
        pytest.skip(f"{total} schemas on the shared server; one page cannot hold them")
    resp = pz.list_schemas(maxResults=100)
    assert "nextToken" not in resp
    assert len(resp["schemas"]) == total
    # A page size equal to the total: one page and, ideally, no token; if a token comes back
    # the following page must be empty and final.
    resp = pz.list_schemas(maxResults=total)
    assert len(resp["schemas"]) == total
    if "nextToken" in resp:
        nxt = pz.list_schemas(maxResults=total, nextToken=resp["nextToken"])
        assert nxt["schemas"] == [] and "nextToken" not in nxt


def test_dataset_groups_on_fresh_server(server_factory):
    """Five groups (the default per-region quota) on an empty server, listed two at a time."""
    srv = server_factory()
    pz = srv.client()
    assert pz.list_dataset_groups()["datasetGroups"] == []
    made = set()
    for i in range(5):
        made.add(pz.create_dataset_group(name=unique_name(f"pg{i}"))["datasetGroupArn"])
    for g in made:
        wait_for(lambda: pz.describe_dataset_group(datasetGroupArn=g), "datasetGroup")
    items, pages = list_all(pz, "list_dataset_groups", "datasetGroups", page_size=2)
    check_pages(pages, 2)
    assert len(pages) == 3
    assert no_duplicates(items, "datasetGroupArn") == made
    pag = pz.get_paginator("list_dataset_groups").paginate(PaginationConfig={"PageSize": 2})
    assert no_duplicates(pag.build_full_result()["datasetGroups"], "datasetGroupArn") == made
    code = srv.stop()
    assert code == 0


def test_sixth_dataset_group_exceeds_quota(server_factory):
    """A dataset-group quota per region (personalize-semantics.md section 11). Personalize's is 5;
    Tailor's default is 500 because the machine is the user's own, and `--max-dataset-groups`
    sets it."""
    srv = server_factory(extra_args=["--max-dataset-groups", "5"])
    pz = srv.client()
    for i in range(5):
        pz.create_dataset_group(name=unique_name(f"q{i}"))
    name = unique_name("q5")
    with expect_error(pz, "LimitExceededException"):
        pz.create_dataset_group(name=name)
    # Another region has its own quota.
    other = srv.client(region="us-west-2")
    other.create_dataset_group(name=name)


def test_datasets_across_groups(pz, res):
    groups = [res.dataset_group(), res.dataset_group()]
    made = {g: set() for g in groups}
    for g in groups:
        for dtype, body in (("Interactions", INTERACTIONS_SCHEMA), ("Items", ITEMS_SCHEMA),
                            ("Users", USERS_SCHEMA)):
            made[g].add(res.dataset(g, res.schema(body), dtype))
    for g in groups:
        items, pages = list_all(pz, "list_datasets", "datasets", page_size=2,
                                datasetGroupArn=g)
        check_pages(pages, 2)
        assert no_duplicates(items, "datasetArn") == made[g]
    everything, pages = list_all(pz, "list_datasets", "datasets", page_size=2)
    check_pages(pages, 2)
    assert made[groups[0]] | made[groups[1]] <= no_duplicates(everything, "datasetArn")
    pag = pz.get_paginator("list_datasets").paginate(datasetGroupArn=groups[1],
                                                     PaginationConfig={"PageSize": 2})
    assert no_duplicates(pag.build_full_result()["datasets"], "datasetArn") == made[groups[1]]


def test_import_jobs(pz, res):
    _, _, ds_arn = res.interactions_dataset()
    csv = write_interactions_csv(res.csv_path("p"), n=1000)
    made = set()
    for i in range(5):
        job = res.import_and_wait(ds_arn, csv, mode="FULL" if i == 0 else "INCREMENTAL")
        made.add(job["datasetImportJobArn"])
    items, pages = list_all(pz, "list_dataset_import_jobs", "datasetImportJobs", page_size=2,
                            datasetArn=ds_arn)
    check_pages(pages, 2)
    assert no_duplicates(items, "datasetImportJobArn") == made
    pag = pz.get_paginator("list_dataset_import_jobs").paginate(
        datasetArn=ds_arn, PaginationConfig={"PageSize": 2})
    assert no_duplicates(pag.build_full_result()["datasetImportJobs"],
                         "datasetImportJobArn") == made


def test_page_tokens_are_stable_under_new_resources(pz, res):
    """Creating a resource between pages must not make the walk repeat an earlier item."""
    for _ in range(5):
        res.schema(USERS_SCHEMA)
    first = pz.list_schemas(maxResults=2)
    res.schema(USERS_SCHEMA)
    # Walk the remaining pages from the first token.
    seen = [s["schemaArn"] for s in first["schemas"]]
    token = first["nextToken"]
    while token:
        page = pz.list_schemas(maxResults=2, nextToken=token)
        seen.extend(s["schemaArn"] for s in page["schemas"])
        token = page.get("nextToken")
    assert len(seen) == len(set(seen)), f"an item came back twice: {seen}"


@pytest.mark.parametrize("method,kwargs", [
    ("list_schemas", {}),
    ("list_dataset_groups", {}),
    ("list_datasets", {}),
    ("list_dataset_import_jobs", {}),
])
@pytest.mark.parametrize("token", ["garbage-token", "AAAAAAAAAAAAAAAA", "eyJ4IjoxfQ=="])
def test_garbage_next_token(pz, method, kwargs, token):
    with expect_error(pz, "InvalidNextTokenException"):
        getattr(pz, method)(nextToken=token, **kwargs)


def test_token_from_another_list_call_is_rejected(pz, res):
    for _ in range(3):
        res.schema(INTERACTIONS_SCHEMA)
    token = pz.list_schemas(maxResults=1)["nextToken"]
    with expect_error(pz, "InvalidNextTokenException"):
        pz.list_dataset_groups(nextToken=token)


@pytest.mark.parametrize("method", ["list_schemas", "list_dataset_groups", "list_datasets",
                                    "list_dataset_import_jobs"])
def test_max_results_over_100(pz, method):
    with expect_error(pz, "InvalidInputException", "maxResults"):
        getattr(pz, method)(maxResults=101)


def test_token_with_different_filter_is_rejected(pz, res):
    g1, _, _ = res.interactions_dataset()
    res.dataset(g1, res.schema(ITEMS_SCHEMA), "Items")
    g2, _, _ = res.interactions_dataset()
    token = pz.list_datasets(datasetGroupArn=g1, maxResults=1)["nextToken"]
    with expect_error(pz, "InvalidNextTokenException"):
        pz.list_datasets(datasetGroupArn=g2, maxResults=1, nextToken=token)


@pytest.mark.parametrize("body", ['{"maxResults":0}', '{"maxResults":-3}',
                                  '{"maxResults":"5"}'], ids=["zero", "negative", "string"])
def test_raw_bad_max_results(endpoint, body):
    """botocore checks the minimum itself; a raw request must still be refused."""
    status, _, data = raw_target_request(endpoint, "AmazonPersonalize.ListSchemas", body)
    assert status == 400, data
    doc = json.loads(data)
    assert doc["__type"].split("#")[-1] in ("InvalidInputException", "SerializationException")
