"""Mutation testing of the worked answers: how many small wrong answers do an
exercise's checks reject?

Each exercise's solution (solutions/NN-slug/) is copied, with the rest of the
exercise's files, into scratch folders under target/mutation/; cosmic-ray
(Python) or cargo-mutants (the Rust track) changes one thing in that copy at a
time, and the exercise's own checks run against it exactly as a learner runs
them: `cargo test -q -p exercise-NN` with LAB_TASK_ROOT at the copy. A mutant
is killed when a check fails (or the run times out), and survives when every
check passes. The learner's files in exercises/ are never touched.

A survivor is either a gap in the checks (add a check) or an equivalent
mutant: a change that no caller could see (listed with its reason in
tools/mutation/equivalent.toml). The score of an exercise is
killed / (mutants - equivalent survivors).

    python tools/mutation/mutate.py                 # every exercise, a report
    python tools/mutation/mutate.py 03 06           # some exercises
    python tools/mutation/mutate.py --check         # CI: fail if a score drops
    python tools/mutation/mutate.py --record        # write scores.json

Run it with the mutation venv's Python (tools/mutation/install.sh makes it):
it imports cosmic_ray. See docs/mutation.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tools" / "mutation"
WORK = ROOT / "target" / "mutation"
SCORES = HERE / "scores.json"
EQUIVALENT = HERE / "equivalent.toml"
CARGO_MUTANTS = ROOT / ".ci" / ".mutation" / "cargo" / "bin" / "cargo-mutants"
GOAL = 0.90
# What the scratch copy of an exercise leaves out: the Rust parts (as
# tests/exercises.rs does) and what a build or a run left behind (build/,
# __pycache__), so only the files a handler may read remain.
SKIP = {"tests", "target", "Cargo.toml", "src", "build", "__pycache__"}


@dataclass
class Exercise:
    folder: str  # 03-validating-input
    number: str  # 03
    rust: bool
    files: list[str]  # the solution's files, relative to its folder
    mutated: list[str]  # the ones a tool mutates

    @property
    def package(self) -> str:
        return f"exercise-{self.number}"


@dataclass
class Mutant:
    exercise: str
    file: str
    operator: str
    line: int
    col: int
    text: str  # the source line, stripped: what an equivalent entry names
    outcome: str = "pending"  # killed, survived, timeout, error
    diff: str = ""
    seconds: float = 0.0
    equivalent: str | None = None  # the reason, when listed

    def key(self) -> tuple:
        return (self.exercise, self.file, self.operator, self.text, self.col)


@dataclass
class Result:
    exercise: str
    tool: str
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0
    note: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.mutants if m.outcome == outcome)

    @property
    def killed(self) -> int:
        return self.count("killed") + self.count("timeout")

    @property
    def equivalents(self) -> int:
        return sum(1 for m in self.mutants if m.outcome == "survived" and m.equivalent)

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.mutants if m.outcome == "survived" and not m.equivalent]

    @property
    def score(self) -> float | None:
        counted = len(self.mutants) - self.equivalents
        return None if counted == 0 else self.killed / counted


def log(message: str) -> None:
    print(f"mutation: {message}", file=sys.stderr, flush=True)


def discover(selected: list[str]) -> list[Exercise]:
    found = []
    for folder in sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir()):
        number = folder[:2]
        if selected and number not in selected and folder not in selected:
            continue
        solution = ROOT / "solutions" / folder
        files = sorted(str(p.relative_to(solution)) for p in solution.rglob("*") if p.is_file())
        rust = (ROOT / "exercises" / folder / "src").is_dir()
        mutated = [f for f in files if f.endswith(".rs" if rust else ".py")]
        found.append(Exercise(folder, number, rust, files, mutated))
    return found


def copy_exercise(exercise: Exercise, to: Path) -> None:
    """The exercise's files with the solution in place of the starter."""
    if to.exists():
        shutil.rmtree(to)
    source = ROOT / "exercises" / exercise.folder

    def ignore(folder, names):
        # The exercise's own tests/, build/... at its top; deeper folders of
        # the same names (a vendored library's tests/) belong to the exercise.
        skip = SKIP if Path(folder) == source else {"__pycache__"}
        return [n for n in names if n in skip]

    shutil.copytree(source, to, ignore=ignore)
    for name in exercise.files:
        target = to / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "solutions" / exercise.folder / name, target)


