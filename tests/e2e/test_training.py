"""Training, as a Personalize notebook does it: the recipe catalogue, solutions, solution
versions (plain, HPO, AutoML, event selection), offline metrics, stopping, deletes, bad input,
and a restart. The data is generated here: 80 users x 40 items in two clusters, 1600 rows, so
that it passes Personalize's minimums (1000 interactions, 25 users) while training in
milliseconds; the recipes are told to be cheap where they take it."""
import datetime
import json
import signal
import time

import pytest

from tailor_e2e import (METRIC_NAMES, RECIPE_PREFIX, Resources, assert_datetime,
                        expect_error, list_all, no_metadata, raw_target_request, unique_name,
                        wait_for, wait_gone, wait_solution_version, write_clustered_csv)
from test_awscli import aws, _wait_cli  # noqa: F401  (the CLI fixture, for the CLI flow)

# Cheap user-personalization: small factors and few iterations.
SMALL = {"hidden_dimension": "16", "iterations": "3"}

BUILTIN_RECIPES = ["aws-user-personalization", "aws-personalized-ranking", "aws-sims",
                   "aws-popularity-count", "aws-trending-now", "aws-item-affinity",
                   "aws-similar-items",
                   "aws-user-personalization-v2", "aws-personalized-ranking-v2"]


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data_csv(tmp_path_factory):
    return write_clustered_csv(tmp_path_factory.mktemp("training") / "clustered.csv")


def new_group(r, csv):
    """An ACTIVE dataset group whose Interactions dataset holds `csv`."""
    group_arn, _, ds_arn = r.interactions_dataset()
    r.import_and_wait(ds_arn, csv)
    return group_arn


@pytest.fixture(scope="module")
def mres(server, tmp_path_factory):
    r = Resources(server.client("personalize"), tmp_path_factory.mktemp("training-res"))
    yield r
    r.cleanup()


@pytest.fixture(scope="module")
def trained(mres, data_csv):
    """One group with an ACTIVE user-personalization and an ACTIVE popularity-count version,
    trained side by side."""
    pz = mres.pz
    group = new_group(mres, data_csv)
    up = mres.solution(group, "aws-user-personalization",
                       solutionConfig={"algorithmHyperParameters": SMALL})
    pop = mres.solution(group, "aws-popularity-count")
    up_v = mres.solution_version(up, wait=None, name="first-up")
    pop_v = mres.solution_version(pop, wait=None)
    return {
        "group": group,
        "up": up,
        "pop": pop,
        "up_version": wait_solution_version(pz, up_v)["solutionVersionArn"],
        "pop_version": wait_solution_version(pz, pop_v)["solutionVersionArn"],
    }


def assert_catalogue_date(value):
    """The built-in catalogue is dated 2018-11-28, the day Personalize was announced."""
    assert isinstance(value, datetime.datetime) and value.tzinfo is not None, value
    assert value == datetime.datetime(2018, 11, 28, tzinfo=datetime.timezone.utc), value


def check_metrics(metrics):
    assert set(metrics) == METRIC_NAMES, sorted(metrics)
    for name, value in metrics.items():
        assert isinstance(value, float), (name, value)
        assert 0.0 <= value <= 1.0, (name, value)


# --------------------------------------------------------------------------------------------
# The recipe catalogue
# --------------------------------------------------------------------------------------------
def test_list_recipes_has_the_builtin_recipes(pz):
    recipes = pz.list_recipes()["recipes"]
    by_name = {r["name"]: r for r in recipes}
    for name in BUILTIN_RECIPES:
        assert name in by_name, sorted(by_name)
        r = by_name[name]
        assert r["recipeArn"] == RECIPE_PREFIX + name
        assert r["status"] == "ACTIVE"
        assert_catalogue_date(r["creationDateTime"])
        assert_catalogue_date(r["lastUpdatedDateTime"])
        assert "domain" not in r
    assert pz.list_recipes(recipeProvider="SERVICE")["recipes"] == recipes
    # Tailor has no domain recipes.
    assert pz.list_recipes(domain="ECOMMERCE")["recipes"] == []

    items, pages = list_all(pz, "list_recipes", "recipes", page_size=3)
    assert len(pages) >= 3 and all(len(p) <= 3 for p in pages)
    assert [r["recipeArn"] for r in items] == [r["recipeArn"] for r in recipes]
    pag = pz.get_paginator("list_recipes").paginate(PaginationConfig={"PageSize": 4})
    assert [r["name"] for r in pag.build_full_result()["recipes"]] == [r["name"] for r in recipes]
    with expect_error(pz, "InvalidNextTokenException"):
        pz.list_recipes(nextToken="not-a-token")


