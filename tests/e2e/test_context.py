"""GetRecommendations' and GetPersonalizedRanking's `context` through the real boto3 runtime
client: a DEVICE column of the Interactions dataset, learned at training, re-weights the
answer for the device the request names; unknown keys and malformed context are refused."""
import random

import pytest

from tailor_e2e import Resources, avro, deploy, expect_error

SMALL = {"hidden_dimension": "8", "iterations": "3"}
SCHEMA = avro("Interactions", [
    {"name": "USER_ID", "type": "string"},
    {"name": "ITEM_ID", "type": "string"},
    {"name": "TIMESTAMP", "type": "long"},
    {"name": "EVENT_TYPE", "type": "string"},
    {"name": "DEVICE", "type": ["null", "string"], "categorical": True},
])
COLUMNS = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "DEVICE"]


def device_rows(users=100, per_device=6):
    """Every user picks phone items p0..p39 on mobile and desk items d0..d39 on desktop, so a
    user's taste alone does not say which half they want now; the device does."""
    rng = random.Random(11)
    rows = []
    for u in range(users):
        t = 1_700_000_000 + u * 1000
        for e in range(per_device):
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"p{rng.randrange(40)}",
                         "TIMESTAMP": t + 20 * e, "EVENT_TYPE": "click", "DEVICE": "mobile"})
            rows.append({"USER_ID": f"u{u}", "ITEM_ID": f"d{rng.randrange(40)}",
                         "TIMESTAMP": t + 20 * e + 10, "EVENT_TYPE": "click",
                         "DEVICE": "desktop"})
    return rows


@pytest.fixture(scope="module")
def campaigns(server, tmp_path_factory):
    pz = server.client("personalize")
    res = Resources(pz, tmp_path_factory.mktemp("context"))
    group = res.dataset_group()
    dataset = res.dataset(group, res.schema(SCHEMA), "Interactions")
    res.import_rows(dataset, COLUMNS, device_rows())
    no_device = {"excludedDatasetColumns": {"INTERACTIONS": ["DEVICE"]}}
    out = {}
    # "no-device": the same data with DEVICE left out of training by trainingDataConfig.
    for key, recipe, params, config in (
            ("aws-user-personalization", "aws-user-personalization", SMALL, {}),
            ("aws-personalized-ranking", "aws-personalized-ranking", SMALL, {}),
            ("aws-sims", "aws-sims", {}, {}),
            ("no-device", "aws-user-personalization", SMALL, {"trainingDataConfig": no_device})):
        solution = res.solution(group, recipe,
                                solutionConfig={"algorithmHyperParameters": params, **config})
        out[key] = deploy(pz, res.solution_version(solution)["solutionVersionArn"])
    return out


def phone_items(item_list):
    return sum(1 for i in item_list if i["itemId"].startswith("p"))


def test_context_moves_the_devices_items_up(server, campaigns):
    runtime = server.client("personalize-runtime")
    campaign = campaigns["aws-user-personalization"]
    for user in ("u3", "u42", "never-seen"):
        plain = runtime.get_recommendations(campaignArn=campaign, userId=user, numResults=10)
        mobile = runtime.get_recommendations(campaignArn=campaign, userId=user, numResults=10,
                                             context={"DEVICE": "mobile"})
        desktop = runtime.get_recommendations(campaignArn=campaign, userId=user, numResults=10,
                                              context={"device": "desktop"})
        assert phone_items(mobile["itemList"]) >= 9, (user, mobile["itemList"])
        assert phone_items(desktop["itemList"]) <= 1, (user, desktop["itemList"])
        assert phone_items(plain["itemList"]) not in (0, 10) or user == "never-seen", plain
        if user != "never-seen":
            scores = [i["score"] for i in mobile["itemList"]]
            assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1 + 1e-6
    # A value training never saw carries no information: the plain answer.
    plain = runtime.get_recommendations(campaignArn=campaign, userId="u3", numResults=10)
    tablet = runtime.get_recommendations(campaignArn=campaign, userId="u3", numResults=10,
                                         context={"DEVICE": "tablet"})
    assert [i["itemId"] for i in tablet["itemList"]] == [i["itemId"] for i in plain["itemList"]]


def test_context_reorders_a_ranking(server, campaigns):
    runtime = server.client("personalize-runtime")
    candidates = [f"p{k}" for k in range(5)] + [f"d{k}" for k in range(5)]
    campaign = campaigns["aws-personalized-ranking"]
    plain = runtime.get_personalized_ranking(campaignArn=campaign, userId="u7",
                                             inputList=candidates)["personalizedRanking"]
    for device, prefix in (("mobile", "p"), ("desktop", "d")):
        ranked = runtime.get_personalized_ranking(
            campaignArn=campaign, userId="u7", inputList=candidates,
            context={"DEVICE": device})["personalizedRanking"]
        assert sorted(i["itemId"] for i in ranked) == sorted(candidates)
        # The device's items fill the top of the list (the user's taste still orders them).
        top = [i["itemId"] for i in ranked[:5]]
        assert sum(i.startswith(prefix) for i in top) >= 4, (device, ranked)
        assert sum(i["itemId"].startswith(prefix) for i in plain[:5]) < 5, plain
        scores = [i["score"] for i in ranked]
        assert scores == sorted(scores, reverse=True) and abs(sum(scores) - 1) < 1e-4


def test_bad_context_is_refused_naming_it(server, campaigns):
    runtime = server.client("personalize-runtime")
    campaign = campaigns["aws-user-personalization"]
    with expect_error(runtime, "InvalidInputException", "context.LOCATION", "DEVICE"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1",
                                    context={"LOCATION": "home"})
    with expect_error(runtime, "InvalidInputException", "context key", "device-type"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1",
                                    context={"device-type": "mobile"})
    with expect_error(runtime, "InvalidInputException", "context.DEVICE", "1000"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1",
                                    context={"DEVICE": "x" * 1001})
    with expect_error(runtime, "InvalidInputException", "context", "150"):
        runtime.get_recommendations(campaignArn=campaign, userId="u1",
                                    context={f"K{k}": "v" for k in range(151)})
    # A model trained with DEVICE left out learned no context, and says so.
    with expect_error(runtime, "InvalidInputException", "context.DEVICE", "learned none"):
        runtime.get_recommendations(campaignArn=campaigns["no-device"], userId="u1",
                                    context={"DEVICE": "mobile"})
    # SIMS does not use context, as in Personalize: the answer is the same as without it.
    sims = campaigns["aws-sims"]
    with_context = runtime.get_recommendations(campaignArn=sims, itemId="p1",
                                               context={"LOCATION": "home"})["itemList"]
    assert with_context == runtime.get_recommendations(campaignArn=sims, itemId="p1")["itemList"]
