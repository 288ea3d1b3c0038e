"""The annotation loop: tasks out to Prodigy and Label Studio, answers back in, retraining on them.

The answer files are written here from each tool's documented export format (Prodigy's
``db-out`` JSONL, Label Studio's JSON export) with the changes an annotator would make;
a test with a real Label Studio (skipped when it is not installed) checks the latter
against the tool itself.
"""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import artifacts
from pipeline.annotation import label_studio, prodigy
from pipeline.annotation.answers import assemble
from pipeline.annotation.export import letter_tasks, write_export
from pipeline.annotation.imports import import_answers
from pipeline.annotation.select import closeness, item_uncertainty, select_letters
from pipeline.annotation.tasks import ItemRef, ItemTask, LetterTask
from pipeline.annotation.user_sets import load_user_sets
from pipeline.cli import app
from pipeline.corpus.standoff import StandoffRecord, text_hash
from pipeline.taxonomy import load_taxonomy
from pipeline.training import run

from test_training import CONFIG

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
runner = CliRunner()


# Selection -----------------------------------------------------------------------------------

def test_closeness_is_one_at_the_threshold_and_zero_at_certainty():
    assert closeness(0.3, 0.3) == 1.0
    assert closeness(0.0, 0.3) == 0.0 and closeness(1.0, 0.3) == 0.0
    assert closeness(0.25, 0.3) > closeness(0.1, 0.3)
    # the same distance counts for more on the narrow side of the threshold
    assert closeness(0.8, 0.7) < closeness(0.6, 0.7)


def _item(scores, predicted, rules):
    return ItemTask(ItemRef(0, "x", "upheld"), predicted, scores, rules)


def test_uncertainty_adds_rule_disagreement_and_reader_flags():
    thresholds = {"a": 0.5, "b": 0.5}
    sure = _item({"a": 0.99, "b": 0.01}, ["a"], ["a"])
    unsure = _item({"a": 0.52, "b": 0.01}, ["a"], ["a"])
    disputed = _item({"a": 0.99, "b": 0.01}, ["a"], ["b"])
    score = {name: item_uncertainty(item, thresholds)[0] for name, item in
             (("sure", sure), ("unsure", unsure), ("disputed", disputed))}
    assert score["sure"] < score["unsure"] and score["sure"] < score["disputed"]
    flagged, why = item_uncertainty(sure, thresholds, flagged=["no rationale read"])
    assert flagged > score["sure"] and "reader: no rationale read" in why
    assert any("rules disagree on a, b" in w for w in item_uncertainty(disputed, thresholds)[1])


def _letter(letter_id, uncertainty):
    return LetterTask(letter_id, "text", [], [], [], uncertainty=uncertainty)


def test_selection_orders_by_uncertainty_and_samples_reproducibly():
    tasks = [_letter(f"L{i}", u) for i, u in enumerate([0.2, 0.9, 0.5, 0.1, 0.7])]
    assert [t.id for t in select_letters(tasks, "uncertain", 3)] == ["L1", "L4", "L2"]
    first = [t.id for t in select_letters(tasks, "random", 3, seed=5)]
    assert first == [t.id for t in select_letters(list(reversed(tasks)), "random", 3, seed=5)]  # input order irrelevant
    draws = {tuple(t.id for t in select_letters(tasks, "random", 3, seed=s)) for s in range(10)}
    assert len(draws) > 1
    assert [t.id for t in select_letters(tasks, "all")] == [t.id for t in tasks]
    with pytest.raises(ValueError):
        select_letters(tasks, "newest")


# Export ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scored_tasks():
    tasks, models = letter_tasks([str(EXAMPLES)])
    return tasks, models


@pytest.fixture(scope="module")
def exported(scored_tasks, tmp_path_factory):
    tasks, models = scored_tasks
    out = {}
    for tool in ("prodigy", "label-studio"):
        folder = tmp_path_factory.mktemp(tool)
        write_export(tasks, tool, folder, models=models, selection={"strategy": "all"})
        out[tool] = folder
    return out