def load_skipped() -> dict[str, str]:
    """The exercises not mutated, with the reason ([skip] in equivalent.toml)."""
    if not EQUIVALENT.exists():
        return {}
    return tomllib.loads(EQUIVALENT.read_text()).get("skip", {})


def load_equivalents() -> dict[tuple, str]:
    if not EQUIVALENT.exists():
        return {}
    table = tomllib.loads(EQUIVALENT.read_text())
    return {
        (e["exercise"], e["file"], e["operator"], e["line"].strip(), e.get("col", -1)): e["reason"]
        for e in table.get("equivalent", [])
    }


def mark_equivalents(result: Result, equivalents: dict[tuple, str]) -> None:
    for mutant in result.mutants:
        if mutant.outcome != "survived":
            continue
        key = mutant.key()
        mutant.equivalent = equivalents.get(key) or equivalents.get(key[:4] + (-1,))


# ---------------------------------------------------------------- Python


class TestCommand:
    """`cargo test -q -p exercise-NN` with LAB_TASK_ROOT at a scratch copy;
    with --binary, the test executables cargo built, run directly as cargo
    would run them (the same tests, without cargo's start-up)."""

    def __init__(self, exercises: list[Exercise], binary: bool):
        self.binary = binary
        self.executables: dict[str, list[str]] = {}
        packages = [a for e in exercises if not e.rust for a in ("-p", e.package)]
        if not packages:
            return
        log("building the exercises' checks (cargo test --no-run)")
        out = subprocess.run(
            ["cargo", "test", "--no-run", "--message-format=json", *packages],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            check=True,
            text=True,
        ).stdout
        for line in out.splitlines():
            message = json.loads(line)
            if message.get("reason") == "compiler-artifact" and message.get("executable"):
                package = message["package_id"]
                for e in exercises:
                    if f"/exercises/{e.folder}#" in package or f"/exercises/{e.folder})" in package:
                        self.executables.setdefault(e.package, []).append(message["executable"])

    def __call__(self, exercise: Exercise, task_root: Path) -> str:
        env = f"env LAB_TASK_ROOT={task_root}"
        if not self.binary:
            return f"{env} cargo test -q -p {exercise.package}"
        manifest_dir = ROOT / "exercises" / exercise.folder
        runs = " && ".join(f"{exe} -q" for exe in self.executables[exercise.package])
        return f"{env} CARGO_MANIFEST_DIR={manifest_dir} CARGO_PKG_NAME={exercise.package} sh -c '{runs}'"


