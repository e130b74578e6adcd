"""Filters through the real boto3 clients: CreateFilter / DescribeFilter / ListFilters /
DeleteFilter, synchronous syntax errors, and filters applied by GetRecommendations and
GetPersonalizedRanking (personalize-semantics.md §9): Interactions exclusions, Items metadata
with filterValues placeholders, a filter that removes everything, and the error classes."""
import json
import random

import pytest

from tailor_e2e import (ITEMS_SCHEMA, Resources, arn, assert_datetime, deploy, expect_error,
                        unique_name, wait_for, wait_gone, write_rows_csv)

RECIPE = "arn:aws:personalize:::recipe/"
SMALL = {"hidden_dimension": "8", "iterations": "3"}
SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'


def clustered_rows(users=60, events=20):
    """Even users click even items i0..i58, odd users odd items i1..i59; every fourth event of
    a user is a purchase."""
    rng = random.Random(5)
    rows = []
    for u in range(users):
        for e in range(events):
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"i{2 * rng.randrange(30) + u % 2}",
                         "TIMESTAMP": str(1_700_000_000 + u * 1000 + e * 10),
                         "EVENT_TYPE": "purchase" if e % 4 == 0 else "click",
                         "EVENT_VALUE": "1"})
    return rows


def genres(item):
    """i0..i29 are drama, the rest comedy; multiples of 5 are action too."""
    return ("drama" if item < 30 else "comedy") + ("|action" if item % 5 == 0 else "")


def create_filter(pz, group, expression, **kwargs):
    filter_arn = pz.create_filter(name=unique_name("flt"), datasetGroupArn=group,
                                  filterExpression=expression, **kwargs)["filterArn"]
    wait_for(lambda: pz.describe_filter(filterArn=filter_arn), "filter")
    return filter_arn