def test_tasks_carry_letter_item_and_text_hash(scored_tasks, exported):
    tasks, _ = scored_tasks
    assert len(tasks) == 6 and sum(len(t.upheld) for t in tasks) >= 6
    lines = [json.loads(l) for l in (exported["prodigy"] / "reasons.jsonl").read_text().splitlines()]
    assert len(lines) == sum(len(t.upheld) for t in tasks)
    reasons = load_taxonomy().reason_ids
    for task in lines:
        imr = task["imr"]
        assert imr["text_sha256"] == text_hash(task["text"]) and imr["kind"] == "reasons"
        item = imr["items"][imr["item"]]
        assert item["decision"] == "upheld"
        (span,) = task["spans"]  # the rationale, highlighted
        assert span["label"] == "RATIONALE" and [span["start"], span["end"]] == item["rationale_range"]
        assert [o["id"] for o in task["options"]] == reasons and set(task["accept"]) <= set(reasons)
    manifest = json.loads((exported["prodigy"] / "manifest.json").read_text())
    assert {l["id"] for l in manifest["letters"]} == {t.id for t in tasks}


def test_prodigy_entity_tasks_hold_tokens_that_tile_the_spans(exported):
    for task in map(json.loads, (exported["prodigy"] / "entities.jsonl").read_text().splitlines()):
        tokens = task["tokens"]
        assert all(t["text"] == task["text"][t["start"]:t["end"]] for t in tokens)
        for span in task["spans"]:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
            assert span["label"] in prodigy.entity_labels(load_taxonomy().entity_labels)


def test_label_studio_config_matches_the_tasks(exported):
    root = ET.fromstring((exported["label-studio"] / "config.xml").read_text())
    controls = {el.get("name"): el for el in root.iter() if el.get("toName") == "text"}
    labels = [l.get("value") for l in controls["label"].iter("Label")]
    assert labels == load_taxonomy().entity_labels + ["RATIONALE"]
    assert [c.get("value") for c in controls["reasons"].iter("Choice")] == load_taxonomy().reason_ids
    tasks = json.loads((exported["label-studio"] / "tasks.json").read_text())
    for task in tasks:
        for result in task["predictions"][0]["result"]:
            assert result["from_name"] in controls and result["to_name"] == "text"
            value = result["value"]
            assert value["text"] == task["data"]["text"][value["start"]:value["end"]]
            if result["type"] == "labels":
                assert set(value["labels"]) <= set(labels)
            else:
                allowed = [c.get("value") for c in controls[result["from_name"]].iter("Choice")]
                assert set(value["choices"]) <= set(allowed)


# Answer files in each tool's export format ---------------------------------------------------

def _other_reason(current):
    reasons = load_taxonomy().reason_ids
    return [r for r in reasons if r not in current][:1] + current[:1]


def prodigy_answers(folder: Path, annotator="alice") -> list[dict]:
    """``prodigy db-out`` lines: each task with ``answer``, session ids and hashes; the first item's reasons and
    the first letter's spans changed as an annotator would."""
    out = []
    for number, name in enumerate(("reasons.jsonl", "entities.jsonl")):
        for n, task in enumerate(map(json.loads, (folder / name).read_text().splitlines())):
            answer = copy.deepcopy(task)
            if name == "reasons.jsonl" and n == 0:
                answer["accept"] = _other_reason(answer["accept"])
            if name == "entities.jsonl" and n == 0:
                dropped = answer["spans"].pop()
                answer["spans"].append(dict(dropped, label=dropped["label"].split("-")[0] + "-NEGATED")
                                       if dropped["label"] != "GUIDELINE" else dropped)
            answer.update({"answer": "accept", "_input_hash": hash(task["text"]) % 10 ** 9,
                           "_task_hash": (number * 1000 + n), "_view_id": "choice" if number == 0 else "ner_manual",
                           "_session_id": f"imr_{annotator}", "_annotator_id": f"imr-{annotator}",
                           "_timestamp": 1764662400 + n})
            out.append(answer)
    return out


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def label_studio_export(folder: Path) -> list[dict]:
    """Label Studio's JSON export: each task with ``id`` and one annotation whose result is the prediction's, the first
    RATIONALE region's reasons changed."""
    tasks = json.loads((folder / "tasks.json").read_text())
    out = []
    changed = False
    for n, task in enumerate(tasks, 1):
        result = copy.deepcopy(task["predictions"][0]["result"])
        if not changed:
            for region in result:
                if region["from_name"] == "reasons":
                    region["value"]["choices"] = _other_reason(region["value"]["choices"])
                    changed = True
                    break
        out.append({"id": n, "data": task["data"], "predictions": [dict(task["predictions"][0], id=n, task=n)],
                    "annotations": [{"id": 100 + n, "completed_by": 1, "result": result, "was_cancelled": False,
                                     "ground_truth": False, "created_at": "2026-12-02T09:00:00Z",
                                     "updated_at": "2026-12-02T09:00:00Z", "lead_time": 30.5, "task": n,
                                     "project": 1, "prediction": {}}]})
    return out


