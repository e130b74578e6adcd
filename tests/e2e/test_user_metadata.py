"""Users without history answered from their Users metadata, through the real boto3 clients:
user-personalization and personalized-ranking learn which items users of each categorical
value chose, so a user known only by a Users row (PutUsers) gets the choices of users like
them, and a user without a row the plain popular items; a user new since the training with
events as well gets their own list re-weighted by those choices."""
import json
import random

import pytest

from tailor_e2e import INTERACTIONS_COLUMNS, USERS_SCHEMA, Resources, deploy, wait_for

SMALL = {"hidden_dimension": "8", "iterations": "3"}


@pytest.fixture(scope="module")
def deployed(server, tmp_path_factory):
    """Users with GENDER F watch a0..a19, users with M watch b0..b19; b items are a little more
    popular overall, so the plain cold-start list leads with them. Ten users, of both, also
    watched c0."""
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("user-metadata"))
    group, _, interactions = res.interactions_dataset()
    rng = random.Random(9)
    rows = []
    for u in range(70):
        prefix, count = ("a", 16) if u % 2 == 0 else ("b", 24)
        for e in range(count):
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"{prefix}{rng.randrange(20)}",
                         "TIMESTAMP": 1_700_000_000 + u * 100 + e, "EVENT_TYPE": "watch",
                         "EVENT_VALUE": "1"})
        if u < 10:  # c0: a few users of both groups
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": "c0", "TIMESTAMP": 1_700_000_000 + u * 100,
                         "EVENT_TYPE": "watch", "EVENT_VALUE": "1"})
    res.import_rows(interactions, INTERACTIONS_COLUMNS, rows)
    users = res.dataset(group, res.schema(USERS_SCHEMA), "Users")
    res.import_rows(users, ["USER_ID", "AGE", "GENDER"],
                    [{"USER_ID": f"u{u}", "AGE": 30, "GENDER": "F" if u % 2 == 0 else "M"}
                     for u in range(70)])
    campaigns = {}
    no_gender = {"excludedDatasetColumns": {"USERS": ["GENDER"]}}
    for key, recipe, config in (
            ("aws-user-personalization", "aws-user-personalization", {}),
            ("aws-personalized-ranking", "aws-personalized-ranking", {}),
            ("no-gender", "aws-user-personalization", {"trainingDataConfig": no_gender})):
        solution = res.solution(group, recipe, solutionConfig={"algorithmHyperParameters": SMALL,
                                                                **config})
        version = res.solution_version(solution)["solutionVersionArn"]
        campaigns[key] = deploy(pz, version)
    # Known only by their Users rows, added after the training; fresh-f also by one event, on
    # the item of both groups, as is fresh-x, who has no Users row.
    events = server.client("personalize-events")
    events.put_users(datasetArn=users, users=[
        {"userId": "new-f", "properties": json.dumps({"age": 25, "gender": "F"})},
        {"userId": "new-m", "properties": json.dumps({"age": 25, "gender": "M"})},
        {"userId": "fresh-f", "properties": json.dumps({"age": 25, "gender": "F"})}])
    tracker = pz.create_event_tracker(name="user-metadata", datasetGroupArn=group)
    wait_for(lambda: pz.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
             "eventTracker")
    for user in ("fresh-f", "fresh-x"):
        events.put_events(trackingId=tracker["trackingId"], userId=user, sessionId=user,
                          eventList=[{"eventType": "watch", "itemId": "c0",
                                      "sentAt": 1_700_100_000}])
    return campaigns


def a_items(item_ids):
    return sum(1 for i in item_ids if i.startswith("a"))


def test_a_user_without_history_gets_the_choices_of_users_like_them(server, deployed):
    runtime = server.client("personalize-runtime")
    campaign = deployed["aws-user-personalization"]

    def top(user):
        return [i["itemId"] for i in runtime.get_recommendations(
            campaignArn=campaign, userId=user, numResults=10)["itemList"]]
    assert a_items(top("new-f")) == 10, top("new-f")
    assert a_items(top("new-m")) == 0, top("new-m")
    # No Users row: the plain popular list, led by the more watched b items.
    plain = top("nobody")
    assert a_items(plain) < 5, plain
    # A model trained with GENDER left out (trainingDataConfig) answers her with that list.
    left_out = [i["itemId"] for i in runtime.get_recommendations(
        campaignArn=deployed["no-gender"], userId="new-f", numResults=10)["itemList"]]
    assert a_items(left_out) < 5, left_out


def test_ranking_for_a_user_without_history_uses_their_metadata(server, deployed):
    runtime = server.client("personalize-runtime")
    candidates = [f"a{k}" for k in range(4)] + [f"b{k}" for k in range(4)]
    ranked = [i["itemId"] for i in runtime.get_personalized_ranking(
        campaignArn=deployed["aws-personalized-ranking"], userId="new-f",
        inputList=candidates)["personalizedRanking"]]
    assert sorted(ranked) == sorted(candidates)
    assert a_items(ranked[:4]) == 4, ranked


def test_a_new_user_with_events_and_a_users_row_leans_to_users_like_them(server, deployed):
    """fresh-f and fresh-x each watched c0, the item of both groups, since the training; only
    fresh-f has a Users row (F, whose users watched only a items)."""
    runtime = server.client("personalize-runtime")
    campaign = deployed["aws-user-personalization"]

    def top(user):
        return [i["itemId"] for i in runtime.get_recommendations(
            campaignArn=campaign, userId=user, numResults=10)["itemList"]]
    with_row, without = top("fresh-f"), top("fresh-x")
    # c0 alone leaves both groups' items in the list (5 of 10 a items when this was written);
    # her row tilts it to the a items (9).
    assert a_items(with_row) >= a_items(without) + 3, (with_row, without)

    candidates = [f"a{k}" for k in range(4)] + [f"b{k}" for k in range(4)]

    def ranked(user):
        return [i["itemId"] for i in runtime.get_personalized_ranking(
            campaignArn=deployed["aws-personalized-ranking"], userId=user,
            inputList=candidates)["personalizedRanking"]]
    assert a_items(ranked("fresh-f")[:4]) == 4, ranked("fresh-f")
    assert a_items(ranked("fresh-x")[:4]) < 4, ranked("fresh-x")
