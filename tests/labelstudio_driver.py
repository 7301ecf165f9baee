"""Plays the reviewer against a real Label Studio server; run by the Label Studio environment's
Python (it imports label_studio_sdk, never netral_nlp).

    python labelstudio_driver.py URL TOKEN PLAN.json

PLAN: {"config": PATH, "tasks": PATH, "export": PATH, "reviews": {netral_key: REVIEW}} where a
REVIEW is {"label": ..., "spans": [{"start", "end", "category"}]}, {"skip": true} (the reviewer
skips it), or {"two": [REVIEW, REVIEW]} (two reviewers). Tasks without a review are left alone.
Creates a project with the config, imports the tasks, submits the reviews through the API,
exports the project as JSON and writes it to PLAN["export"].
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from label_studio_sdk import LabelStudio


def result(review: dict, text: str) -> list[dict]:
    out = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": [review["label"]]}}]
    for s in review.get("spans", []):
        out.append({"from_name": "spans", "to_name": "text", "type": "labels",
                    "value": {"start": s["start"], "end": s["end"], "text": text[s["start"]:s["end"]],
                              "labels": [s["category"]]}})
    return out


def main(url: str, token: str, plan_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    ls = LabelStudio(base_url=url, api_key=token)
    config = Path(plan["config"]).read_text(encoding="utf-8")
    project = ls.projects.create(title="netral review round trip", label_config=config)
    tasks = json.loads(Path(plan["tasks"]).read_text(encoding="utf-8"))
    imported = ls.projects.import_tasks(id=project.id, request=tasks, return_task_ids=True)
    assert imported.task_count == len(tasks), imported
    for task in ls.tasks.list(project=project.id):
        key, text = task.data["netral_key"], task.data["text"]
        assert task.predictions, f"task {task.id} has no pre-annotation"
        review = plan["reviews"].get(key)
        if review is None:
            continue
        if review.get("skip"):
            ls.annotations.create(id=task.id, result=[], was_cancelled=True)
            continue
        for r in review.get("two", [review]):
            ls.annotations.create(id=task.id, result=result(r, text), was_cancelled=False)
    export = ls.projects.exports.as_json(project.id)
    with open(plan["export"], "w", encoding="utf-8") as fh:
        json.dump(export, fh, ensure_ascii=False)
    print(json.dumps({"project": project.id, "tasks": len(export)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