@pytest.mark.parametrize("name,recipe_type", [
    ("aws-user-personalization", "USER_PERSONALIZATION"),
    ("aws-personalized-ranking", "PERSONALIZED_RANKING"),
    ("aws-sims", "RELATED_ITEMS"),
    ("aws-item-affinity", "USER_SEGMENTATION"),
])
def test_describe_recipe_and_its_algorithm(pz, name, recipe_type):
    recipe = pz.describe_recipe(recipeArn=RECIPE_PREFIX + name)["recipe"]
    assert recipe["name"] == name
    assert recipe["recipeArn"] == RECIPE_PREFIX + name
    assert recipe["recipeType"] == recipe_type
    assert recipe["status"] == "ACTIVE"
    assert len(recipe["description"]) > 20
    assert_catalogue_date(recipe["creationDateTime"])
    assert recipe["algorithmArn"].startswith("arn:aws:personalize:::algorithm/")

    algo = pz.describe_algorithm(algorithmArn=recipe["algorithmArn"])["algorithm"]
    assert algo["algorithmArn"] == recipe["algorithmArn"]
    assert algo["name"]
    assert algo["algorithmImage"]["dockerURI"]
    assert algo["trainingInputMode"] == "File"
    assert_catalogue_date(algo["creationDateTime"])
    defaults = algo["defaultHyperParameters"]
    assert defaults and all(isinstance(v, str) for v in defaults.values())
    ranges = algo["defaultHyperParameterRanges"]
    listed = 0
    for r in ranges.get("integerHyperParameterRanges", []):
        assert isinstance(r["minValue"], int) and r["minValue"] <= r["maxValue"], r
        assert isinstance(r["isTunable"], bool)
        if r["name"] in defaults:
            assert r["minValue"] <= int(defaults[r["name"]]) <= r["maxValue"], (r, defaults)
        listed += 1
    for r in ranges.get("continuousHyperParameterRanges", []):
        assert r["minValue"] <= r["maxValue"], r
        assert isinstance(r["isTunable"], bool)
        if r["name"] in defaults:
            assert r["minValue"] <= float(defaults[r["name"]]) <= r["maxValue"], (r, defaults)
        listed += 1
    for r in ranges.get("categoricalHyperParameterRanges", []):
        assert r["values"] and isinstance(r["isTunable"], bool)
        listed += 1
    assert listed > 0, algo

    if "featureTransformationArn" in recipe:
        ft = pz.describe_feature_transformation(
            featureTransformationArn=recipe["featureTransformationArn"])["featureTransformation"]
        assert ft["featureTransformationArn"] == recipe["featureTransformationArn"]
        assert ft["status"] == "ACTIVE"
        assert ft["defaultParameters"] and all(isinstance(v, str)
                                               for v in ft["defaultParameters"].values())


def test_describe_catalogue_unknown_arns(pz):
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_recipe(recipeArn=RECIPE_PREFIX + "aws-no-such-recipe")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_algorithm(algorithmArn="arn:aws:personalize:::algorithm/aws-no-such")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_feature_transformation(
            featureTransformationArn="arn:aws:personalize:::feature-transformation/none")
    with expect_error(pz, "InvalidInputException", "recipeArn"):
        pz.describe_recipe(recipeArn="not-an-arn")


# --------------------------------------------------------------------------------------------
# Training and metrics
# --------------------------------------------------------------------------------------------
def test_user_personalization_trains_to_active(pz, trained):
    sol = pz.describe_solution(solutionArn=trained["up"])["solution"]
    assert sol["solutionArn"] == trained["up"]
    assert sol["recipeArn"] == RECIPE_PREFIX + "aws-user-personalization"
    assert sol["datasetGroupArn"] == trained["group"]
    assert sol["status"] == "ACTIVE"
    assert sol["performHPO"] is False and sol["performAutoML"] is False
    assert sol["solutionConfig"] == {"algorithmHyperParameters": SMALL}
    assert "eventType" not in sol and "autoMLResult" not in sol
    assert_datetime(sol["creationDateTime"])
    latest = sol["latestSolutionVersion"]
    assert latest["solutionVersionArn"] == trained["up_version"]
    assert latest["status"] == "ACTIVE"
    assert latest["trainingMode"] == "FULL" and latest["trainingType"] == "MANUAL"

    v = pz.describe_solution_version(solutionVersionArn=trained["up_version"])["solutionVersion"]
    assert v["solutionVersionArn"].startswith(trained["up"] + "/")
    assert len(v["solutionVersionArn"].rsplit("/", 1)[1]) == 8
    assert v["name"] == "first-up"
    assert v["solutionArn"] == trained["up"]
    assert v["recipeArn"] == RECIPE_PREFIX + "aws-user-personalization"
    assert v["datasetGroupArn"] == trained["group"]
    assert v["status"] == "ACTIVE"
    assert v["performHPO"] is False and v["performAutoML"] is False
    assert v["trainingMode"] == "FULL" and v["trainingType"] == "MANUAL"
    assert 0 <= v["trainingHours"] < 0.1
    assert v["solutionConfig"] == {"algorithmHyperParameters": SMALL}
    assert "tunedHPOParams" not in v and "failureReason" not in v
    assert v["creationDateTime"] <= v["lastUpdatedDateTime"]

    resp = pz.get_solution_metrics(solutionVersionArn=trained["up_version"])
    assert resp["solutionVersionArn"] == trained["up_version"]
    check_metrics(resp["metrics"])
    assert resp["metrics"]["precision_at_5"] > 0


def test_user_personalization_beats_popularity_on_clustered_data(pz, trained):
    up = pz.get_solution_metrics(solutionVersionArn=trained["up_version"])["metrics"]
    pop = pz.get_solution_metrics(solutionVersionArn=trained["pop_version"])["metrics"]
    check_metrics(pop)
    # The same list for everyone cannot follow the two clusters.
    assert up["normalized_discounted_cumulative_gain_at_10"] > \
        pop["normalized_discounted_cumulative_gain_at_10"], (up, pop)
    assert up["precision_at_10"] >= pop["precision_at_10"], (up, pop)


