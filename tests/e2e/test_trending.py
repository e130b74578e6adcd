"""aws-trending-now through the real boto3 clients: the recipe and its feature transformation in
the catalogue, a solution trained with trend_discovery_frequency, a campaign that answers
without a userId with the items that grew the most, real-time events that move the trend
without retraining, filters that need the userId, and bad frequencies."""
import json
import random
import time

import pytest

from tailor_e2e import (ITEMS_SCHEMA, Resources, deploy, expect_error, recipe_arn, unique_name,
                        wait_for, wait_gone)

COLUMNS = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"]
HOUR = 3600
# The newest imported event is one second before END, a whole number of days (a bucket edge).
END = 1_700_006_400 + 3 * HOUR


def trend_rows():
    """A day of background events where i0 and i1 are the most popular items; then, in the hour
    before the last, i5 had 20 events; in the last hour i7 had 30 and i5 10."""
    rng = random.Random(3)
    rows = []

    def add(user, item, ts):
        rows.append({"USER_ID": user, "ITEM_ID": item, "TIMESTAMP": str(ts),
                     "EVENT_TYPE": "click", "EVENT_VALUE": "1"})

    start = END - 30 * HOUR
    for k in range(1200):
        item = "i0" if k % 3 == 0 else "i1" if k % 3 == 1 else f"i{rng.randrange(2, 20)}"
        add(f"u{rng.randrange(60)}", item, start + k * 60)
    for k in range(20):
        add(f"u{k}", "i5", END - 2 * HOUR + 60 + k)
    for k in range(10):
        add(f"u{20 + k}", "i5", END - HOUR + 60 + k)
    for k in range(30):
        add(f"u{30 + k}", "i7", END - HOUR + 120 + k)
    add("u59", "i3", END - 1)
    return rows


@pytest.fixture(scope="module")
def trending(server, tmp_path_factory):
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("trending"))
    group, _, dataset = res.interactions_dataset()
    res.import_rows(dataset, COLUMNS, trend_rows(), "trend")
    solution = res.solution(group, "aws-trending-now", solutionConfig={
        "featureTransformationParameters": {"trend_discovery_frequency": "1 hour"}})
    version = res.solution_version(solution)
    tracker = pz.create_event_tracker(name=unique_name("trk"), datasetGroupArn=group)
    wait_for(lambda: pz.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
             "eventTracker")
    campaign = deploy(pz, version["solutionVersionArn"])
    yield {"group": group, "solution": solution, "version": version, "campaign": campaign,
           "tracking_id": tracker["trackingId"]}
    delete_campaign_and_tracker(pz, campaign, tracker["eventTrackerArn"])
    res.cleanup()


def delete_campaign_and_tracker(pz, campaign, tracker):
    """What Resources.cleanup does not delete goes first: a solution with a campaign, or a
    dataset group with a tracker, cannot be deleted."""
    if campaign is not None:
        pz.delete_campaign(campaignArn=campaign)
        wait_gone(lambda: pz.describe_campaign(campaignArn=campaign))
    if tracker is not None:
        pz.delete_event_tracker(eventTrackerArn=tracker)
        wait_gone(lambda: pz.describe_event_tracker(eventTrackerArn=tracker))


def item_ids(resp):
    return [i["itemId"] for i in resp["itemList"]]


def put_clicks(server, tracking_id, item, batches, start, user):
    """`batches` PutEvents of ten clicks on `item`, one second apart from `start`."""
    events = server.client("personalize-events")
    for batch in range(batches):
        events.put_events(trackingId=tracking_id, userId=f"{user}{batch}", sessionId=f"s{batch}",
                          eventList=[{"eventType": "click", "itemId": item,
                                      "sentAt": start + batch * 10 + k} for k in range(10)])


def answer_led_by(server, campaign, item, num_results):
    """The campaign's item ids once `item` leads them, or after 10 s (the trend is recomputed
    once a second after new events)."""
    runtime = server.client("personalize-runtime")
    deadline = time.time() + 10
    while True:
        ids = item_ids(runtime.get_recommendations(campaignArn=campaign, numResults=num_results))
        if ids[0] == item or time.time() > deadline:
            return ids
        time.sleep(0.2)


def filtered_answer(server, trending, expression, user, num_results=25):
    """The trending campaign's item ids for `user` under a filter made for the call from
    `expression` (deleted afterwards)."""
    pz = server.client("personalize")
    flt = pz.create_filter(name=unique_name("flt"), datasetGroupArn=trending["group"],
                           filterExpression=expression)["filterArn"]
    try:
        wait_for(lambda: pz.describe_filter(filterArn=flt), "filter")
        return item_ids(server.client("personalize-runtime").get_recommendations(
            campaignArn=trending["campaign"], userId=user, filterArn=flt,
            numResults=num_results))
    finally:
        pz.delete_filter(filterArn=flt)