@pytest.fixture(scope="module")
def deployed(server, tmp_path_factory):
    """One dataset group with clustered interactions and item genres, a user-personalization
    and a personalized-ranking campaign, and a few ACTIVE filters."""
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("filters"))
    group, _, dataset = res.interactions_dataset()
    rows = clustered_rows()
    csv = res.csv_path("interactions")
    write_rows_csv(csv, ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"], rows)
    res.import_and_wait(dataset, csv)
    items_dataset = res.dataset(group, res.schema(ITEMS_SCHEMA), "Items")
    items_csv = res.csv_path("items")
    write_rows_csv(items_csv, ["ITEM_ID", "GENRES", "CREATION_TIMESTAMP"],
                   [{"ITEM_ID": f"i{i}", "GENRES": genres(i),
                     "CREATION_TIMESTAMP": str(1_690_000_000 + i)} for i in range(60)])
    res.import_and_wait(items_dataset, items_csv)
    campaigns = {}
    for recipe in ("aws-user-personalization", "aws-personalized-ranking"):
        solution = pz.create_solution(
            name=unique_name("sol"), datasetGroupArn=group, recipeArn=RECIPE + recipe,
            solutionConfig={"algorithmHyperParameters": SMALL})["solutionArn"]
        wait_for(lambda: pz.describe_solution(solutionArn=solution), "solution")
        version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        wait_for(lambda: pz.describe_solution_version(solutionVersionArn=version),
                 "solutionVersion")
        campaigns[recipe] = deploy(pz, version)
    history = {}
    for r in rows:
        history.setdefault(r["USER_ID"], set()).add(r["ITEM_ID"])
    filters = {
        "seen": create_filter(pz, group, SEEN),
        "genre": create_filter(pz, group, "INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)"),
        "nothing": create_filter(pz, group, 'INCLUDE ItemID WHERE Items.GENRES IN ("none")'),
        "no_comedy": create_filter(pz, group, 'EXCLUDE ItemID WHERE Items.GENRES IN ("comedy")'),
    }
    return {"group": group, "campaigns": campaigns, "filters": filters, "history": history,
            "interactions": dataset, "items": items_dataset, "res": res}


def test_filter_lifecycle_and_listing(pz, res):
    group = res.dataset_group()
    expression = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    name = unique_name("flt")
    filter_arn = pz.create_filter(name=name, datasetGroupArn=group, filterExpression=expression,
                                  tags=[{"tagKey": "team", "tagValue": "recs"}])["filterArn"]
    assert filter_arn == arn(f"filter/{name}")
    described = wait_for(lambda: pz.describe_filter(filterArn=filter_arn), "filter")
    assert described["name"] == name
    assert described["filterArn"] == filter_arn
    assert described["datasetGroupArn"] == group
    assert described["filterExpression"] == expression
    assert described["status"] == "ACTIVE"
    assert "failureReason" not in described
    assert_datetime(described["creationDateTime"])
    assert_datetime(described["lastUpdatedDateTime"])
    assert pz.list_tags_for_resource(resourceArn=filter_arn)["tags"] == [
        {"tagKey": "team", "tagValue": "recs"}]

    listed = pz.list_filters(datasetGroupArn=group)
    assert "Filters" in listed and "filters" not in listed
    assert [f["filterArn"] for f in listed["Filters"]] == [filter_arn]
    summary = listed["Filters"][0]
    assert summary["status"] == "ACTIVE" and summary["datasetGroupArn"] == group
    assert "filterExpression" not in summary
    assert filter_arn in [f["filterArn"] for f in pz.list_filters(maxResults=100)["Filters"]]

    with expect_error(pz, "ResourceAlreadyExistsException"):
        pz.create_filter(name=name, datasetGroupArn=group, filterExpression=expression)
    with expect_error(pz, "ResourceInUseException", "filter"):
        pz.delete_dataset_group(datasetGroupArn=group)

    pz.delete_filter(filterArn=filter_arn)
    wait_gone(lambda: pz.describe_filter(filterArn=filter_arn))
    with expect_error(pz, "ResourceNotFoundException"):
        pz.delete_filter(filterArn=filter_arn)
    assert pz.list_filters(datasetGroupArn=group)["Filters"] == []


def test_create_filter_errors(pz, res):
    group = res.dataset_group()
    with expect_error(pz, "InvalidInputException", "Could not create filter", "position 35"):
        pz.create_filter(name=unique_name("flt"), datasetGroupArn=group,
                         filterExpression='EXCLUDE ItemID WHERE Items.GENRES WHEN ("a")')
    with expect_error(pz, "InvalidInputException", "Could not create filter"):
        pz.create_filter(name=unique_name("flt"), datasetGroupArn=group,
                         filterExpression='INCLUDE ItemID WHERE Items.GENRES NOT IN ($G)')
    with expect_error(pz, "ResourceNotFoundException"):
        pz.create_filter(name=unique_name("flt"), datasetGroupArn=arn("dataset-group/nope"),
                         filterExpression=SEEN)
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_filter(filterArn=arn("filter/nope"))
    with expect_error(pz, "ResourceNotFoundException"):
        pz.list_filters(datasetGroupArn=arn("dataset-group/nope"))


def test_exclude_interacted_items(server, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["campaigns"]["aws-user-personalization"]
    for user in ("u0", "u1", "u8"):
        seen = deployed["history"][user]
        unfiltered = runtime.get_recommendations(campaignArn=campaign, userId=user,
                                                 numResults=60)["itemList"]
        assert seen & {i["itemId"] for i in unfiltered}, "without a filter seen items come back"
        items = runtime.get_recommendations(campaignArn=campaign, userId=user, numResults=60,
                                            filterArn=deployed["filters"]["seen"])["itemList"]
        ids = {i["itemId"] for i in items}
        assert ids and not ids & seen, (user, ids & seen)
        assert len(items) == 60 - len(seen)


def test_include_items_by_placeholder_genre(server, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["campaigns"]["aws-user-personalization"]
    genre = deployed["filters"]["genre"]
    drama = runtime.get_recommendations(campaignArn=campaign, userId="u1", numResults=60,
                                        filterArn=genre,
                                        filterValues={"GENRE": '"drama"'})["itemList"]
    assert len(drama) == 30
    assert all("drama" in genres(int(i["itemId"][1:])) for i in drama)
    action = runtime.get_recommendations(campaignArn=campaign, userId="u1", numResults=60,
                                         filterArn=genre,
                                         filterValues={"GENRE": '"action","none"'})["itemList"]
    assert sorted(int(i["itemId"][1:]) for i in action) == list(range(0, 60, 5))

    with expect_error(runtime, "InvalidInputException", "GENRE"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1", filterArn=genre)
    with expect_error(runtime, "InvalidInputException"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1", filterArn=genre,
                                    filterValues={"GENRE": '"drama'})


def test_promotions_take_their_share_from_their_own_filter(server, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["campaigns"]["aws-user-personalization"]
    filters = deployed["filters"]
    comedy = {"GENRE": '"comedy"'}
    promotion = {"name": "comedy-push", "percentPromotedItems": 30,
                 "filterArn": filters["genre"], "filterValues": comedy}
    items = runtime.get_recommendations(campaignArn=campaign, userId="u0", numResults=10,
                                        filterArn=filters["no_comedy"],
                                        promotions=[promotion])["itemList"]
    assert len(items) == 10
    assert len({i["itemId"] for i in items}) == 10
    promoted = [i for i in items if i.get("promotionName") == "comedy-push"]
    others = [i for i in items if "promotionName" not in i]
    # 30% of 10; the request's filter (no comedy) does not apply to them, the promotion's does.
    assert len(promoted) == 3 and len(others) == 7
    assert all("comedy" in genres(int(i["itemId"][1:])) for i in promoted)
    assert all("comedy" not in genres(int(i["itemId"][1:])) for i in others)
    assert all("score" in i for i in items)
    # The promoted items are the model's best comedies, in the model's order.
    best_comedies = runtime.get_recommendations(campaignArn=campaign, userId="u0", numResults=3,
                                                filterArn=filters["genre"],
                                                filterValues=comedy)["itemList"]
    assert [i["itemId"] for i in promoted] == [i["itemId"] for i in best_comedies]
    # The rest are the main list's best, in order.
    main = runtime.get_recommendations(campaignArn=campaign, userId="u0", numResults=7,
                                       filterArn=filters["no_comedy"])["itemList"]
    assert [i["itemId"] for i in others] == [i["itemId"] for i in main]

    # A promotion whose filter matches nothing promotes nothing; cold users get promotions too.
    empty = runtime.get_recommendations(
        campaignArn=campaign, userId="u0", numResults=5,
        promotions=[{"name": "none", "percentPromotedItems": 50,
                     "filterArn": filters["nothing"]}])["itemList"]
    assert len(empty) == 5 and not any("promotionName" in i for i in empty)
    cold = runtime.get_recommendations(campaignArn=campaign, userId="nobody", numResults=4,
                                       promotions=[promotion])["itemList"]
    assert len([i for i in cold if i.get("promotionName") == "comedy-push"]) == 1

    with expect_error(runtime, "InvalidInputException", "filterArn"):
        runtime.get_recommendations(campaignArn=campaign, userId="u0",
                                    promotions=[{"name": "p", "percentPromotedItems": 10}])
    with expect_error(runtime, "ResourceNotFoundException", status=404):
        runtime.get_recommendations(campaignArn=campaign, userId="u0",
                                    promotions=[{"name": "p", "percentPromotedItems": 10,
                                                 "filterArn": arn("filter/nope")}])
    with expect_error(runtime, "InvalidInputException", "GENRE"):
        runtime.get_recommendations(campaignArn=campaign, userId="u0",
                                    promotions=[{"name": "p", "percentPromotedItems": 10,
                                                 "filterArn": filters["genre"]}])


def test_filter_removing_everything_returns_an_empty_list(server, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["campaigns"]["aws-user-personalization"]
    for user in ("u2", "never-seen"):
        resp = runtime.get_recommendations(campaignArn=campaign, userId=user,
                                           filterArn=deployed["filters"]["nothing"])
        assert resp["itemList"] == []
        assert resp["recommendationId"].startswith("RID-")


def test_personalized_ranking_drops_filtered_items(server, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["campaigns"]["aws-personalized-ranking"]
    ranked = runtime.get_personalized_ranking(
        campaignArn=campaign, userId="u0", inputList=["i2", "i40", "unknown", "i4", "i41"],
        filterArn=deployed["filters"]["no_comedy"])["personalizedRanking"]
    order = [i["itemId"] for i in ranked]
    assert sorted(order) == ["i2", "i4", "unknown"]
    assert order[-1] == "unknown" and "score" not in ranked[-1]
    assert abs(sum(i["score"] for i in ranked[:2]) - 1.0) < 1e-5


def test_unknown_and_foreign_filters(server, pz, res, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["campaigns"]["aws-user-personalization"]
    with expect_error(runtime, "ResourceNotFoundException", status=404):
        runtime.get_recommendations(campaignArn=campaign, userId="u1",
                                    filterArn=arn("filter/nope"))
    with expect_error(runtime, "InvalidInputException"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1", filterArn="not-an-arn")
    other = create_filter(pz, res.dataset_group(), SEEN)
    try:
        with expect_error(runtime, "InvalidInputException", "dataset group"):
            runtime.get_recommendations(campaignArn=campaign, userId="u1", filterArn=other)
    finally:
        pz.delete_filter(filterArn=other)
        wait_gone(lambda: pz.describe_filter(filterArn=other))
    # The runtime keeps ACTIVE filters in memory after their first use; a deleted one is gone.
    with expect_error(runtime, "ResourceNotFoundException", status=404):
        runtime.get_recommendations(campaignArn=campaign, userId="u1", filterArn=other)


def test_delete_dataset_group_with_a_filter_is_in_use(pz, res):
    group = res.dataset_group()
    filter_arn = create_filter(pz, group, SEEN)
    with expect_error(pz, "ResourceInUseException"):
        pz.delete_dataset_group(datasetGroupArn=group)
    pz.delete_filter(filterArn=filter_arn)
    wait_gone(lambda: pz.describe_filter(filterArn=filter_arn))
    pz.delete_dataset_group(datasetGroupArn=group)
    wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=group))


def test_interaction_filters_follow_imports_across_metadata_changes(server, deployed):
    """PutItems makes filters re-read Items but keep the imported interactions they had; an
    Interactions import makes them read the new ones. (Last in the module: it adds history.)"""
    runtime = server.client("personalize-runtime")
    events = server.client("personalize-events")
    campaign = deployed["campaigns"]["aws-user-personalization"]
    seen_filter = deployed["filters"]["seen"]

    def filtered(user):
        return {i["itemId"] for i in runtime.get_recommendations(
            campaignArn=campaign, userId=user, numResults=60, filterArn=seen_filter)["itemList"]}
    seen = deployed["history"]["u0"]
    assert not filtered("u0") & seen
    events.put_items(datasetArn=deployed["items"], items=[
        {"itemId": "i3", "properties": json.dumps({"genres": "drama",
                                                   "creationTimestamp": 1_690_000_003})}])
    assert not filtered("u0") & seen  # still the imported history after the metadata change
    fresh = sorted(filtered("u0"))[:3]
    rows = [{"USER_ID": "u0", "ITEM_ID": item, "TIMESTAMP": str(1_800_000_000 + k),
             "EVENT_TYPE": "click", "EVENT_VALUE": "1"} for k, item in enumerate(fresh)]
    rows += [{"USER_ID": f"w{k}", "ITEM_ID": f"i{k % 60}", "TIMESTAMP": str(1_800_000_000 + k),
              "EVENT_TYPE": "click", "EVENT_VALUE": "1"} for k in range(1000)]
    csv = deployed["res"].csv_path("more-interactions")
    write_rows_csv(csv, ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"], rows)
    deployed["res"].import_and_wait(deployed["interactions"], csv, mode="INCREMENTAL")
    after = filtered("u0")
    assert after and not after & (seen | set(fresh)), after & set(fresh)


def test_ranking_filters_items_new_since_the_training_by_their_items_row(server, deployed):
    """An input item the model does not know is judged by its Items row (PutItems after the
    training); one without a row is judged as an item without metadata: an EXCLUDE by genre
    keeps it (ranked last), an INCLUDE by genre drops it."""
    server.client("personalize-events").put_items(datasetArn=deployed["items"], items=[
        {"itemId": item, "properties": json.dumps({"genres": genre,
                                                   "creationTimestamp": 1_700_000_000})}
        for item, genre in (("new-comedy", "comedy"), ("new-drama", "drama"))])
    runtime = server.client("personalize-runtime")
    ranked = runtime.get_personalized_ranking(
        campaignArn=deployed["campaigns"]["aws-personalized-ranking"], userId="u0",
        inputList=["i2", "new-comedy", "new-drama", "unknown"],
        filterArn=deployed["filters"]["no_comedy"])["personalizedRanking"]
    order = [i["itemId"] for i in ranked]
    assert order == ["i2", "new-drama", "unknown"], order
    included = runtime.get_personalized_ranking(
        campaignArn=deployed["campaigns"]["aws-personalized-ranking"], userId="u0",
        inputList=["new-comedy", "new-drama", "unknown"], filterArn=deployed["filters"]["genre"],
        filterValues={"GENRE": '"drama"'})["personalizedRanking"]
    assert [i["itemId"] for i in included] == ["new-drama"], included


def test_imported_interactions_on_items_new_since_the_training_count_for_filters(server, deployed):
    """Interactions imported after the training on items the model does not know count for
    Interactions conditions at once, whether the item has an Items row or not."""
    server.client("personalize-events").put_items(datasetArn=deployed["items"], items=[
        {"itemId": "imported-drama",
         "properties": json.dumps({"genres": "drama", "creationTimestamp": 1_700_000_000})}])
    rows = [{"USER_ID": "imp0", "ITEM_ID": item, "TIMESTAMP": str(1_800_100_000 + k),
             "EVENT_TYPE": "click", "EVENT_VALUE": "1"}
            for k, item in enumerate(["imported-drama", "imported-rowless"])]
    rows += [{"USER_ID": f"pad{k}", "ITEM_ID": f"i{k % 60}", "TIMESTAMP": str(1_800_100_000 + k),
              "EVENT_TYPE": "click", "EVENT_VALUE": "1"} for k in range(1000)]  # imports: ≥ 1000
    csv = deployed["res"].csv_path("imported-new-items")
    write_rows_csv(csv, ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"], rows)
    deployed["res"].import_and_wait(deployed["interactions"], csv, mode="INCREMENTAL")
    runtime = server.client("personalize-runtime")

    def ranked(user):
        return [i["itemId"] for i in runtime.get_personalized_ranking(
            campaignArn=deployed["campaigns"]["aws-personalized-ranking"], userId=user,
            inputList=["i2", "imported-drama", "imported-rowless"],
            filterArn=deployed["filters"]["seen"])["personalizedRanking"]]
    assert ranked("imp0") == ["i2"]
    assert ranked("imp1") == ["i2", "imported-drama", "imported-rowless"]
