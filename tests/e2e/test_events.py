"""Real-time events through the real boto3 personalize-events client: event trackers, PutEvents
that change the very next recommendation, events that survive a restart and join the next
training, PutItems / PutUsers, and the events API's error classes."""
import json
import random
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from tailor_e2e import (ITEMS_SCHEMA, USERS_SCHEMA, Resources, deploy, unique_name, wait_for,
                        wait_gone)

SMALL = {"hidden_dimension": "8", "iterations": "3"}
COLUMNS = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"]


def clustered_rows(users=60, events=20):
    """Even users click even items, odd users odd items."""
    rng = random.Random(5)
    return [{"USER_ID": f"u{u}", "ITEM_ID": f"i{2 * rng.randrange(30) + u % 2}",
             "TIMESTAMP": str(1_700_000_000 + u * 1000 + e * 10), "EVENT_TYPE": "click",
             "EVENT_VALUE": "1"} for u in range(users) for e in range(events)]


def odd_share(item_list):
    return sum(int(i["itemId"][1:]) % 2 for i in item_list) / max(1, len(item_list))


def trained_group(res, rows):
    """An ACTIVE group whose Interactions dataset holds `rows`, with a user-personalization
    solution and an ACTIVE version of it: (group, dataset, solution, version)."""
    group, _, dataset = res.interactions_dataset()
    res.import_rows(dataset, COLUMNS, rows, "events")
    solution = res.solution(group, "aws-user-personalization",
                            solutionConfig={"algorithmHyperParameters": SMALL})
    return group, dataset, solution, res.solution_version(solution)["solutionVersionArn"]


def train(pz, solution):
    version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    wait_for(lambda: pz.describe_solution_version(solutionVersionArn=version), "solutionVersion")
    return version


def tracker(pz, group):
    resp = pz.create_event_tracker(name=unique_name("trk"), datasetGroupArn=group)
    wait_for(lambda: pz.describe_event_tracker(eventTrackerArn=resp["eventTrackerArn"]),
             "eventTracker")
    return resp["eventTrackerArn"], resp["trackingId"]


def events(items, start=1_800_000_000, event_type="click"):
    return [{"eventType": event_type, "itemId": item, "sentAt": start + k}
            for k, item in enumerate(items)]


@pytest.fixture(scope="module")
def deployed(server, tmp_path_factory):
    """A group with clustered interactions, a tracker and a user-personalization campaign."""
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("events"))
    group, dataset, solution, version = trained_group(res, clustered_rows())
    tracker_arn, tracking_id = tracker(pz, group)
    return {"group": group, "dataset": dataset, "solution": solution,
            "campaign": deploy(pz, version), "tracker": tracker_arn, "tracking_id": tracking_id,
            "res": res}


def test_event_tracker_lifecycle(server, pz, deployed):
    described = pz.describe_event_tracker(eventTrackerArn=deployed["tracker"])["eventTracker"]
    assert described["trackingId"] == deployed["tracking_id"]
    assert described["datasetGroupArn"] == deployed["group"]
    assert described["status"] == "ACTIVE" and described["accountId"] == "000000000000"
    listed = pz.list_event_trackers(datasetGroupArn=deployed["group"])["eventTrackers"]
    assert [t["eventTrackerArn"] for t in listed] == [deployed["tracker"]]
    # One tracker per dataset group.
    with pytest.raises(pz.exceptions.LimitExceededException):
        pz.create_event_tracker(name=unique_name("trk"), datasetGroupArn=deployed["group"])
    with pytest.raises(pz.exceptions.ResourceInUseException):
        pz.delete_dataset_group(datasetGroupArn=deployed["group"])
    with pytest.raises(pz.exceptions.ResourceNotFoundException):
        pz.describe_event_tracker(
            eventTrackerArn="arn:aws:personalize:us-east-1:000000000000:event-tracker/nope")