def test_item_affinity_reports_segment_metrics(pz, mres, trained):
    """USER_SEGMENTATION versions report hit and recall of their segments (§5), and on the
    clustered data the segments find the users who go on to interact far better than chance."""
    sol = mres.solution(trained["group"], "aws-item-affinity",
                        solutionConfig={"algorithmHyperParameters": SMALL})
    version = wait_solution_version(pz, mres.solution_version(sol, wait=None))
    metrics = pz.get_solution_metrics(solutionVersionArn=version["solutionVersionArn"])["metrics"]
    assert set(metrics) == {"hit", "recall"}, metrics
    assert 0 <= metrics["recall"] <= metrics["hit"] <= 1, metrics
    assert metrics["hit"] > 0.2, metrics


def test_list_solutions_and_versions_paginate(pz, res, data_csv):
    group = new_group(res, data_csv)
    solutions = {res.solution(group, "aws-popularity-count") for _ in range(3)}
    listed, pages = list_all(pz, "list_solutions", "solutions", page_size=2,
                             datasetGroupArn=group)
    assert len(pages) == 2 and [len(p) for p in pages] == [2, 1]
    assert {s["solutionArn"] for s in listed} == solutions
    for s in listed:
        assert s["status"] == "ACTIVE"
        assert s["recipeArn"] == RECIPE_PREFIX + "aws-popularity-count"
        assert_datetime(s["creationDateTime"])
    assert solutions <= {s["solutionArn"] for s in list_all(pz, "list_solutions", "solutions")[0]}

    one = sorted(solutions)[0]
    versions = {res.solution_version(one)["solutionVersionArn"] for _ in range(3)}
    listed, pages = list_all(pz, "list_solution_versions", "solutionVersions", page_size=2,
                             solutionArn=one)
    assert [len(p) for p in pages] == [2, 1]
    assert {v["solutionVersionArn"] for v in listed} == versions
    for v in listed:
        assert v["status"] == "ACTIVE" and v["trainingMode"] == "FULL"
        assert v["trainingType"] == "MANUAL"
        assert_datetime(v["creationDateTime"])
    paginator = pz.get_paginator("list_solution_versions")
    full = paginator.paginate(solutionArn=one, PaginationConfig={"PageSize": 1}).build_full_result()
    assert {v["solutionVersionArn"] for v in full["solutionVersions"]} == versions
    # The solution shows its newest version.
    latest = pz.describe_solution(solutionArn=one)["solution"]["latestSolutionVersion"]
    assert latest["solutionVersionArn"] in versions

    with expect_error(pz, "InvalidNextTokenException"):
        pz.list_solutions(datasetGroupArn=group, nextToken="bogus")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.list_solutions(datasetGroupArn=group + "-gone")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.list_solution_versions(solutionArn=one + "-gone")


def test_hpo_tunes_inside_the_ranges(pz, res, data_csv):
    group = new_group(res, data_csv)
    hpo = {
        "hpoObjective": {"type": "Maximize",
                         "metricName": "normalized_discounted_cumulative_gain_at_10"},
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "3", "maxParallelTrainingJobs": "2"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "factors", "minValue": 16,
                                             "maxValue": 32}],
            "continuousHyperParameterRanges": [{"name": "regularization", "minValue": 1.0,
                                                "maxValue": 10.0}],
            "categoricalHyperParameterRanges": [{"name": "sequence_forward_only",
                                                 "values": ["true", "false"]}],
        },
    }
    config = {"algorithmHyperParameters": {"iterations": "3"}, "hpoConfig": hpo}
    sol = res.solution(group, "aws-user-personalization", performHPO=True, solutionConfig=config)
    described = pz.describe_solution(solutionArn=sol)["solution"]
    assert described["performHPO"] is True
    assert described["solutionConfig"] == config

    v = res.solution_version(sol)
    assert v["performHPO"] is True
    assert v["solutionConfig"] == config
    tuned = v["tunedHPOParams"]["algorithmHyperParameters"]
    assert 16 <= int(tuned["factors"]) <= 32, tuned
    assert 1.0 <= float(tuned["regularization"]) <= 10.0, tuned
    assert tuned["sequence_forward_only"] in ("true", "false"), tuned
    assert tuned["iterations"] == "3", tuned
    check_metrics(pz.get_solution_metrics(solutionVersionArn=v["solutionVersionArn"])["metrics"])