def test_the_catalogue_describes_trending_now(pz):
    recipe = pz.describe_recipe(recipeArn=recipe_arn("aws-trending-now"))["recipe"]
    assert recipe["recipeType"] == "POPULAR_ITEMS"
    assert recipe["featureTransformationArn"].endswith("feature-transformation/trending-now")
    listed = {r["name"]: r for r in pz.list_recipes()["recipes"]}
    assert "aws-trending-now" in listed
    ft = pz.describe_feature_transformation(
        featureTransformationArn=recipe["featureTransformationArn"])["featureTransformation"]
    assert ft["defaultParameters"] == {"trend_discovery_frequency": "2 hours"}
    assert recipe["algorithmArn"] == "arn:aws:personalize:::algorithm/aws-trending-now-custom"
    algorithm = pz.describe_algorithm(algorithmArn=recipe["algorithmArn"])["algorithm"]
    assert algorithm["name"] == "aws-trending-now-custom"
    assert algorithm["defaultHyperParameters"] == {"trend_discovery_frequency": "2 hours"}


def test_a_version_records_the_frequency_and_its_metrics(pz, trending):
    version = trending["version"]
    assert version["status"] == "ACTIVE"
    assert version["solutionConfig"]["featureTransformationParameters"] == {
        "trend_discovery_frequency": "1 hour"}
    metrics = pz.get_solution_metrics(
        solutionVersionArn=version["solutionVersionArn"])["metrics"]
    assert 0.0 < metrics["coverage"] <= 1.0, metrics
    assert "normalized_discounted_cumulative_gain_at_10" in metrics
    # Held out: the newest hour, where i5 fell (20 -> 10) while i7 rose by 30 and i3 by 1. The
    # catalogue's 20 items all fit in the top 25, so the accuracy is the sum of the gains over
    # the best ones: (30 + 1 - 10) / (30 + 1).
    assert metrics["trend_prediction_accuracy"] == pytest.approx(21 / 31), metrics


def test_the_campaign_answers_without_a_user_with_the_largest_rise_first(server, trending):
    runtime = server.client("personalize-runtime")
    resp = runtime.get_recommendations(campaignArn=trending["campaign"], numResults=5)
    ids = item_ids(resp)
    # i7 rose by 30 and i3 by 1 from the previous hour to the last; i5 fell (20 -> 10); then
    # the most popular items.
    assert ids[:4] == ["i7", "i3", "i0", "i1"], ids
    assert all("score" not in i for i in resp["itemList"]), resp["itemList"]
    # The same list for every user.
    assert item_ids(runtime.get_recommendations(campaignArn=trending["campaign"],
                                                userId="u1", numResults=5)) == ids


def test_events_move_the_trend_without_retraining(server, trending):
    # Forty events on i12 half an hour after the imported data: the windows move forward and
    # i12 leads them.
    put_clicks(server, trending["tracking_id"], "i12", 4, END + 1800, "late")
    ids = answer_led_by(server, trending["campaign"], "i12", 3)
    assert ids[0] == "i12", ids


def test_items_new_since_the_training_join_the_trend(server, pz, trending):
    runtime = server.client("personalize-runtime")
    # Fifty events on an item the model has never seen, in the same half hour as i12's forty.
    put_clicks(server, trending["tracking_id"], "brand-new", 5, END + 1800 + 200, "new")
    ids = answer_led_by(server, trending["campaign"], "brand-new", 5)
    assert ids[:2] == ["brand-new", "i12"], ids
    assert len(ids) == 5, ids
    # This group has no Items dataset: a filter judges the new item as one without metadata,
    # with the user's events on it. Nobody purchased it, so excluding purchases keeps it; it is
    # excluded for new0, who clicked it, when clicks are, and kept for u1, who did not.
    purchased = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    assert filtered_answer(server, trending, purchased, "new0", 5)[:2] == ["brand-new", "i12"]
    clicked = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'
    for_new0 = filtered_answer(server, trending, clicked, "new0", 5)
    assert for_new0[0] == "i12" and "brand-new" not in for_new0, for_new0
    assert filtered_answer(server, trending, clicked, "u1", 5)[0] == "brand-new"