def _expected_first_change(folder: Path):
    first = json.loads((folder / "reasons.jsonl").read_text().splitlines()[0])
    return first["imr"]["letter_id"], first["imr"]["item"], sorted(_other_reason(first["accept"]))


# Round trips ---------------------------------------------------------------------------------

def _check_clean(path: Path) -> None:
    result = runner.invoke(app, ["data", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert " 0 bad" in result.output


def test_prodigy_round_trip_to_gold_then_check_then_retrain(scored_tasks, exported, tmp_path):
    tasks, _ = scored_tasks
    answers = write_jsonl(tmp_path / "db-out.jsonl", prodigy_answers(exported["prodigy"]))
    out = tmp_path / "annotations.jsonl"
    result = runner.invoke(app, ["annotate", "import", str(answers), "--out", str(out), "--tasks",
                                 str(exported["prodigy"])])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {t.id for t in tasks}
    letter_id, item, reasons = _expected_first_change(exported["prodigy"])
    assert sorted(records[letter_id]["items"][item]["reasons"]) == reasons
    first_entities = json.loads((exported["prodigy"] / "entities.jsonl").read_text().splitlines()[0])
    spans = records[first_entities["imr"]["letter_id"]]["spans"]
    assert len(spans) == len(first_entities["spans"])
    by_task = {t.id: t for t in tasks}
    for letter_id, record in records.items():
        assert record["annotated"] == ["reasons", "entities"]
        assert [i["service"] for i in record["items"]] == [r.service for r in by_task[letter_id].items]
        assert all(not i["reasons"] for i in record["items"] if i["decision"] == "overturned")
    _check_clean(out)
    _retrain_with(out, tmp_path, only="reasons", letters=len(records))


def test_label_studio_round_trip_to_gold_then_check_then_retrain(scored_tasks, exported, tmp_path):
    tasks, _ = scored_tasks
    answers = tmp_path / "export.json"
    answers.write_text(json.dumps(label_studio_export(exported["label-studio"])))
    out = tmp_path / "annotations.jsonl"
    result = runner.invoke(app, ["annotate", "import", str(answers), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {t.id for t in tasks}
    changed = [(letter_id, n, item["reasons"]) for letter_id, r in records.items() for n, item in enumerate(r["items"])
               for t in tasks if t.id == letter_id for u in t.upheld if u.ref.index == n and item["reasons"] != u.predicted]
    assert len(changed) == 1  # exactly the region the annotator changed
    for task in tasks:  # negation came back from the per-region choice
        assert [(s["start"], s["end"], s["label"], s["negated"]) for s in records[task.id]["spans"]] == \
               sorted((s.start, s.end, s.label, s.negated) for s in task.spans)
    _check_clean(out)
    _retrain_with(out, tmp_path, only="reasons", letters=len(records))


def test_retraining_the_tagger_takes_the_annotated_entities(exported, tmp_path):
    answers = write_jsonl(tmp_path / "db-out.jsonl", prodigy_answers(exported["prodigy"]))
    out = tmp_path / "annotations.jsonl"
    assert runner.invoke(app, ["annotate", "import", str(answers), "--out", str(out)]).exit_code == 0
    _retrain_with(out, tmp_path, only="tagger", letters=6)


def _retrain_with(annotations: Path, tmp_path: Path, only: str, letters: int) -> None:
    config = tmp_path / "tiny-user.toml"
    config.write_text(CONFIG.format(tmp=tmp_path, root=ROOT, out=tmp_path / "models")
                      + f'\n[[user]]\npath = "{annotations}"\nweight = 2\n')
    run(config, only=only, log=lambda message: None)
    model = "reasons" if only == "reasons" else "tagger"
    manifest = artifacts.verify(tmp_path / "models" / model)
    (entry,) = manifest.data["user"]
    assert entry["letters"] == letters and entry["weight"] == 2 and entry["sha256"] == artifacts.file_sha256(annotations)
    assert (entry["reason_letters"] if model == "reasons" else entry["entity_letters"]) == letters
    card = (tmp_path / "models" / model / "MODEL_CARD.md").read_text()
    assert "User annotations" in card and str(annotations) in card


def test_a_config_without_user_files_adds_nothing_to_the_manifest(tmp_path):
    config = tmp_path / "tiny.toml"
    config.write_text(CONFIG.format(tmp=tmp_path, root=ROOT, out=tmp_path / "models"))
    run(config, only="reasons", log=lambda message: None)
    assert "user" not in artifacts.verify(tmp_path / "models" / "reasons").data
    assert "User annotations" not in (tmp_path / "models" / "reasons" / "MODEL_CARD.md").read_text()


# Problems are reported, never dropped -------------------------------------------------------------

def _import(records, tmp_path, tool="prodigy", extra=()):
    path = tmp_path / ("a.jsonl" if tool == "prodigy" else "a.json")
    if tool == "prodigy":
        write_jsonl(path, records)
    else:
        path.write_text(json.dumps(records))
    out = tmp_path / "out.jsonl"
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["annotate", "import", str(path), "--out", str(out), "--report", str(report), *extra])
    written = {json.loads(l)["id"] for l in out.read_text().splitlines()} if out.exists() else set()
    return result, written, json.loads(report.read_text())


def test_two_annotators_disagreeing_hold_the_letter_back(exported, tmp_path):
    alice = prodigy_answers(exported["prodigy"], "alice")
    bob = prodigy_answers(exported["prodigy"], "bob")
    bob[0]["accept"] = [r for r in load_taxonomy().reason_ids if r not in alice[0]["accept"]][:2]
    agree = [a for a in bob[1:] if a["imr"]["letter_id"] != bob[0]["imr"]["letter_id"]]
    result, written, problems = _import(alice + [bob[0]] + agree, tmp_path)
    letter_id = alice[0]["imr"]["letter_id"]
    assert result.exit_code == 1
    assert letter_id not in written and len(written) == 5  # the others agree (or only one answered)
    (problem,) = problems
    assert problem["kind"] == "conflict" and problem["letter_id"] == letter_id and problem["item"] == alice[0]["imr"]["item"]
    assert "imr-alice" in problem["message"] and "imr-bob" in problem["message"]


def test_a_changed_text_an_unanswered_item_and_a_rejection_are_reported(exported, tmp_path):
    answers = prodigy_answers(exported["prodigy"])
    reasons = [a for a in answers if a["imr"]["kind"] == "reasons"]
    by_letter = {}
    for a in reasons:
        by_letter.setdefault(a["imr"]["letter_id"], []).append(a)
    several = [letter for letter, group in by_letter.items() if len(group) > 1]
    edited, unanswered, rejected = several[0], several[1], next(l for l in by_letter if l not in several[:2])
    for a in answers:
        if a["imr"]["letter_id"] == edited and a["imr"]["kind"] == "entities":
            a["text"] = a["text"].replace("the", "teh", 1)
    answers.remove(by_letter[unanswered][-1])
    by_letter[rejected][0]["answer"] = "reject"
    result, written, problems = _import(answers, tmp_path)
    assert result.exit_code == 1
    kinds = {(p["letter_id"], p["kind"]) for p in problems}
    assert kinds == {(edited, "text changed"), (unanswered, "unanswered"), (rejected, "rejected")}
    assert written == {t["imr"]["letter_id"] for t in answers} - {edited, unanswered, rejected}
    assert next(p for p in problems if p["kind"] == "unanswered")["item"] == by_letter[unanswered][-1]["imr"]["item"]


def test_letters_never_answered_are_reported_with_the_export_folder(exported, tmp_path):
    answers = [a for a in prodigy_answers(exported["prodigy"]) if a["meta"]["letter"] != "fdl-issues-1"]
    result, written, problems = _import(answers, tmp_path, extra=["--tasks", str(exported["prodigy"])])
    assert result.exit_code == 1 and "fdl-issues-1" not in written
    assert [(p["letter_id"], p["kind"]) for p in problems] == [("fdl-issues-1", "unanswered")]


def test_label_studio_skipped_and_misread_items_are_reported(exported, tmp_path):
    export = label_studio_export(exported["label-studio"])
    export[0]["annotations"][0]["was_cancelled"] = True
    export[0]["annotations"][0]["result"] = []
    region = next(r for r in export[1]["annotations"][0]["result"] if r["from_name"] == "label"
                  and r["value"]["labels"] == ["RATIONALE"])
    export[1]["annotations"][0]["result"].append(
        {"id": region["id"], "from_name": "item_problem", "to_name": "text", "type": "choices",
         "value": {"start": region["value"]["start"], "end": region["value"]["end"], "choices": ["misread"]}})
    export[2]["annotations"] = []
    result, written, problems = _import(export, tmp_path, tool="label-studio")
    assert result.exit_code == 1
    ids = [t["data"]["letter_id"] for t in export]
    assert written == set(ids[3:])
    kinds = {(p["letter_id"], p["kind"]) for p in problems}
    assert {(ids[0], "unanswered"), (ids[1], "rejected"), (ids[2], "unanswered")} <= kinds
    assert {k for _, k in kinds} == {"unanswered", "rejected"}


def test_standoff_output_keeps_no_text_and_joins_back_to_the_gold(exported, tmp_path):
    answers = write_jsonl(tmp_path / "db-out.jsonl", prodigy_answers(exported["prodigy"]))
    gold, stand = tmp_path / "gold.jsonl", tmp_path / "standoff.jsonl"
    assert runner.invoke(app, ["annotate", "import", str(answers), "--out", str(gold)]).exit_code == 0
    assert runner.invoke(app, ["annotate", "import", str(answers), "--out", str(stand), "--standoff"]).exit_code == 0
    letters = {r["id"]: r for r in map(json.loads, gold.read_text().splitlines())}
    for line in stand.read_text().splitlines():
        raw = json.loads(line)
        assert "text" not in raw
        record = StandoffRecord.from_json(raw)
        joined = record.join(letters[record.id]["text"]).to_json()
        expected = letters[record.id]
        assert [(i["service"], i["decision"], i["reasons"]) for i in joined["items"]] == \
               [(i["service"], i["decision"], i["reasons"]) for i in expected["items"]]
        assert joined["spans"] == expected["spans"]
    # and the training config reads them with the letters' folder
    folder = tmp_path / "texts"
    folder.mkdir()
    for letter_id, record in letters.items():
        (folder / f"{letter_id}.txt").write_text(record["text"])
    lines = [json.loads(l) for l in stand.read_text().splitlines()]
    write_jsonl(stand, [dict(l, source=f"{l['id']}.txt") for l in lines])
    (user,) = load_user_sets([{"path": str(stand), "texts": str(folder), "weight": 3}], Path)
    assert len(user.letters) == 6 and user.weight == 3


def test_a_user_file_that_breaks_the_contract_stops_training(tmp_path):
    record = json.loads((ROOT / "data" / "gold" / "dev.jsonl").read_text().splitlines()[0])
    upheld = next(i for i in record["items"] if i["decision"] == "upheld")
    upheld["reasons"] = ["bad_reason"]
    path = write_jsonl(tmp_path / "user.jsonl", [record])
    with pytest.raises(ValueError, match="line 1 .*unknown reasons"):
        load_user_sets([{"path": str(path)}], Path)


def test_assembling_nothing_gives_nothing():
    result = assemble([])
    assert result.letters == [] and result.problems == []


# A real Label Studio on loopback (skipped when it is not installed) ----------------------------------

def test_label_studio_imports_the_tasks_and_config_and_exports_what_we_read(exported, tmp_path):
    from label_studio_server import LabelStudio, find_label_studio

    executable = find_label_studio()
    if executable is None:
        pytest.skip("label-studio is not installed (set IMR_LABEL_STUDIO to its executable)")
    with LabelStudio(executable, tmp_path / "ls") as server:
        config = (exported["label-studio"] / "config.xml").read_text()
        project = server.api("POST", "/api/projects", {"title": "imr", "label_config": config})
        tasks = json.loads((exported["label-studio"] / "tasks.json").read_text())
        imported = server.api("POST", f"/api/projects/{project['id']}/import", tasks)
        assert imported["task_count"] == len(tasks) and imported["prediction_count"] == len(tasks)
        # An annotator accepts each task's predictions, changing one item's reasons.
        changed = label_studio_export(exported["label-studio"])
        stored = server.api("GET", f"/api/tasks?project={project['id']}&fields=all&page_size=100")["tasks"]
        by_letter = {t["data"]["letter_id"]: t for t in stored}
        for answer in changed:
            task = by_letter[answer["data"]["letter_id"]]
            server.api("POST", f"/api/tasks/{task['id']}/annotations",
                       {"result": answer["annotations"][0]["result"], "was_cancelled": False})
        export = server.export(project["id"])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(label_studio_export(exported["label-studio"])))
    from_tool, from_doc = import_answers(path), import_answers(mine)
    assert from_tool.problems == [] and len(from_tool.letters) == 6
    assert [l.to_json() for l in from_tool.letters] == [l.to_json() for l in from_doc.letters]


# The learning-curve notebook draws the committed figures ---------------------------------------------

def test_learning_curve_notebook_runs(tmp_path):
    pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    from test_notebooks import outputs_text, run_notebook

    nb = run_notebook("04-learning-curve.ipynb", {}, tmp_path)
    text = outputs_text(nb)
    assert "image/png" in text and "uncertain above every random draw" in text


def test_the_committed_curve_covers_both_strategies_at_every_k():
    figures = json.loads((ROOT / "docs" / "learning-curve.json").read_text())
    ks = [p["k"] for p in figures["points"]]
    assert ks == sorted(ks) and ks[0] == 0 and len(ks) >= 3
    for point in figures["points"]:
        assert len(point["random"]) == figures["settings"]["seeds"]
        assert 0 < point["uncertain"]["macro_f1"] <= 1
    # each fold's uncertain letters are candidates of that fold, never its held-out letters
    assert all(len(set(v["uncertain"])) == len(v["uncertain"]) for v in figures["selected"].values())


# Real letters: the loop on a few pool PDFs, answered with the pool's gold -------------------------------

def test_real_letters_round_trip_to_the_pool_gold_as_standoff(shared_dir, tmp_path):
    from pipeline.corpus import standoff
    from pipeline.evaluation.metrics import match_items

    pool = {r.id: r for r in standoff.load()}
    pdfs = shared_dir / "data" / "real-letters"
    chosen = sorted(i for i, r in pool.items() if r.spans is not None and (pdfs / r.source).exists())[:3]
    if len(chosen) < 3:
        pytest.skip("the real letters are not here")
    out = tmp_path / "tasks"
    result = runner.invoke(app, ["annotate", "export", *[str(pdfs / pool[i].source) for i in chosen], "--to", "prodigy",
                                 "--out", str(out), "--select", "uncertain"])
    assert result.exit_code == 0, result.output
    answers = []
    for name in ("reasons.jsonl", "entities.jsonl"):
        for task in map(json.loads, (out / name).read_text().splitlines()):
            record = pool[task["imr"]["letter_id"]]
            # the export hashes the text exactly as the stand-off gold does
            assert task["imr"]["text_sha256"] == record.text_sha256
            if name == "reasons.jsonl":
                services = [i["service"] for i in task["imr"]["items"]]
                pairs = dict((p, g) for g, p in match_items([i.service for i in record.items], services))
                task["accept"] = record.items[pairs[task["imr"]["item"]]].reasons
            else:
                task["spans"] = [{"start": s.start, "end": s.end, "label": s.label + ("-NEGATED" if s.negated else "")}
                                 for s in record.spans]
            answers.append(dict(task, answer="accept", _annotator_id="imr-gold", _session_id="imr-gold"))
    db_out = write_jsonl(tmp_path / "db-out.jsonl", answers)
    stand = tmp_path / "standoff.jsonl"
    result = runner.invoke(app, ["annotate", "import", str(db_out), "--out", str(stand), "--standoff"])
    assert result.exit_code == 0, result.output
    for record in standoff.load(stand):
        gold = pool[record.id]
        assert (record.text_sha256, record.text_length) == (gold.text_sha256, gold.text_length)
        assert [(i.service_range, i.decision, i.reasons) for i in record.items] == \
               [(tuple(i.service_range), i.decision, i.reasons) for i in gold.items]
        assert [s.to_json() for s in record.spans] == [s.to_json() for s in gold.spans]
        assert record.join(standoff.read_source_text(gold, pdfs)).text  # joins back on the PDF's text


def test_a_rationale_region_matching_no_item_is_reported(exported, tmp_path):
    export = label_studio_export(exported["label-studio"])
    result = export[0]["annotations"][0]["result"]
    text = export[0]["data"]["text"]
    result.append({"id": "added", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 10, "text": text[:10], "labels": ["RATIONALE"]}})
    outcome, written, problems = _import(export, tmp_path, tool="label-studio")
    letter_id = export[0]["data"]["letter_id"]
    assert outcome.exit_code == 1 and letter_id not in written
    assert [(p["letter_id"], p["kind"]) for p in problems] == [(letter_id, "invalid")]
    assert "region added" in problems[0]["message"]