def test_auto_ml_picks_a_recipe_from_the_list(pz, res, data_csv):
    group = new_group(res, data_csv)
    candidates = [RECIPE_PREFIX + "aws-user-personalization", RECIPE_PREFIX + "tailor-ials"]
    config = {"autoMLConfig": {"metricName": "precision_at_25", "recipeList": candidates},
              "hpoConfig": {"hpoResourceConfig": {"maxNumberOfTrainingJobs": "2"}},
              "algorithmHyperParameters": {"iterations": "3"}}
    sol = res.solution(group, None, performAutoML=True, solutionConfig=config)
    described = pz.describe_solution(solutionArn=sol)["solution"]
    assert described["performAutoML"] is True
    assert "recipeArn" not in described and "autoMLResult" not in described
    assert described["solutionConfig"]["autoMLConfig"] == config["autoMLConfig"]

    v = res.solution_version(sol)
    assert v["performAutoML"] is True
    assert v["recipeArn"] in candidates, v
    assert "algorithmHyperParameters" in v["tunedHPOParams"]
    described = pz.describe_solution(solutionArn=sol)["solution"]
    assert described["autoMLResult"] == {"bestRecipeArn": v["recipeArn"]}
    check_metrics(pz.get_solution_metrics(solutionVersionArn=v["solutionVersionArn"])["metrics"])

    with expect_error(pz, "InvalidInputException", "recipeArn", "performAutoML"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group, performAutoML=True,
                           recipeArn=RECIPE_PREFIX + "aws-user-personalization")
    with expect_error(pz, "InvalidInputException", "recipeList", "aws-sims"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group, performAutoML=True,
                           solutionConfig={"autoMLConfig": {
                               "recipeList": [RECIPE_PREFIX + "aws-sims"]}})


def test_event_type_and_event_value_threshold_select_the_events(pz, res, data_csv):
    """1600 rows: about 1200 clicks and 400 purchases, EVENT_VALUE uniform in [0, 5)."""
    group = new_group(res, data_csv)
    cheap = {"algorithmHyperParameters": SMALL}
    cases = {
        "clicks": dict(eventType="click", solutionConfig=cheap),
        "threshold": dict(solutionConfig={**cheap, "eventValueThreshold": "0.5"}),
        "no_such_type": dict(eventType="no-such-event", solutionConfig=cheap),
        "too_few_purchases": dict(eventType="purchase", solutionConfig=cheap),
        "threshold_too_high": dict(solutionConfig={**cheap, "eventValueThreshold": "4.5"}),
        # eventsConfig: only the listed types train, each with its threshold and weight.
        "events_config": dict(solutionConfig={**cheap, "eventsConfig": {"eventParametersList": [
            {"eventType": "click", "weight": 0.5},
            {"eventType": "purchase", "eventValueThreshold": 2.0, "weight": 1.0}]}}),
        "events_config_purchases_only": dict(solutionConfig={
            **cheap, "eventsConfig": {"eventParametersList": [{"eventType": "purchase"}]}}),
        "events_config_unknown_type": dict(solutionConfig={
            **cheap, "eventsConfig": {"eventParametersList": [{"eventType": "nope"}]}}),
    }
    versions = {}
    for key, kwargs in cases.items():
        sol = res.solution(group, "aws-user-personalization", **kwargs)
        versions[key] = res.solution_version(sol, wait=None)
    done = {k: wait_solution_version(pz, arn, "done") for k, arn in versions.items()}

    assert done["clicks"]["status"] == "ACTIVE", done["clicks"]
    assert done["clicks"]["eventType"] == "click"
    assert done["threshold"]["status"] == "ACTIVE", done["threshold"]
    assert done["threshold"]["solutionConfig"]["eventValueThreshold"] == "0.5"
    for key in ("no_such_type", "too_few_purchases", "threshold_too_high"):
        assert done[key]["status"] == "CREATE FAILED", done[key]
        assert "metrics" not in done[key]
    assert "no-such-event" in done["no_such_type"]["failureReason"]
    assert done["events_config"]["status"] == "ACTIVE", done["events_config"]
    assert done["events_config"]["solutionConfig"]["eventsConfig"] == {"eventParametersList": [
        {"eventType": "click", "weight": 0.5},
        {"eventType": "purchase", "eventValueThreshold": 2.0, "weight": 1.0}]}
    # eventsConfig adds the event-weighted NDCG; a solution without it has none.
    weighted = pz.get_solution_metrics(solutionVersionArn=versions["events_config"])["metrics"]
    plain = pz.get_solution_metrics(solutionVersionArn=versions["clicks"])["metrics"]
    for k in (5, 10, 25):
        name = f"normalized_discounted_cumulative_gain_with_event_weights_at_{k}"
        assert 0.0 <= weighted[name] <= 1.0, weighted
        assert name not in plain, plain
    assert weighted["normalized_discounted_cumulative_gain_with_event_weights_at_25"] > 0, weighted
    for key in ("events_config_purchases_only", "events_config_unknown_type"):
        assert done[key]["status"] == "CREATE FAILED", done[key]
    assert "'nope'" in done["events_config_unknown_type"]["failureReason"]
    for key in ("too_few_purchases", "threshold_too_high", "events_config_purchases_only"):
        reason = done[key]["failureReason"]
        assert "not enough interactions" in reason and "1000" in reason, reason
    with expect_error(pz, "ResourceInUseException", "ACTIVE"):
        pz.get_solution_metrics(solutionVersionArn=versions["too_few_purchases"])
    with expect_error(pz, "ResourceInUseException"):
        pz.stop_solution_version_creation(solutionVersionArn=versions["no_such_type"])

    with expect_error(pz, "InvalidInputException", "eventValueThreshold"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                           recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                           solutionConfig={"eventValueThreshold": "lots"})
    with expect_error(pz, "InvalidInputException", "eventParametersList[1].eventType", "twice"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                           recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                           solutionConfig={"eventsConfig": {"eventParametersList": [
                               {"eventType": "click"}, {"eventType": "click"}]}})
    with expect_error(pz, "InvalidInputException", "optimizationObjective"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                           recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                           solutionConfig={"optimizationObjective": {
                               "itemAttribute": "PRICE", "objectiveSensitivity": "HIGH"}})
    off = pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                             recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                             solutionConfig={"optimizationObjective": {
                                 "itemAttribute": "PRICE", "objectiveSensitivity": "OFF"}})
    res.solutions.append(off["solutionArn"])
    wait_for(lambda: pz.describe_solution(solutionArn=off["solutionArn"]), "solution")
    with expect_error(pz, "InvalidInputException", "weight"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                           recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                           solutionConfig={"eventsConfig": {"eventParametersList": [
                               {"eventType": "click", "weight": 1.5}]}})
    # The event-weighted NDCG is an HPO objective only where eventsConfig defines the weights.
    weighted_objective = {"hpoObjective": {
        "type": "Maximize",
        "metricName": "normalized_discounted_cumulative_gain_with_event_weights_at_10"}}
    with expect_error(pz, "InvalidInputException",
                      "normalized_discounted_cumulative_gain_with_event_weights_at_10"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group, performHPO=True,
                           recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                           solutionConfig={"hpoConfig": weighted_objective})
    res.solutions.append(pz.create_solution(
        name=unique_name("sol"), datasetGroupArn=group, performHPO=True,
        recipeArn=RECIPE_PREFIX + "aws-user-personalization",
        solutionConfig={"hpoConfig": weighted_objective, "eventsConfig": {
            "eventParametersList": [{"eventType": "click", "weight": 0.5}]}})["solutionArn"])


