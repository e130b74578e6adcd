"""Items the model has not trained on (PutItems since the training) placed by their Items
metadata, through the real boto3 clients: SIMS for a new item answers with the items that share
its genres, and user-personalization's exploration gives a user the new items of the genres
they like rather than simply the newest."""
import json
import random

import pytest

from tailor_e2e import (INTERACTIONS_COLUMNS, ITEMS_SCHEMA, Resources, deploy, unique_name,
                        wait_for)

SMALL = {"hidden_dimension": "8", "iterations": "5"}


def genre_of(item):
    return "Drama" if item.startswith("d") else "Comedy"


@pytest.fixture(scope="module")
def deployed(server, tmp_path_factory):
    """Dramas d0..d19 and comedies c0..c19; even users watch dramas, odd users comedies."""
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("item-metadata"))
    group, _, interactions = res.interactions_dataset()
    rng = random.Random(5)
    rows = []
    for u in range(60):
        prefix = "d" if u % 2 == 0 else "c"
        for e in range(20):
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"{prefix}{rng.randrange(20)}",
                         "TIMESTAMP": 1_700_000_000 + u * 100 + e, "EVENT_TYPE": "watch",
                         "EVENT_VALUE": "1"})
    # A drama that three comedy watchers also had: rare, with neighbours of the wrong genre.
    for u in (1, 3, 5):
        rows.append({"USER_ID": f"u{u}", "ITEM_ID": "d-rare", "TIMESTAMP": 1_700_000_000 + u * 100 + 50,
                     "EVENT_TYPE": "watch", "EVENT_VALUE": "1"})
    res.import_rows(interactions, INTERACTIONS_COLUMNS, rows)
    items = res.dataset(group, res.schema(ITEMS_SCHEMA), "Items")
    res.import_rows(items, ["ITEM_ID", "GENRES", "CREATION_TIMESTAMP"],
                    [{"ITEM_ID": f"{p}{k}", "GENRES": genre_of(p),
                      "CREATION_TIMESTAMP": 1_600_000_000} for p in ("d", "c") for k in range(20)]
                    + [{"ITEM_ID": "d-rare", "GENRES": "Drama", "CREATION_TIMESTAMP": 1_600_000_000}])
    campaigns = {}
    for recipe, params, config in (
            ("aws-sims", {}, {}),
            ("aws-similar-items", {}, {}),
            ("aws-user-personalization", SMALL,
             {"itemExplorationConfig": {"explorationWeight": "1",
                                        "explorationItemAgeCutOff": "30"}})):
        solution = res.solution(group, recipe, solutionConfig={"algorithmHyperParameters": params})
        version = res.solution_version(solution)["solutionVersionArn"]
        campaigns[recipe] = deploy(pz, version, campaignConfig=config)
    # After the training: six new dramas, and six new comedies that are all newer.
    new_items = [{"itemId": f"new-drama-{k}",
                  "properties": json.dumps({"genres": "Drama", "creationTimestamp": 1_700_000_000 + k})}
                 for k in range(6)]
    new_items += [{"itemId": f"new-comedy-{k}",
                   "properties": json.dumps({"genres": "Comedy",
                                             "creationTimestamp": 1_800_000_000 + k})}
                  for k in range(6)]
    events = server.client("personalize-events")
    for start in range(0, len(new_items), 10):
        events.put_items(datasetArn=items, items=new_items[start:start + 10])
    campaigns["history"] = {}
    for r in rows:
        campaigns["history"].setdefault(r["USER_ID"], set()).add(r["ITEM_ID"])
    campaigns["group"] = group
    return campaigns


def test_sims_answers_a_new_item_with_the_items_of_its_genre(server, deployed):
    runtime = server.client("personalize-runtime")
    got = runtime.get_recommendations(campaignArn=deployed["aws-sims"], itemId="new-drama-0",
                                      numResults=10)["itemList"]
    assert len(got) == 10
    assert all(i["itemId"].startswith("d") for i in got), got
    got = runtime.get_recommendations(campaignArn=deployed["aws-sims"], itemId="new-comedy-3",
                                      numResults=25)["itemList"]
    # 20 comedies share the genre; the rest of the 25 are popular items.
    assert len(got) == 25
    assert all(i["itemId"].startswith("c") for i in got[:20]), got
    # An item with no Items row at all still gets popular items, not an error.
    assert len(runtime.get_recommendations(campaignArn=deployed["aws-sims"], itemId="nowhere",
                                           numResults=5)["itemList"]) == 5