def run_python(exercises: list[Exercise], jobs: int, command: TestCommand, timeout_floor: float) -> list[Result]:
    from cosmic_ray.commands.init import _all_work_items
    from cosmic_ray.mutating import mutate_and_test
    from cosmic_ray.testing import run_tests
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import MutationSpec, TestOutcome, WorkerOutcome, WorkItem

    slots = queue.Queue()
    for slot in range(jobs):
        slots.put(slot)
    results, timeouts, items = {}, {}, []

    def scratch(slot: int, exercise: Exercise) -> Path:
        return WORK / "slots" / str(slot) / exercise.folder

    for exercise in exercises:
        for slot in range(jobs):
            copy_exercise(exercise, scratch(slot, exercise))
        result = results[exercise.folder] = Result(exercise.folder, "cosmic-ray")
        # The solution must pass before any mutant means anything.
        started = time.monotonic()
        outcome, output = run_tests(command(exercise, scratch(0, exercise)), 600)
        baseline = time.monotonic() - started
        if outcome != TestOutcome.SURVIVED:
            result.note = "the solution fails its checks: no mutant was run"
            log(f"{exercise.folder}: {result.note}\n{output[-3000:]}")
            continue
        timeouts[exercise.folder] = max(timeout_floor, 5 * baseline)
        modules = [scratch(0, exercise) / f for f in exercise.mutated]
        found = list(_all_work_items(modules, {}))
        session = WORK / "sessions" / f"{exercise.folder}.sqlite"
        session.parent.mkdir(parents=True, exist_ok=True)
        session.unlink(missing_ok=True)
        with use_db(str(session)) as db:
            db.add_work_items(found)
        log(f"{exercise.folder}: {len(found)} mutants, the checks take {baseline:.1f} s")
        for item in found:
            items.append((exercise, item))

    def run_one(exercise: Exercise, item: WorkItem):
        slot = slots.get()
        try:
            spec = item.mutations[0]
            relative = Path(spec.module_path).relative_to(scratch(0, exercise))
            moved = MutationSpec(
                scratch(slot, exercise) / relative,
                spec.operator_name,
                spec.occurrence,
                spec.start_pos,
                spec.end_pos,
                spec.operator_args,
            )
            # What an earlier mutant's run left in this slot must not decide
            # this one's outcome: build/ is never part of an exercise (SKIP).
            shutil.rmtree(scratch(slot, exercise) / "build", ignore_errors=True)
            started = time.monotonic()
            work = mutate_and_test([moved], command(exercise, scratch(slot, exercise)), timeouts[exercise.folder])
            return work, time.monotonic() - started, slot
        finally:
            slots.put(slot)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_one, e, i): (e, i) for e, i in items}
        done = 0
        for future in concurrent.futures.as_completed(futures):
            exercise, item = futures[future]
            work, seconds, slot = future.result()
            done += 1
            spec = item.mutations[0]
            relative = str(Path(spec.module_path).relative_to(scratch(0, exercise)))
            source = (ROOT / "solutions" / exercise.folder / relative).read_text().splitlines()
            line, col = spec.start_pos
            if work.worker_outcome == WorkerOutcome.NO_TEST:
                continue
            if work.test_outcome == TestOutcome.KILLED:
                outcome = "timeout" if work.output == "timeout" else "killed"
            elif work.test_outcome == TestOutcome.SURVIVED:
                outcome = "survived"
            else:
                outcome = "error"
                log(f"{exercise.folder}: a mutant could not be tested:\n{work.output}")
            results[exercise.folder].mutants.append(
                Mutant(
                    exercise.folder,
                    relative,
                    spec.operator_name,
                    line,
                    col,
                    source[line - 1].strip(),
                    outcome,
                    (work.diff or "").replace(str(scratch(slot, exercise)) + "/", ""),
                    seconds,
                )
            )
            with use_db(str(WORK / "sessions" / f"{exercise.folder}.sqlite")) as db:
                db.set_result(item.job_id, work)
            if done % 20 == 0:
                log(f"{done}/{len(items)} mutants tested")
    for result in results.values():
        result.mutants.sort(key=lambda m: (m.file, m.line, m.col, m.operator))
    return list(results.values())


# ---------------------------------------------------------------- Rust