def test_events_change_the_very_next_answer(server, pz, deployed):
    runtime = server.client("personalize-runtime")
    events_client = server.client("personalize-events")
    campaign = deployed["campaign"]
    # A brand-new user gets the cold-start list until their first events arrive.
    cold = runtime.get_recommendations(campaignArn=campaign, userId="newcomer", numResults=10)
    events_client.put_events(trackingId=deployed["tracking_id"], userId="newcomer",
                             sessionId="s-newcomer", eventList=events(["i1", "i3", "i5", "i7"]))
    warm = runtime.get_recommendations(campaignArn=campaign, userId="newcomer", numResults=10)
    assert [i["itemId"] for i in warm["itemList"]] != [i["itemId"] for i in cold["itemList"]]
    assert odd_share(warm["itemList"]) >= 0.8, warm["itemList"]

    # A known even user who starts clicking odd items sees odd items move up at once.
    before = runtime.get_recommendations(campaignArn=campaign, userId="u0", numResults=20)
    assert odd_share(before["itemList"]) <= 0.2, before["itemList"]
    for batch in range(3):
        odd = [f"i{2 * k + 1}" for k in range(batch * 10, batch * 10 + 10) if 2 * k + 1 < 60]
        events_client.put_events(trackingId=deployed["tracking_id"], userId="u0",
                                 sessionId="s-u0", eventList=events(odd, 1_800_000_100 + batch))
    after = runtime.get_recommendations(campaignArn=campaign, userId="u0", numResults=20)
    assert odd_share(after["itemList"]) > odd_share(before["itemList"]), after["itemList"]

    # Anonymous events (no userId) are recorded under the sessionId.
    events_client.put_events(trackingId=deployed["tracking_id"], sessionId="anon-1",
                             eventList=events(["i9", "i11", "i13"]))
    anon = runtime.get_recommendations(campaignArn=campaign, userId="anon-1", numResults=10)
    assert odd_share(anon["itemList"]) >= 0.8, anon["itemList"]


def make_filter(pz, group, expression):
    arn = pz.create_filter(name=unique_name("flt"), datasetGroupArn=group,
                           filterExpression=expression)["filterArn"]
    wait_for(lambda: pz.describe_filter(filterArn=arn), "filter")
    return arn


def test_interaction_filters_see_events_at_once(server, pz, deployed):
    runtime = server.client("personalize-runtime")
    events_client = server.client("personalize-events")
    unseen = make_filter(pz, deployed["group"],
                         'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')
    campaign = deployed["campaign"]
    top = runtime.get_recommendations(campaignArn=campaign, userId="u2", filterArn=unseen,
                                      numResults=5)["itemList"][0]["itemId"]
    events_client.put_events(trackingId=deployed["tracking_id"], userId="u2", sessionId="s2",
                             eventList=events([top], event_type="watch"))
    after = runtime.get_recommendations(campaignArn=campaign, userId="u2", filterArn=unseen,
                                        numResults=25)["itemList"]
    assert top not in [i["itemId"] for i in after], (top, after)
    # The event's type counts too: excluding only purchases keeps the watched item.
    purchases = make_filter(pz, deployed["group"],
                            'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")')
    kept = runtime.get_recommendations(campaignArn=campaign, userId="u2", filterArn=purchases,
                                       numResults=100)["itemList"]
    assert top in [i["itemId"] for i in kept], (top, kept)


def test_put_events_rejects_bad_input(server, deployed):
    events_client = server.client("personalize-events")
    tid = deployed["tracking_id"]

    def code(**kwargs):
        with pytest.raises(ClientError) as e:
            events_client.put_events(**kwargs)
        return (e.value.response["Error"]["Code"],
                e.value.response["ResponseMetadata"]["HTTPStatusCode"],
                e.value.response["Error"]["Message"])

    c, status, message = code(trackingId="00000000-0000-0000-0000-000000000000", userId="u1",
                              sessionId="s", eventList=events(["i1"]))
    assert (c, status) == ("InvalidInputException", 400) and "trackingId" in message
    c, status, message = code(trackingId=tid, userId="u1", sessionId="s",
                              eventList=events([f"i{k}" for k in range(11)]))
    assert c == "InvalidInputException" and "eventList" in message and "11" in message
    c, _, message = code(trackingId=tid, userId="u1", sessionId="s",
                         eventList=[{"eventType": "click", "sentAt": 1_800_000_000}])
    assert c == "InvalidInputException" and "eventList[0].itemId" in message
    c, _, message = code(trackingId=tid, userId="u1", sessionId="s",
                         eventList=[{"eventType": "click", "itemId": "i1", "sentAt": 1,
                                     "properties": "not json"}])
    assert c == "InvalidInputException" and "eventList[0].properties" in message
    c, _, message = code(trackingId=tid, userId="u1", sessionId="s",
                         eventList=[{"eventType": "click", "itemId": "i1", "sentAt": 1,
                                     "properties": json.dumps({"userId": "x"})}])
    assert c == "InvalidInputException" and "userId" in message
    # A body of garbage.
    request = urllib.request.Request(server.url + "/events", data=b"\x00not json{",
                                     method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request)
    assert e.value.code == 400
    assert e.value.headers["x-amzn-ErrorType"].startswith("InvalidInputException")


