"""What user-personalization does with the items a user already had, through boto3: it learns
from the data whether users come back to them, by recency, count and event type. Where each
"watch" is followed by a "click" on the same item and a click alone by nothing, a new watch puts
that item first in the very next answer, its click takes it out, and a click alone never brings
its item; where nobody comes back, the history comes after every new item. A filter removes it
either way, GetPersonalizedRanking ranks a list alike, and GetSolutionMetrics measures the same
answer."""
import random

from tailor_e2e import Resources, deploy, unique_name, wait_for

SMALL = {"hidden_dimension": "8", "iterations": "3"}
COLUMNS = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"]
SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
ITEMS = 60


def user_items(users=80, per_user=15, seed=3):
    rng = random.Random(seed)
    return {f"u{u}": rng.sample(range(ITEMS), per_user) for u in range(users)}


def rows_of(histories, paired):
    """With `paired`, every other item is a "watch" followed by a "click", the rest a "click"
    alone (as in Personalize's MovieLens sample); else each item is one click."""
    rows = []
    for u, items in histories.items():
        t = 1_700_000_000 + int(u[1:]) * 10_000
        for k, item in enumerate(items):
            kinds = ["watch", "click"] if paired and k % 2 == 0 else ["click"]
            rows += [{"USER_ID": u, "ITEM_ID": f"i{item}", "TIMESTAMP": str(t),
                      "EVENT_TYPE": kind, "EVENT_VALUE": "1"} for kind in kinds]
            t += 60
    return rows


def campaign_for(pz, res, rows):
    group, _, dataset = res.interactions_dataset()
    res.import_rows(dataset, COLUMNS, rows, "events")
    solution = res.solution(group, "aws-user-personalization",
                            solutionConfig={"algorithmHyperParameters": SMALL})
    version = res.solution_version(solution)["solutionVersionArn"]
    return group, version, deploy(pz, version)


def test_an_item_users_come_back_to_leads_the_next_answer(server, pz, tmp_path):
    res = Resources(pz, tmp_path)
    histories = user_items()
    group, _, campaign = campaign_for(pz, res, rows_of(histories, paired=True))
    tracker = pz.create_event_tracker(name=unique_name("trk"), datasetGroupArn=group)
    wait_for(lambda: pz.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
             "eventTracker")
    runtime = server.client("personalize-runtime")
    events = server.client("personalize-events")

    def answer(**kwargs):
        return runtime.get_recommendations(campaignArn=campaign, userId="u0", numResults=10,
                                           **kwargs)["itemList"]

    had = {f"i{i}" for i in histories["u0"]}
    before = answer()
    # u0 clicked every item they had: none of them comes back.
    assert not had & {i["itemId"] for i in before}, before
    new, other = [f"i{i}" for i in range(ITEMS) if f"i{i}" not in had][:2]

    def put(kind, at, item=new):
        events.put_events(trackingId=tracker["trackingId"], userId="u0", sessionId="s0",
                          eventList=[{"eventType": kind, "itemId": item, "sentAt": at}])

    # A click alone is never followed by another event on its item: the event type tells.
    put("click", 1_799_999_999, other)
    assert other not in {i["itemId"] for i in answer()}
    put("watch", 1_800_000_000)
    watched = answer()
    assert watched[0]["itemId"] == new, watched
    scores = [i["score"] for i in watched]
    assert scores == sorted(scores, reverse=True) and 0.5 < scores[0] and sum(scores) <= 1 + 1e-6
    # GetPersonalizedRanking ranks a list the same way: the watched item first, an item u0 had
    # twice last.
    ranking = res.solution(group, "aws-personalized-ranking",
                           solutionConfig={"algorithmHyperParameters": SMALL})
    ranker = deploy(pz, res.solution_version(ranking)["solutionVersionArn"])
    old = f"i{histories['u0'][0]}"
    listed = [watched[2]["itemId"], old, new, watched[1]["itemId"]]
    ranked = runtime.get_personalized_ranking(campaignArn=ranker, userId="u0",
                                              inputList=listed)["personalizedRanking"]
    assert [i["itemId"] for i in ranked][0] == new and ranked[-1]["itemId"] == old, ranked
    assert abs(sum(i["score"] for i in ranked) - 1) < 1e-4
    # The filter still removes it.
    seen = pz.create_filter(name=unique_name("flt"), datasetGroupArn=group,
                            filterExpression=SEEN)["filterArn"]
    wait_for(lambda: pz.describe_filter(filterArn=seen), "filter")
    assert new not in {i["itemId"] for i in answer(filterArn=seen)}

    put("click", 1_800_000_001)
    clicked = answer()
    assert new not in {i["itemId"] for i in clicked}, clicked


def test_history_nobody_comes_back_to_comes_last(server, pz, tmp_path):
    res = Resources(pz, tmp_path)
    histories = user_items()
    _, version, campaign = campaign_for(pz, res, rows_of(histories, paired=False))
    runtime = server.client("personalize-runtime")
    had = {f"i{i}" for i in histories["u0"]}
    everything = runtime.get_recommendations(campaignArn=campaign, userId="u0",
                                             numResults=ITEMS)["itemList"]
    assert len(everything) == ITEMS
    fresh = len(everything) - len(had)
    assert not had & {i["itemId"] for i in everything[:fresh]}
    assert {i["itemId"] for i in everything[fresh:]} == had
    assert all(i["score"] == 0 for i in everything[fresh:])
    assert all(i["score"] > 0 for i in everything[:fresh])
    metrics = pz.get_solution_metrics(solutionVersionArn=version)["metrics"]
    assert 0 < metrics["coverage"] <= 1