def test_similar_items_places_a_rare_item_by_its_metadata(server, deployed):
    """d-rare has three users, all comedy watchers: SIMS answers with its co-occurrence
    neighbours, comedies; aws-similar-items, for an item with fewer than 5 users, with the items
    that share its genre first."""
    runtime = server.client("personalize-runtime")

    def similar(recipe, item, n=10):
        return [i["itemId"] for i in runtime.get_recommendations(
            campaignArn=deployed[recipe], itemId=item, numResults=n)["itemList"]]

    sims = similar("aws-sims", "d-rare")
    # Its neighbours (the comedies the three had, but for the most popular few, which SIMS's
    # max_item_interaction_count_percentile leaves out), then popular items.
    assert all(i.startswith("c") for i in sims[:5]), sims
    metadata = similar("aws-similar-items", "d-rare", 25)
    assert len(metadata) == 25 and "d-rare" not in metadata, metadata
    assert all(i.startswith("d") for i in metadata[:20]), metadata
    # Then its co-occurrence neighbours.
    assert metadata[20:] == sims[:5], (metadata, sims)
    # An item with more users is answered from co-occurrence by both.
    assert similar("aws-similar-items", "d3") == similar("aws-sims", "d3")


def test_exploration_offers_the_new_items_of_the_genres_a_user_likes(server, deployed):
    runtime = server.client("personalize-runtime")
    for user, genre in (("u0", "drama"), ("u1", "comedy")):
        got = [i["itemId"] for i in runtime.get_recommendations(
            campaignArn=deployed["aws-user-personalization"], userId=user,
            numResults=10)["itemList"]]
        new = [i for i in got if i.startswith("new-")]
        assert new, got
        assert all(i.startswith(f"new-{genre}") for i in new), (user, got)


def test_exploration_offers_only_the_new_items_the_filter_keeps(server, pz, deployed):
    """A filter judges new items by their Items rows: a drama watcher asking for comedies only
    is offered new comedies, not the new dramas exploration would pick for them."""
    runtime = server.client("personalize-runtime")
    flt = pz.create_filter(name=unique_name("flt"), datasetGroupArn=deployed["group"],
                           filterExpression='INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")')[
        "filterArn"]
    wait_for(lambda: pz.describe_filter(filterArn=flt), "filter")
    try:
        got = [i["itemId"] for i in runtime.get_recommendations(
            campaignArn=deployed["aws-user-personalization"], userId="u0", numResults=10,
            filterArn=flt)["itemList"]]
        new = [i for i in got if i.startswith("new-")]
        assert new and all(i.startswith("new-comedy") for i in new), got
        assert all(i.startswith("c") or i.startswith("new-comedy") for i in got), got
    finally:
        pz.delete_filter(filterArn=flt)


def test_a_filter_after_exploration_still_sees_the_interactions(server, pz, deployed):
    """Exploration builds its snapshot without the imported interactions; the first filter
    that needs them must not get that snapshot."""
    runtime = server.client("personalize-runtime")
    campaign = deployed["aws-user-personalization"]
    runtime.get_recommendations(campaignArn=campaign, userId="u2", numResults=10)
    seen = pz.create_filter(name=unique_name("flt"), datasetGroupArn=deployed["group"],
                            filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN '
                                             '("*")')["filterArn"]
    wait_for(lambda: pz.describe_filter(filterArn=seen), "filter")
    for user in ("u2", "u3"):
        got = {i["itemId"] for i in runtime.get_recommendations(
            campaignArn=campaign, userId=user, numResults=25, filterArn=seen)["itemList"]}
        assert got and not got & deployed["history"][user], (user, got & deployed["history"][user])