def test_training_data_config_is_checked_kept_and_honoured(pz, res, data_csv):
    """trainingDataConfig names columns of the group's datasets; leaving out a column that the
    solution's event selection needs is refused rather than silently ignored."""
    group = new_group(res, data_csv)
    excluded = {"excludedDatasetColumns": {"INTERACTIONS": ["EVENT_VALUE"]}}
    sol = res.solution(group, "aws-user-personalization", solutionConfig={
        "algorithmHyperParameters": SMALL, "trainingDataConfig": excluded})
    assert pz.describe_solution(solutionArn=sol)["solution"]["solutionConfig"][
        "trainingDataConfig"] == excluded
    v = res.solution_version(sol)
    assert v["solutionConfig"]["trainingDataConfig"] == excluded
    included = {"includedDatasetColumns": {"Interactions": ["EVENT_TYPE"]}}
    sol = res.solution(group, "aws-user-personalization", eventType="click",
                       solutionConfig={"trainingDataConfig": included})
    assert pz.describe_solution(solutionArn=sol)["solution"]["solutionConfig"][
        "trainingDataConfig"] == included

    def create(config, **kwargs):
        return pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                                  recipeArn=RECIPE_PREFIX + "aws-user-personalization",
                                  solutionConfig={"trainingDataConfig": config, **kwargs})
    with expect_error(pz, "InvalidInputException", "EVENT_VALUE", "eventValueThreshold"):
        create(excluded, eventValueThreshold="1.0")
    with expect_error(pz, "InvalidInputException", "EVENT_TYPE", "eventsConfig"):
        create({"includedDatasetColumns": {"INTERACTIONS": ["EVENT_VALUE"]}},
               eventsConfig={"eventParametersList": [{"eventType": "click"}]})
    with expect_error(pz, "InvalidInputException", "excludedDatasetColumns.ITEMS", "no ITEMS"):
        create({"excludedDatasetColumns": {"ITEMS": ["GENRES"]}})
    with expect_error(pz, "InvalidInputException", "'RATING'", "not a field"):
        create({"excludedDatasetColumns": {"INTERACTIONS": ["RATING"]}})
    with expect_error(pz, "InvalidInputException", "USER_ID", "required"):
        create({"excludedDatasetColumns": {"INTERACTIONS": ["USER_ID"]}})
    with expect_error(pz, "InvalidInputException", "not both"):
        create({"excludedDatasetColumns": {"INTERACTIONS": ["EVENT_VALUE"]},
                "includedDatasetColumns": {"INTERACTIONS": ["EVENT_TYPE"]}})
    with expect_error(pz, "InvalidInputException", "excludedDatasetColumns"):
        create({"excludedDatasetColumns": {k: ["EVENT_VALUE"] for k in "ABCD"}})


def test_too_few_users_fail_the_training(pz, res, tmp_path):
    """Personalize's minimum of 25 users with at least 2 interactions each. (An import itself
    needs 1000 rows, so the minimum of 1000 interactions after event selection is shown by
    test_event_type_and_event_value_threshold_select_the_events.)"""
    few_users = write_clustered_csv(tmp_path / "few.csv", users=20, items=120,
                                    per_user=55)  # 1100 rows
    group_arn, _, ds_arn = res.interactions_dataset()
    res.import_and_wait(ds_arn, few_users)
    sol = res.solution(group_arn, "aws-popularity-count")
    v = res.solution_version(sol, wait="CREATE FAILED")
    assert "fewer than 25 users" in v["failureReason"], v["failureReason"]