def test_filters_that_need_the_user_see_their_events(server, trending):
    # u30 clicked i7 in the last hour: the filter removes it for u30.
    for_u30 = filtered_answer(
        server, trending, 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")', "u30")
    assert "i7" not in for_u30, for_u30
    assert for_u30, for_u30


def test_filters_judge_new_items_by_their_items_row(server, res, trending):
    """Items new since the training join filtered answers once they have an Items row: the
    filter reads it like any item's, and the user's events on them count at once."""
    items = res.dataset(trending["group"], res.schema(ITEMS_SCHEMA), "Items")
    res.import_rows(items, ["ITEM_ID", "GENRES", "CREATION_TIMESTAMP"],
                    [{"ITEM_ID": f"i{k}", "GENRES": "Comedy", "CREATION_TIMESTAMP": 1_600_000_000}
                     for k in range(20)])
    server.client("personalize-events").put_items(datasetArn=items, items=[
        {"itemId": "new-drama",
         "properties": json.dumps({"genres": "Drama", "creationTimestamp": 1_700_000_000})},
        {"itemId": "new-comedy",
         "properties": json.dumps({"genres": "Comedy", "creationTimestamp": 1_700_000_000})}])
    put_clicks(server, trending["tracking_id"], "new-drama", 7, END + 1800 + 400, "nd")
    put_clicks(server, trending["tracking_id"], "new-comedy", 6, END + 1800 + 500, "nc")
    assert answer_led_by(server, trending["campaign"], "new-drama", 3)[:2] == [
        "new-drama", "new-comedy"]
    # Every model item is a comedy: only the new drama is left, and the new items without a
    # row (brand-new), which have no genre, stay out.
    dramas = filtered_answer(server, trending, 'INCLUDE ItemID WHERE Items.GENRES IN ("Drama")',
                             "anyone")
    assert dramas == ["new-drama"], dramas
    comedies = filtered_answer(server, trending,
                               'INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")', "anyone")
    assert comedies[0] == "new-comedy" and "new-drama" not in comedies, comedies
    assert "brand-new" not in comedies, comedies
    # nc0 clicked the new comedy: excluding what the user clicked removes it for nc0 only.
    seen = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'
    assert filtered_answer(server, trending, seen, "nobody")[:2] == ["new-drama", "new-comedy"]
    for_nc0 = filtered_answer(server, trending, seen, "nc0")
    assert for_nc0[0] == "new-drama" and "new-comedy" not in for_nc0, for_nc0


@pytest.mark.parametrize("config, mentions", [
    ({"featureTransformationParameters": {"trend_discovery_frequency": "90 minutes"}},
     ["trend_discovery_frequency", "90 minutes", "1 hour"]),
    ({"featureTransformationParameters": {"trend_discovery_frequency": "1 hour"},
      "algorithmHyperParameters": {"trend_discovery_frequency": "1 day"}},
     ["trend_discovery_frequency", "twice"]),
])
def test_bad_frequencies_are_invalid_input(pz, trending, config, mentions):
    with expect_error(pz, "InvalidInputException", *mentions):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=trending["group"],
                           recipeArn=recipe_arn("aws-trending-now"), solutionConfig=config)


# Each case: the solution's event selection, then an event (type, value) it leaves out and one it
# counts. The imported data: the trend rows as watches of value 5, and fifty clicks of value 1
# on i15 in the last minutes.
SELECTIONS = {
    "eventType": ({"eventType": "watch"}, ("click", 5), ("watch", 5)),
    "eventValueThreshold": ({"solutionConfig": {"eventValueThreshold": "3"}}, ("watch", 1),
                            ("watch", 5)),
    "eventsConfig": ({"solutionConfig": {"eventsConfig": {"eventParametersList": [
        {"eventType": "watch", "eventValueThreshold": 3.0, "weight": 1.0}]}}}, ("watch", 2),
        ("watch", 4)),
}


@pytest.mark.parametrize("case", sorted(SELECTIONS))
def test_real_time_events_count_as_the_solution_selects_events(server, tmp_path, case):
    selection, ignored, counted = SELECTIONS[case]
    pz = server.client("personalize")
    runtime = server.client("personalize-runtime")
    events = server.client("personalize-events")
    res = Resources(pz, tmp_path)
    campaign = tracker = None
    try:
        rows = [dict(r, EVENT_TYPE="watch", EVENT_VALUE="5") for r in trend_rows()]
        rows += [{"USER_ID": f"u{k}", "ITEM_ID": "i15", "TIMESTAMP": str(END - 100 + k),
                  "EVENT_TYPE": "click", "EVENT_VALUE": "1"} for k in range(50)]
        group, _, dataset = res.interactions_dataset()
        res.import_rows(dataset, COLUMNS, rows, "typed")
        config = selection.get("solutionConfig", {})
        config["featureTransformationParameters"] = {"trend_discovery_frequency": "1 hour"}
        solution = res.solution(group, "aws-trending-now", solutionConfig=config,
                                **{k: v for k, v in selection.items() if k != "solutionConfig"})
        campaign = deploy(pz, res.solution_version(solution)["solutionVersionArn"])
        tracker = pz.create_event_tracker(name=unique_name("trk"), datasetGroupArn=group)
        wait_for(lambda: pz.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
                 "eventTracker")
        # The imported clicks on i15 did not train it: the watches' trend leads.
        ids = item_ids(runtime.get_recommendations(campaignArn=campaign, numResults=3))
        assert ids[:2] == ["i7", "i3"], ids

        def put(item, event):
            events.put_events(trackingId=tracker["trackingId"], userId="late", sessionId="s",
                              eventList=[{"eventType": event[0], "eventValue": event[1],
                                          "itemId": item, "sentAt": END + 60 + k}
                                         for k in range(10)])

        # Events the solution leaves out: not counted, so they neither lead nor move the windows.
        for _ in range(4):
            put("i12", ignored)
        time.sleep(1.5)  # past the trend's refresh
        ids = item_ids(runtime.get_recommendations(campaignArn=campaign, numResults=3))
        assert ids[:2] == ["i7", "i3"], ids
        for _ in range(4):
            put("i13", counted)
        ids = answer_led_by(server, campaign, "i13", 3)
        assert ids[0] == "i13", ids
    finally:
        delete_campaign_and_tracker(pz, campaign, tracker and tracker["eventTrackerArn"])
        res.cleanup()