def test_events_survive_a_restart_and_join_the_next_training(server_factory, tmp_path):
    srv = server_factory()
    pz = srv.client("personalize")
    group, _, solution, version = trained_group(Resources(pz, tmp_path), clustered_rows())
    campaign = deploy(pz, version)
    _, tracking_id = tracker(pz, group)
    srv.client("personalize-events").put_events(
        trackingId=tracking_id, userId="late", sessionId="s",
        eventList=events(["i1", "i3", "i5", "i7", "i9"]))
    # Killed without a clean stop: the acknowledged events are durable.
    srv.kill()
    srv.start()
    runtime = srv.client("personalize-runtime")
    recs = runtime.get_recommendations(campaignArn=campaign, userId="late", numResults=10)
    assert odd_share(recs["itemList"]) >= 0.8, recs["itemList"]
    # The next training reads them: 1200 imported interactions + 5 tracked events.
    version = train(srv.client("personalize"), solution)
    assert "1200 imported interactions and 5 tracked events" in srv.logs(tail=200000)
    updated = deploy(srv.client("personalize"), version)
    recs = runtime.get_recommendations(campaignArn=updated, userId="late", numResults=10)
    assert odd_share(recs["itemList"]) >= 0.8, recs["itemList"]


def test_put_items_and_users(server, pz, deployed):
    events_client = server.client("personalize-events")
    res = deployed["res"]
    items = res.dataset(deployed["group"], res.schema(ITEMS_SCHEMA), "Items")
    users = res.dataset(deployed["group"], res.schema(USERS_SCHEMA), "Users")
    events_client.put_items(datasetArn=items, items=[
        {"itemId": "i1", "properties": json.dumps({"genres": "Action|Drama",
                                                   "creationTimestamp": 1_700_000_000})},
        {"itemId": "brand-new", "properties": json.dumps({"creationTimestamp": 1_800_000_000})},
    ])
    events_client.put_users(datasetArn=users, users=[
        {"userId": "u1", "properties": json.dumps({"age": 31, "gender": "F"})}])
    # Filters see the new metadata at once.
    runtime = server.client("personalize-runtime")
    events_client.put_items(datasetArn=items, items=[
        {"itemId": "i3", "properties": json.dumps({"genres": "Rare",
                                                   "creationTimestamp": 1_700_000_000})}])
    rare = make_filter(pz, deployed["group"], 'INCLUDE ItemID WHERE Items.GENRES IN ("Rare")')
    got = runtime.get_recommendations(campaignArn=deployed["campaign"], userId="u1",
                                      filterArn=rare)["itemList"]
    assert [i["itemId"] for i in got] == ["i3"], got
    events_client.put_items(datasetArn=items, items=[
        {"itemId": "i5", "properties": json.dumps({"genres": "Rare|Drama",
                                                   "creationTimestamp": 1_700_000_000})}])
    got = runtime.get_recommendations(campaignArn=deployed["campaign"], userId="u1",
                                      filterArn=rare)["itemList"]
    assert sorted(i["itemId"] for i in got) == ["i3", "i5"], got
    adults = make_filter(pz, deployed["group"],
                         'INCLUDE ItemID WHERE Items.GENRES IN ("Rare") IF CurrentUser.AGE > 30')
    assert len(runtime.get_recommendations(campaignArn=deployed["campaign"], userId="u1",
                                           filterArn=adults)["itemList"]) == 2

    # metadataColumns, on a campaign that enables metadata.
    version = pz.describe_campaign(campaignArn=deployed["campaign"])["campaign"][
        "solutionVersionArn"]
    meta = pz.create_campaign(name=unique_name("meta"), solutionVersionArn=version,
                              campaignConfig={"enableMetadataWithRecommendations": True})[
        "campaignArn"]
    wait_for(lambda: pz.describe_campaign(campaignArn=meta), "campaign")
    got = runtime.get_recommendations(campaignArn=meta, userId="u1", filterArn=rare,
                                      metadataColumns={"ITEMS": ["GENRES", "CREATION_TIMESTAMP"]})
    assert {i["itemId"]: i["metadata"] for i in got["itemList"]} == {
        "i3": {"GENRES": "Rare", "CREATION_TIMESTAMP": "1700000000"},
        "i5": {"GENRES": "Rare|Drama", "CREATION_TIMESTAMP": "1700000000"}}, got
    plain = runtime.get_recommendations(campaignArn=meta, userId="u1", numResults=5)
    assert all("metadata" not in i for i in plain["itemList"])
    for kwargs in ({"campaignArn": deployed["campaign"]},  # metadata not enabled
                   {"campaignArn": meta, "numResults": 51},
                   {"campaignArn": meta, "metadataColumns": {"ITEMS": ["COLOUR"]}},
                   {"campaignArn": meta, "metadataColumns": {"USERS": ["AGE"]}}):
        kwargs.setdefault("metadataColumns", {"ITEMS": ["GENRES"]})
        with pytest.raises(runtime.exceptions.InvalidInputException):
            runtime.get_recommendations(userId="u1", **kwargs)

    def error(fn, **kwargs):
        with pytest.raises(ClientError) as e:
            fn(**kwargs)
        return (e.value.response["Error"]["Code"],
                e.value.response["ResponseMetadata"]["HTTPStatusCode"],
                e.value.response["Error"]["Message"])

    c, status, message = error(events_client.put_items, datasetArn=items, items=[
        {"itemId": "i2", "properties": json.dumps({"colour": "red", "creationTimestamp": 1})}])
    assert (c, status) == ("InvalidInputException", 400) and "items[0].properties.colour" in message
    c, _, message = error(events_client.put_items, datasetArn=items,
                          items=[{"itemId": "i2", "properties": json.dumps({"genres": "x"})}])
    assert c == "InvalidInputException" and "CREATION_TIMESTAMP" in message
    c, _, message = error(events_client.put_users, datasetArn=users,
                          users=[{"userId": "u2", "properties": json.dumps({"age": "old",
                                                                            "gender": "M"})}])
    assert c == "InvalidInputException" and "AGE" in message
    c, status, _ = error(events_client.put_items,
                         datasetArn="arn:aws:personalize:us-east-1:000000000000:dataset/x/ITEMS",
                         items=[{"itemId": "i2"}])
    assert (c, status) == ("ResourceNotFoundException", 404)
    c, _, message = error(events_client.put_users, datasetArn=items, users=[{"userId": "u2"}])
    assert c == "InvalidInputException" and "Users" in message
    c, _, _ = error(events_client.put_items, datasetArn=items,
                    items=[{"itemId": f"x{k}", "properties": "{}"} for k in range(11)])
    assert c == "InvalidInputException"