def test_bad_hyper_parameters_fail_the_training_naming_them(pz, res, data_csv):
    group = new_group(res, data_csv)
    cases = {
        "hidden_dimension": {"hidden_dimension": "abc", "iterations": "3"},
        "factors": {"factors": "100000", "iterations": "3"},
        "hiden_dimension": {"hiden_dimension": "16", "iterations": "3"},
    }
    versions = {}
    for name, params in cases.items():
        sol = res.solution(group, "aws-user-personalization",
                           solutionConfig={"algorithmHyperParameters": params})
        versions[name] = res.solution_version(sol, wait=None)
    for name, arn in versions.items():
        v = wait_solution_version(pz, arn, "CREATE FAILED")
        assert name in v["failureReason"], v["failureReason"]


def test_create_solution_bad_input(pz, res, data_csv):
    group = new_group(res, data_csv)
    up = RECIPE_PREFIX + "aws-user-personalization"

    def create(**kwargs):
        args = {"name": unique_name("sol"), "datasetGroupArn": group, "recipeArn": up}
        args.update(kwargs)
        args = {k: v for k, v in args.items() if v is not None}
        return pz.create_solution(**args)

    with expect_error(pz, "InvalidInputException", "recipeArn", "aws-no-such-recipe"):
        create(recipeArn=RECIPE_PREFIX + "aws-no-such-recipe")
    with expect_error(pz, "InvalidInputException", "recipeArn"):
        create(recipeArn="arn:aws:personalize:us-east-1:000000000000:recipe/aws-sims")
    with expect_error(pz, "InvalidInputException", "recipeArn", "required"):
        create(recipeArn=None)
    with expect_error(pz, "ResourceNotFoundException"):
        create(datasetGroupArn=group + "-never")
    with expect_error(pz, "InvalidInputException", "name"):
        create(name="not a name")

    def hpo(ranges=None, resources=None):
        config = {"algorithmHyperParameterRanges": ranges or {}}
        if resources:
            config["hpoResourceConfig"] = resources
        return {"hpoConfig": config}

    empty = {"integerHyperParameterRanges": [{"name": "factors", "minValue": 64,
                                              "maxValue": 32}]}
    with expect_error(pz, "InvalidInputException", "algorithmHyperParameterRanges", "factors",
                      "empty"):
        create(performHPO=True, solutionConfig=hpo(empty))
    empty = {"continuousHyperParameterRanges": [{"name": "regularization", "minValue": 5.0,
                                                 "maxValue": 1.0}]}
    with expect_error(pz, "InvalidInputException", "regularization", "empty"):
        create(performHPO=True, solutionConfig=hpo(empty))
    with expect_error(pz, "InvalidInputException", "sequence_forward_only", "no values"):
        create(performHPO=True, solutionConfig=hpo({"categoricalHyperParameterRanges": [
            {"name": "sequence_forward_only", "values": []}]}))
    outside = {"integerHyperParameterRanges": [{"name": "factors", "minValue": 1,
                                                "maxValue": 100000}]}
    with expect_error(pz, "InvalidInputException", "factors", "outside"):
        create(performHPO=True, solutionConfig=hpo(outside))
    unknown = {"integerHyperParameterRanges": [{"name": "no_such_param", "minValue": 1,
                                                "maxValue": 2}]}
    with expect_error(pz, "InvalidInputException", "no_such_param"):
        create(performHPO=True, solutionConfig=hpo(unknown))
    for jobs in ("abc", "41", "0", "-3"):
        with expect_error(pz, "InvalidInputException",
                          "hpoResourceConfig.maxNumberOfTrainingJobs"):
            create(performHPO=True, solutionConfig=hpo(resources={"maxNumberOfTrainingJobs": jobs}))
    with expect_error(pz, "InvalidInputException", "maxParallelTrainingJobs"):
        create(performHPO=True, solutionConfig=hpo(resources={"maxParallelTrainingJobs": "11"}))
    with expect_error(pz, "InvalidInputException", "no_such_metric"):
        create(performHPO=True, solutionConfig={"hpoConfig": {
            "hpoObjective": {"metricName": "no_such_metric"}}})
    # A recipe with nothing to tune: HPO would train the same model again and again.
    for recipe in ("aws-popularity-count", "aws-trending-now"):
        with expect_error(pz, "InvalidInputException", "performHPO", recipe, "none"):
            create(performHPO=True, recipeArn=RECIPE_PREFIX + recipe)

    # Nothing was created by the failed calls.
    assert pz.list_solutions(datasetGroupArn=group)["solutions"] == []

    name = unique_name("dup")
    res.solutions.append(create(name=name)["solutionArn"])
    with expect_error(pz, "ResourceAlreadyExistsException", name):
        create(name=name)


def test_group_without_interactions_dataset(pz, res):
    group = res.dataset_group()
    with expect_error(pz, "InvalidInputException", "Interactions"):
        pz.create_solution(name=unique_name("sol"), datasetGroupArn=group,
                           recipeArn=RECIPE_PREFIX + "aws-popularity-count")