def run_rust(exercise: Exercise, jobs: int, timeout_floor: float) -> Result:
    """cargo-mutants over the solution, in a copy of the exercise made a
    crate of its own (as tests/exercises.rs does for a Rust variant), with
    the target folder shared between runs."""
    result = Result(exercise.folder, "cargo-mutants")
    if not CARGO_MUTANTS.exists():
        result.note = f"cargo-mutants is not installed ({CARGO_MUTANTS}): run tools/mutation/install.sh"
        return result
    crate = WORK / "rust" / exercise.folder
    copy_exercise(exercise, crate)
    shutil.copytree(ROOT / "exercises" / exercise.folder / "tests", crate / "tests")
    manifest = (ROOT / "exercises" / exercise.folder / "Cargo.toml").read_text()
    manifest = manifest.replace("edition.workspace = true", 'edition = "2024"').replace("[lints]\nworkspace = true\n", "")
    lines = []
    for line in manifest.splitlines():
        name = line.removesuffix(".workspace = true")
        if name != line and (ROOT / "crates" / name).is_dir():
            line = f'{name} = {{ path = "{ROOT / "crates" / name}" }}'
        lines.append(line)
    library = exercise.package.replace("-", "_")
    manifest = "\n".join(lines) + f'\n\n# A copy made by tools/mutation/mutate.py.\n[workspace]\n\n[lib]\nname = "{library}"\n'
    manifest = manifest.replace(f'name = "{exercise.package}"', f'name = "{exercise.package}-mutation"')
    (crate / "Cargo.toml").write_text(manifest)
    shutil.copy(ROOT / "Cargo.lock", crate / "Cargo.lock")
    out = crate / "mutants.out"
    started = time.monotonic()
    # The target folder tests/exercises.rs builds its Rust copies in: the
    # dependencies are built once for both.
    env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target" / "lab-rust-candidates" / "target"))
    env.pop("LAB_TASK_ROOT", None)
    run = subprocess.run(
        [
            str(CARGO_MUTANTS),
            "mutants",
            "--in-place",
            "--no-shuffle",
            f"--minimum-test-timeout={timeout_floor}",
            "--output",
            str(crate),
            "-d",
            str(crate),
            *[a for f in exercise.mutated for a in ("--file", f)],
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    result.seconds = time.monotonic() - started
    outcomes_file = out / "outcomes.json"
    if not outcomes_file.exists():
        result.note = f"cargo-mutants did not finish:\n{run.stdout[-3000:]}"
        return result
    outcomes = json.loads(outcomes_file.read_text())
    for entry in outcomes["outcomes"]:
        scenario = entry["scenario"]
        if scenario == "Baseline":
            if entry["summary"] != "Success":
                result.note = "the solution fails its checks: no mutant was run"
            continue
        mutant = scenario["Mutant"]
        summary = entry["summary"]
        outcome = {
            "CaughtMutant": "killed",
            "MissedMutant": "survived",
            "Timeout": "timeout",
            "Unviable": "unviable",
        }.get(summary, "error")
        if outcome == "unviable":
            continue  # does not compile: not a wrong answer a learner could run
        function = (mutant.get("function") or {}).get("function_name", "")
        text = f"{function}: {mutant['genre']} {mutant.get('replacement', '')}".strip()
        span = mutant["span"]["start"]
        result.mutants.append(
            Mutant(
                exercise.folder,
                mutant["file"],
                "cargo-mutants/" + mutant["genre"],
                span["line"],
                span["column"],
                text,
                outcome,
                mutant.get("diff", "") or describe_rust(mutant),
            )
        )
    return result


def describe_rust(mutant: dict) -> str:
    return f"{mutant['file']}:{mutant['span']['start']['line']}: {mutant.get('name') or mutant}"


# ---------------------------------------------------------------- report


def report(results: list[Result], recorded: dict) -> str:
    lines = [
        "| exercise | tool | mutants | killed | equivalent | survived | score | recorded |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        score = "–" if r.score is None else f"{r.score:.0%}"
        before = recorded.get(r.exercise, {}).get("score")
        before = "–" if before is None else f"{before:.0%}"
        lines.append(
            f"| {r.exercise} | {r.tool} | {len(r.mutants)} | {r.killed} | {r.equivalents} | "
            f"{len(r.survivors)} | {score} | {before} |"
        )
        if r.note:
            lines.append(f"|  | {r.note} | | | | | | |")
    return "\n".join(lines)


def survivors_text(results: list[Result]) -> str:
    out = []
    for r in results:
        for m in r.survivors:
            out.append(
                f"# {r.exercise} {m.file}:{m.line}:{m.col} {m.operator}\n"
                f"[[equivalent]]\nexercise = {json.dumps(m.exercise)}\nfile = {json.dumps(m.file)}\n"
                f"operator = {json.dumps(m.operator)}\nline = {json.dumps(m.text)}\ncol = {m.col}\n"
                f'reason = "..."\n{indent(m.diff)}\n'
            )
    return "\n".join(out)


def indent(text: str) -> str:
    return "\n".join("#   " + line for line in text.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exercises", nargs="*", help="numbers (03) or folders; all when none")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--binary", action="store_true", help="run the checks' test binaries without cargo")
    parser.add_argument("--timeout", type=float, default=30, help="the least time a mutant's checks get, in s")
    parser.add_argument("--check", action="store_true", help="fail if a score is below the recorded one")
    parser.add_argument("--record", action="store_true", help="write the scores to tools/mutation/scores.json")
    parser.add_argument(
        "--python-only",
        action="store_true",
        help="leave the Rust track out (CI: compiling cargo-mutants costs minutes for a handful of mutants)",
    )
    args = parser.parse_args()

    started = time.monotonic()
    recorded = json.loads(SCORES.read_text()) if SCORES.exists() else {}
    selected = args.exercises
    if args.check and not selected:
        # The gate holds the exercises whose scores are recorded.
        selected = sorted(recorded)
    exercises = discover(selected)
    if args.python_only:
        exercises = [e for e in exercises if not e.rust]
    equivalents = load_equivalents()
    skipped = load_skipped()
    for exercise in exercises:
        if exercise.folder in skipped:
            exercise.mutated = []
    python = [e for e in exercises if not e.rust and e.mutated]
    results: list[Result] = []
    if python:
        results += run_python(python, args.jobs, TestCommand(python, args.binary), args.timeout)
    for exercise in (e for e in exercises if e.rust):
        log(f"{exercise.folder}: cargo-mutants")
        results.append(run_rust(exercise, args.jobs, args.timeout))
    for exercise in (e for e in exercises if not e.mutated):
        note = skipped.get(exercise.folder, "no Python or Rust file in the solution")
        results.append(Result(exercise.folder, "–", note=note))
    results.sort(key=lambda r: r.exercise)
    for r in results:
        mark_equivalents(r, equivalents)

    WORK.mkdir(parents=True, exist_ok=True)
    table = report(results, recorded)
    (WORK / "report.md").write_text(table + "\n")
    (WORK / "survivors.toml").write_text(survivors_text(results))
    (WORK / "mutants.json").write_text(json.dumps([m.__dict__ for r in results for m in r.mutants], indent=1))
    print(table)
    elapsed = time.monotonic() - started
    print(f"\n{sum(len(r.mutants) for r in results)} mutants in {elapsed:.0f} s with {args.jobs} jobs;"
          f" survivors and their diffs: {WORK / 'survivors.toml'}")

    if args.record:
        for r in results:
            if r.score is not None:
                recorded[r.exercise] = {
                    "tool": r.tool,
                    "mutants": len(r.mutants),
                    "killed": r.killed,
                    "equivalent": r.equivalents,
                    "score": round(r.score, 4),
                }
        SCORES.write_text(json.dumps(dict(sorted(recorded.items())), indent=2) + "\n")
        print(f"recorded in {SCORES.relative_to(ROOT)}")

    if args.check:
        failed = []
        for r in results:
            before = recorded.get(r.exercise)
            if before is None:
                continue
            # Scores are recorded rounded to four places: compare them so.
            if r.score is None or round(r.score, 4) < before["score"]:
                now = "no score" if r.score is None else f"{r.score:.1%}"
                failed.append(f"{r.exercise}: the mutation score dropped to {now} from {before['score']:.1%}")
                for m in r.survivors:
                    failed.append(f"  survived: {m.file}:{m.line} {m.operator}: {m.text}")
        if failed:
            print("\n".join(["", "Mutation scores below the recorded ones:", *failed]))
            print("Add a check that kills each new survivor, or list it in tools/mutation/equivalent.toml"
                  " with the reason no caller can tell it apart (docs/mutation.md).")
            return 1
        print("mutation scores: none below the recorded ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