def test_exploration_gives_new_and_rare_items_a_share(server, pz, tmp_path):
    res = Resources(pz, tmp_path)
    rows = clustered_rows() + [
        {"USER_ID": "u1", "ITEM_ID": "rare-a", "TIMESTAMP": "1700000001", "EVENT_TYPE": "click",
         "EVENT_VALUE": "1"},
        {"USER_ID": "u3", "ITEM_ID": "rare-b", "TIMESTAMP": "1700000002", "EVENT_TYPE": "click",
         "EVENT_VALUE": "1"}]
    group, _, _, version = trained_group(res, rows)
    items = res.dataset(group, res.schema(ITEMS_SCHEMA), "Items")
    # An item added after training: only exploration can show it.
    server.client("personalize-events").put_items(datasetArn=items, items=[
        {"itemId": "fresh-1", "properties": json.dumps({"creationTimestamp": int(time.time())})}])
    plain = deploy(pz, version)
    exploring = pz.create_campaign(
        name=unique_name("exp"), solutionVersionArn=version,
        campaignConfig={"itemExplorationConfig": {"explorationWeight": "1",
                                                  "explorationItemAgeCutOff": "30"}})[
        "campaignArn"]
    wait_for(lambda: pz.describe_campaign(campaignArn=exploring), "campaign")
    runtime = server.client("personalize-runtime")

    def ids(campaign, **kwargs):
        return [i["itemId"] for i in runtime.get_recommendations(
            campaignArn=campaign, userId="u0", numResults=10, **kwargs)["itemList"]]

    base = ids(plain)
    assert not {"fresh-1", "rare-a", "rare-b"} & set(base), base
    explored = ids(exploring)
    assert len(explored) == 10 and explored[0] == base[0], explored
    assert {"fresh-1", "rare-a", "rare-b"} <= set(explored), explored
    # Half of the list stays the model's own choice, in its order.
    own = [i for i in explored if i not in {"fresh-1", "rare-a", "rare-b"}]
    assert own == base[:len(own)] and len(own) >= 5, (own, base)
    # A filter still applies to what exploration adds: u1 has seen rare-a.
    unseen = pz.create_filter(name=unique_name("flt"), datasetGroupArn=group,
                              filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
                              )["filterArn"]
    wait_for(lambda: pz.describe_filter(filterArn=unseen), "filter")
    filtered = [i["itemId"] for i in runtime.get_recommendations(
        campaignArn=exploring, userId="u1", numResults=10, filterArn=unseen)["itemList"]]
    assert "rare-a" not in filtered and "rare-b" in filtered, filtered