def test_wrong_member_types_name_the_member(server):
    """botocore checks types on the client, so these go over raw HTTP."""
    group = "arn:aws:personalize:us-east-1:000000000000:dataset-group/whatever"
    base = {"name": "typed", "datasetGroupArn": group,
            "recipeArn": RECIPE_PREFIX + "aws-user-personalization"}
    ranges = "solutionConfig.hpoConfig.algorithmHyperParameterRanges."
    cases = [
        ({"solutionConfig": {"algorithmHyperParameters": {"hidden_dimension": 16}}},
         "solutionConfig.algorithmHyperParameters.hidden_dimension must be a string."),
        ({"solutionConfig": {"featureTransformationParameters": ["x"]}},
         "solutionConfig.featureTransformationParameters must be a map of strings to strings."),
        ({"solutionConfig": {"hpoConfig": {"hpoResourceConfig": {"maxNumberOfTrainingJobs": 3}}}},
         "solutionConfig.hpoConfig.hpoResourceConfig.maxNumberOfTrainingJobs must be a string "
         "holding an integer from 1 to 40."),
        ({"solutionConfig": {"hpoConfig": {"algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "factors", "minValue": 16, "maxValue": 32},
                                            {"name": "x", "minValue": "1", "maxValue": 2}]}}}},
         ranges + "integerHyperParameterRanges[1].minValue must be an integer."),
        ({"solutionConfig": {"hpoConfig": {"algorithmHyperParameterRanges": {
            "continuousHyperParameterRanges": [{"name": "alpha", "minValue": 1}]}}}},
         ranges + "continuousHyperParameterRanges[0].maxValue is required."),
        ({"solutionConfig": {"hpoConfig": {"algorithmHyperParameterRanges": {
            "categoricalHyperParameterRanges": [{"name": "a", "values": [1]}]}}}},
         ranges + "categoricalHyperParameterRanges[0].values must be a list of strings."),
        ({"solutionConfig": {"eventValueThreshold": 0.5}},
         "solutionConfig.eventValueThreshold must be a string."),
        ({"solutionConfig": {"autoMLConfig": {"recipeList": "aws-sims"}}},
         "solutionConfig.autoMLConfig.recipeList must be a list of strings."),
        ({"performHPO": "yes"}, "performHPO must be true or false."),
        ({"solutionConfig": "none"}, "solutionConfig must be an object."),
    ]
    for extra, message in cases:
        status, headers, body = raw_target_request(
            server.url, "AmazonPersonalize.CreateSolution", json.dumps({**base, **extra}))
        answer = json.loads(body)
        assert status == 400, (extra, status, answer)
        assert answer["__type"] == "InvalidInputException", (extra, answer)
        assert answer["message"] == message, (extra, answer)


def test_solution_version_errors(pz, trained):
    with expect_error(pz, "ResourceNotFoundException"):
        pz.create_solution_version(solutionArn=trained["up"] + "-never")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_solution_version(solutionVersionArn=trained["up"] + "/00000000")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.get_solution_metrics(solutionVersionArn=trained["up"] + "/00000000")
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_solution(solutionArn=trained["up"] + "-never")
    with expect_error(pz, "InvalidInputException", "UPDATE"):
        pz.create_solution_version(solutionArn=trained["pop"], trainingMode="UPDATE")
    with expect_error(pz, "ResourceInUseException"):
        pz.stop_solution_version_creation(solutionVersionArn=trained["up_version"])


# --------------------------------------------------------------------------------------------
# Stopping and deleting
# --------------------------------------------------------------------------------------------
def test_stop_and_delete_while_training(server_factory, tmp_path, data_csv):
    """With a transition delay every version waits in CREATE PENDING before it trains, which
    makes stopping it and deleting its solution deterministic."""
    srv = server_factory(extra_args=["--transition-delay-ms", "600"])
    pz = srv.client()
    r = Resources(pz, tmp_path)
    group = new_group(r, data_csv)
    sol = r.solution(group, "aws-popularity-count")

    stopped = r.solution_version(sol, wait=None)
    pz.stop_solution_version_creation(solutionVersionArn=stopped)
    v = pz.describe_solution_version(solutionVersionArn=stopped)["solutionVersion"]
    assert v["status"] == "CREATE STOPPED", v
    with expect_error(pz, "ResourceInUseException"):
        pz.stop_solution_version_creation(solutionVersionArn=stopped)
    with expect_error(pz, "ResourceInUseException"):
        pz.get_solution_metrics(solutionVersionArn=stopped)

    training = r.solution_version(sol, wait=None)
    with expect_error(pz, "ResourceInUseException", "training"):
        pz.delete_solution(solutionArn=sol)
    with expect_error(pz, "ResourceInUseException"):
        pz.get_solution_metrics(solutionVersionArn=training)
    done = wait_solution_version(pz, training)
    # The stopped version stays stopped: it is never resumed.
    assert pz.describe_solution_version(
        solutionVersionArn=stopped)["solutionVersion"]["status"] == "CREATE STOPPED"
    statuses = {x["solutionVersionArn"]: x["status"]
                for x in pz.list_solution_versions(solutionArn=sol)["solutionVersions"]}
    assert statuses == {stopped: "CREATE STOPPED", training: "ACTIVE"}
    check_metrics(pz.get_solution_metrics(solutionVersionArn=done["solutionVersionArn"])[
        "metrics"])

    with expect_error(pz, "ResourceInUseException", "solution"):
        pz.delete_dataset_group(datasetGroupArn=group)
    pz.delete_solution(solutionArn=sol)
    assert pz.describe_solution(solutionArn=sol)["solution"]["status"] in (
        "DELETE PENDING", "DELETE IN_PROGRESS")
    wait_gone(lambda: pz.describe_solution(solutionArn=sol))
    with expect_error(pz, "ResourceNotFoundException"):
        pz.describe_solution_version(solutionVersionArn=training)
    with expect_error(pz, "ResourceNotFoundException"):
        pz.delete_solution(solutionArn=sol)
    r.cleanup()
    wait_gone(lambda: pz.describe_dataset_group(datasetGroupArn=group))


def test_delete_group_with_solutions_is_refused(pz, res, data_csv):
    group = new_group(res, data_csv)
    sol = res.solution(group, "aws-popularity-count")
    with expect_error(pz, "ResourceInUseException", "1 solution"):
        pz.delete_dataset_group(datasetGroupArn=group)
    pz.delete_solution(solutionArn=sol)
    wait_gone(lambda: pz.describe_solution(solutionArn=sol))
    assert sol not in {s["solutionArn"]
                       for s in pz.list_solutions(datasetGroupArn=group)["solutions"]}
    # Only the dataset is left in the way now.
    with expect_error(pz, "ResourceInUseException", "dataset"):
        pz.delete_dataset_group(datasetGroupArn=group)


# --------------------------------------------------------------------------------------------
# Restart
# --------------------------------------------------------------------------------------------
def test_active_versions_survive_a_restart(server_factory, tmp_path, data_csv):
    srv = server_factory()
    pz = srv.client()
    r = Resources(pz, tmp_path)
    group = new_group(r, data_csv)
    sol = r.solution(group, "aws-user-personalization",
                     solutionConfig={"algorithmHyperParameters": SMALL})
    ok = r.solution_version(sol)["solutionVersionArn"]
    failed_sol = r.solution(group, "aws-popularity-count", eventType="no-such-event")
    failed = r.solution_version(failed_sol, wait="CREATE FAILED")["solutionVersionArn"]

    def snapshot():
        return {
            "solution": pz.describe_solution(solutionArn=sol)["solution"],
            "versions": [pz.describe_solution_version(solutionVersionArn=v)["solutionVersion"]
                         for v in (ok, failed)],
            "metrics": no_metadata(pz.get_solution_metrics(solutionVersionArn=ok)),
            "listed": pz.list_solutions(datasetGroupArn=group)["solutions"],
        }

    before = snapshot()
    assert srv.stop(signal.SIGTERM) == 0
    srv.start()
    pz = srv.client()
    r.pz = pz
    after = snapshot()
    assert after == before
    assert after["versions"][0]["status"] == "ACTIVE"
    assert after["versions"][1]["status"] == "CREATE FAILED"
    check_metrics(after["metrics"]["metrics"])
    # Training still works after the restart.
    again = r.solution_version(sol)
    assert again["status"] == "ACTIVE"
    r.cleanup()
    assert srv.stop(signal.SIGTERM) == 0


# --------------------------------------------------------------------------------------------
# The AWS CLI
# --------------------------------------------------------------------------------------------
def test_training_flow_through_the_aws_cli(aws, trained):  # noqa: F811
    recipes = aws("list-recipes")["recipes"]
    assert RECIPE_PREFIX + "aws-sims" in [x["recipeArn"] for x in recipes]
    recipe = aws("describe-recipe", "--recipe-arn", RECIPE_PREFIX + "aws-user-personalization")
    algo_arn = recipe["recipe"]["algorithmArn"]
    assert aws("describe-algorithm", "--algorithm-arn", algo_arn)["algorithm"][
        "defaultHyperParameters"]

    name = unique_name("cli-sol")
    sol = aws("create-solution", "--name", name, "--dataset-group-arn", trained["group"],
              "--recipe-arn", RECIPE_PREFIX + "aws-user-personalization",
              "--solution-config", json.dumps({"algorithmHyperParameters": SMALL}))["solutionArn"]
    try:
        described = _wait_cli(aws, ["describe-solution", "--solution-arn", sol], "solution")
        assert described["solutionConfig"]["algorithmHyperParameters"] == SMALL
        ver = aws("create-solution-version", "--solution-arn", sol)["solutionVersionArn"]
        v = _wait_cli(aws, ["describe-solution-version", "--solution-version-arn", ver],
                      "solutionVersion")
        assert v["recipeArn"] == RECIPE_PREFIX + "aws-user-personalization"
        metrics = aws("get-solution-metrics", "--solution-version-arn", ver)
        assert metrics["solutionVersionArn"] == ver
        check_metrics(metrics["metrics"])
        listed = aws("list-solutions", "--dataset-group-arn", trained["group"],
                     "--page-size", "1")["solutions"]
        assert sol in [x["solutionArn"] for x in listed]
        versions = aws("list-solution-versions", "--solution-arn", sol)["solutionVersions"]
        assert [x["solutionVersionArn"] for x in versions] == [ver]
        proc = aws("create-solution", "--name", unique_name("cli-bad"), "--dataset-group-arn",
                   trained["group"], "--recipe-arn", RECIPE_PREFIX + "aws-nope", expect_ok=False)
        assert proc.returncode != 0 and "InvalidInputException" in proc.stderr, proc.stderr
    finally:
        aws("delete-solution", "--solution-arn", sol)
    deadline = time.monotonic() + 30
    while aws("describe-solution", "--solution-arn", sol, expect_ok=False).returncode == 0:
        assert time.monotonic() < deadline, "solution never went away"
        time.sleep(0.2)
