//! The class times are written once: the day and each chapter's talk in
//! `book/course.toml`, each exercise's time in its `exercise.toml`. The
//! schedule page is written from them (`cargo lab schedule`; tests/cli.rs
//! checks that it is current). This file checks everything else that states
//! a class time:
//!
//! - every figure in an Instructor note: the note's first figure is its own
//!   page's time (the exercise's `minutes` on an exercise page, the segment's
//!   `teach` on a page the plan teaches), and may be split into parts after a
//!   colon in the same sentence ("about 35 minutes: 25 for the page, 10 for
//!   questions"), which must add up to it. Any other figure, in digits or in
//!   words, is refused unless `NOT_CLASS_TIME` lists it as the length of
//!   something else;
//! - the teaching guide (`book/classroom/*.md` but the generated schedule)
//!   and the README, which state no class time of their own;
//! - the day: a real day's teaching (`REAL_DAY`), and each class fitting its
//!   days, breaks included.
//!
//! A failure names the page and line and gives both figures.

use harness::exercise::Exercise;
use regex_lite::Regex;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const PLAN: &str = "book/course.toml";

/// A real class day: 6 to 6 h 30 min of teaching and exercises (the
/// opening, talks, exercises and wrap-up), breaks not counted.
const REAL_DAY: RangeInclusive<u32> = 360..=390;

/// Figures in Instructor notes that are not class time: (page, the figure
/// as written, what it is). Each is matched once on its page.
const NOT_CLASS_TIME: &[(&str, &str, &str)] = &[
    ("chaining/durable-functions.md", "30 minutes", "the order's cooling-off, which check 6 shows"),
    ("chaining/durable-functions.md", "15-minute", "Lambda's limit on one invocation"),
    ("monitoring/structured-logs.md", "one minute", "an aside on the opening demo"),
    ("monitoring/structured-logs.md", "twenty minutes", "an aside: the debugging the demo saves"),
    ("deploying/building-the-zip.md", "five-minute", "an aside: one discussion within the exercise"),
    ("rust/sqs-partial-batch-in-rust.md", "two minutes", "an aside: one experiment within the exercise"),
];

/// One segment of the plan, as far as times go.
#[derive(Debug)]
struct Segment {
    page: String,
    teach: u32,
    exercises: Vec<String>,
    one_day: Option<Vec<String>>,
    two_days: Option<Vec<String>>,
    extension: bool,
}

#[derive(Debug)]
struct Day {
    minutes: u32,
    opening: u32,
    recap: u32,
    wrap_up: u32,
    breaks: u32,
}

#[derive(Debug)]
struct Plan {
    day: Day,
    segments: Vec<Segment>,
    /// (number as "NN", page, minutes, where the minutes are written).
    exercises: Vec<(String, String, u32, String)>,
}

impl Plan {
    fn load() -> Plan {
        let root = Path::new(ROOT);
        let text = std::fs::read_to_string(root.join(PLAN)).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let int = |table: &toml::Table, key: &str| -> u32 {
            let value = table.get(key).and_then(|v| v.as_integer());
            u32::try_from(value.unwrap_or_else(|| panic!("{PLAN}: {key} is missing"))).unwrap()
        };
        let list = |table: &toml::Table, key: &str| -> Option<Vec<String>> {
            table
                .get(key)
                .map(|v| v.as_array().unwrap().iter().map(|id| id.as_str().unwrap().to_string()).collect::<Vec<_>>())
        };
        let day = table["day"].as_table().unwrap();
        let hours = match &day["hours"] {
            toml::Value::Integer(h) => *h as f64,
            toml::Value::Float(h) => *h,
            other => panic!("{PLAN}: hours is {other:?}"),
        };
        let breaks = day["breaks"].as_array().unwrap().iter().map(|b| int(b.as_table().unwrap(), "minutes")).sum();
        let day = Day {
            minutes: (hours * 60.0).round() as u32,
            opening: int(day, "opening"),
            recap: int(day, "recap"),
            wrap_up: int(day, "wrap_up"),
            breaks,
        };
        let segments = table["segment"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let item = item.as_table().unwrap();
                Segment {
                    page: item["page"].as_str().unwrap().to_string(),
                    teach: int(item, "teach"),
                    exercises: list(item, "exercises").unwrap_or_default(),
                    one_day: list(item, "one_day"),
                    two_days: list(item, "two_days"),
                    extension: item.get("extension").and_then(|v| v.as_bool()).unwrap_or(false),
                }
            })
            .collect();
        let exercises = Exercise::discover(root)
            .unwrap()
            .into_iter()
            .map(|e| {
                let toml = e.dir.join("exercise.toml");
                let at = toml.strip_prefix(root).unwrap_or(&toml).display().to_string();
                (format!("{:02}", e.number), e.chapter, e.minutes, at)
            })
            .collect();
        Plan { day, segments, exercises }
    }

    fn exercise_minutes(&self, number: &str) -> u32 {
        let found = self.exercises.iter().find(|(n, ..)| n == number);
        found.unwrap_or_else(|| panic!("{PLAN} names exercise {number}, which has no exercise.toml")).2
    }

    /// The plan's own time for a page of the book: (minutes, where written).
    fn time_of(&self, page: &str) -> Option<(u32, String)> {
        if let Some((_, _, minutes, at)) = self.exercises.iter().find(|(_, chapter, ..)| chapter == page) {
            return Some((*minutes, format!("{at} gives the exercise {minutes} (minutes = {minutes})")));
        }
        self.segments
            .iter()
            .find(|s| s.page == page)
            .map(|s| (s.teach, format!("{PLAN} teaches {page} in {} (teach = {})", s.teach, s.teach)))
    }
}

/// Number words a time may be written with.
const WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fifteen", 15),
    ("twenty", 20),
    ("twenty-five", 25),
    ("thirty", 30),
    ("forty", 40),
    ("forty-five", 45),
    ("fifty", 50),
    ("sixty", 60),
    ("ninety", 90),
];

/// A figure: a number of minutes or hours, or a range of them ("15 to 20
/// minutes"), or an hour in words.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = WORDS.iter().map(|(w, _)| *w).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let number = format!(r"(?:\d+|{})", words.join("|"));
    Regex::new(&format!(
        r"(?i)\b(?:({number})(?:\s+(?:to|or)\s+({number}))?(?:\s+|-)(minutes?|mins?|hours?)\b|half an hour|an hour)"
    ))
    .unwrap()
});

/// A part of the first figure: "25 for the page", "15 of talk".
static PART: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d+)\s+(?:for|of)\b").unwrap());

/// Words after which "16 for" is a number of something else ("exercise 16
/// for those who finish early"), or the rest of a list whose first item
/// carried its unit.
const NOT_BEFORE_A_PART: &[&str] = &[
    "exercise",
    "exercises",
    "check",
    "checks",
    "question",
    "questions",
    "item",
    "items",
    "step",
    "steps",
    "and",
    "or",
    "to",
];

/// Whether the bare part at `offset` follows one of `NOT_BEFORE_A_PART`.
fn numbers_something_else(text: &str, offset: usize) -> bool {
    let before = text[..offset].trim_end();
    let word = &before[before.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len()..];
    NOT_BEFORE_A_PART.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// The end of a sentence, or of a clause after a semicolon.
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.;](?:\s|$)").unwrap());

fn number(text: &str) -> u32 {
    text.parse()
        .ok()
        .or_else(|| WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(text)).map(|(_, n)| *n))
        .unwrap_or_else(|| panic!("not a number: {text}"))
}

/// A figure found in some prose.
#[derive(Debug)]
struct Found {
    start: usize,
    end: usize,
    text: String,
    minutes: u32,
    range: bool,
}

fn figures(text: &str) -> Vec<Found> {
    FIGURE
        .captures_iter(text)
        .map(|c| {
            let whole = c.get(0).unwrap();
            let written = whole.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
            let minutes = match (c.get(1), c.get(3)) {
                (Some(n), Some(unit)) if unit.as_str().to_lowercase().starts_with('h') => number(n.as_str()) * 60,
                (Some(n), Some(_)) => number(n.as_str()),
                _ if written.to_lowercase().starts_with("half") => 30,
                _ => 60,
            };
            Found { start: whole.start(), end: whole.end(), text: written, minutes, range: c.get(2).is_some() }
        })
        .collect()
}

/// The line of `text` at `offset`, counting from `first_line`.
fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    first_line + text[..offset].matches('\n').count()
}

/// Whether `NOT_CLASS_TIME` lists this figure on this page, once.
fn not_class_time(page: &str, found: &Found, used: &mut Vec<usize>) -> bool {
    let hit = NOT_CLASS_TIME
        .iter()
        .enumerate()
        .position(|(i, (p, text, _))| *p == page && text.eq_ignore_ascii_case(&found.text) && !used.contains(&i));
    if let Some(index) = hit {
        used.push(index);
    }
    hit.is_some()
}

/// What is wrong with the figures of one Instructor note on `page` (relative
/// to book/), whose text starts at line `first_line` of the page.
fn check_note(plan: &Plan, page: &str, first_line: usize, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut used = Vec::new();
    let found: Vec<Found> = figures(text).into_iter().filter(|f| !not_class_time(page, f, &mut used)).collect();
    let at = |offset| format!("book/{page}:{}", line_at(text, offset, first_line));
    let Some(first) = found.first() else {
        // A note may leave its time to the schedule; a bare part cannot be
        // checked against anything.
        if let Some(part) = PART.captures(text) {
            let part = part.get(0).unwrap();
            problems.push(format!(
                "{}: \"{}\" reads as a part of a time, but the note states no time of its own",
                at(part.start()),
                part.as_str()
            ));
        }
        return problems;
    };
    let plan_time = plan.time_of(page);
    if first.range {
        problems.push(format!(
            "{}: the Instructor note says \"{}\", a range; state the plan's one figure{}",
            at(first.start),
            first.text,
            plan_time.as_ref().map_or(String::new(), |(_, source)| format!(": {source}"))
        ));
    }
    match &plan_time {
        None => problems.push(format!(
            "{}: the Instructor note says {} minutes (\"{}\"), but neither {PLAN} nor an exercise.toml times this \
             page: add it to the plan or leave the figure out",
            at(first.start),
            first.minutes,
            first.text
        )),
        Some((minutes, source)) if *minutes != first.minutes && !first.range => problems.push(format!(
            "{}: the Instructor note says {} minutes (\"{}\"), but {source}; change the plan if the note is right \
             (then run `cargo lab schedule`), or the note",
            at(first.start),
            first.minutes,
            first.text
        )),
        Some(_) => {}
    }
    // Its parts: after a colon that closes the first figure's clause, to the
    // end of the sentence.
    let sentence_end = SENTENCE_END.find(&text[first.end..]).map_or(text.len(), |m| first.end + m.start());
    let clause = &text[first.end..sentence_end];
    let parts_from = clause.find(':').map(|colon| first.end + colon + 1);
    // (offset, minutes), put in the text's order before they are shown.
    let mut parts = Vec::new();
    if let Some(from) = parts_from {
        for part in PART.captures_iter(&text[from..sentence_end]) {
            let number_at = part.get(1).unwrap();
            parts.push((from + number_at.start(), number(number_at.as_str())));
        }
    }
    let in_parts = |offset: usize| parts_from.is_some_and(|from| (from..sentence_end).contains(&offset));
    for other in &found[1..] {
        if in_parts(other.start) {
            parts.push((other.start, other.minutes));
            continue;
        }
        problems.push(format!(
            "{}: the Instructor note says \"{}\"; a note states one time, its own page's, first (checked against \
             {PLAN} and the exercise.toml files), and parts of it after a colon in the same sentence. Leave other \
             pages' times to the schedule, or add a figure that is not class time to NOT_CLASS_TIME in tests/course.rs",
            at(other.start),
            other.text
        ));
    }
    parts.sort();
    let sum: u32 = parts.iter().map(|(_, minutes)| minutes).sum();
    if !parts.is_empty() && sum != first.minutes {
        let terms: Vec<String> = parts.iter().map(|(_, minutes)| minutes.to_string()).collect();
        problems.push(format!(
            "{}: the Instructor note splits its {} minutes into {} = {sum}",
            at(first.start),
            first.minutes,
            terms.join(" + ")
        ));
    }
    // A bare part outside that sentence belongs to no figure.
    for part in PART.captures_iter(text) {
        let part = part.get(0).unwrap();
        if part.start() > sentence_end && !numbers_something_else(text, part.start()) {
            problems.push(format!(
                "{}: \"{}\" reads as a part of a time outside the sentence that states the note's time; write it \
                 as a part of that figure, or leave it to the schedule",
                at(part.start()),
                part.as_str()
            ));
        }
    }
    problems
}

/// Every Markdown page under `dir`, relative to book/.
fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The Instructor notes of a page: (line of the note's first line of text,
/// the text).
fn notes(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if lines[index].starts_with("```admonish") && lines[index].contains("title=\"Instructor note\"") {
            let body: Vec<&str> = lines[index + 1..].iter().take_while(|l| !l.starts_with("```")).copied().collect();
            found.push((index + 2, body.join("\n")));
            index += body.len() + 1;
        }
        index += 1;
    }
    found
}

#[test]
fn every_time_an_instructor_note_states_is_the_plans() {
    let plan = Plan::load();
    let book = Path::new(ROOT).join("book");
    let mut all = Vec::new();
    pages(&book, &mut all);
    all.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in &all {
        let page = path.strip_prefix(&book).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        for (line, note) in notes(&text) {
            checked += usize::from(!figures(&note).is_empty());
            problems.extend(check_note(&plan, &page, line, &note));
        }
    }
    assert!(checked >= 30, "only {checked} Instructor notes state a time: is the note's fence still found?");
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_teaching_guide_and_the_readme_state_no_class_time_of_their_own() {
    let root = Path::new(ROOT);
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("book/classroom"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("schedule.md"))
        .collect();
    files.push(root.join("README.md"));
    files.sort();
    let mut problems = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // The notes are checked with the others; blank them, keeping lines.
        let mut prose = text.clone();
        for (line, note) in notes(&text) {
            let start: usize = text.lines().take(line - 1).map(|l| l.len() + 1).sum();
            prose.replace_range(start..start + note.len(), &note.replace(|c| c != '\n', " "));
        }
        for found in figures(&prose) {
            problems.push(format!(
                "{}:{}: says \"{}\"; the teaching guide and the README state no class time of their own: point at \
                 the schedule (its times are written in {PLAN} and the exercise.toml files)",
                path.strip_prefix(root).unwrap().display(),
                line_at(&prose, found.start, 1),
                found.text
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_class_day_is_a_real_day_and_each_class_fits_its_days() {
    let plan = Plan::load();
    let day = &plan.day;
    let teaching = day.minutes - day.breaks;
    assert!(
        REAL_DAY.contains(&teaching),
        "{PLAN}: a day of {} minutes less {} of breaks leaves {teaching} for teaching, outside a real day's {} to {}",
        day.minutes,
        day.breaks,
        REAL_DAY.start(),
        REAL_DAY.end()
    );
    let class = |name: &str, days: u32, keep: &dyn Fn(&Segment) -> Option<Vec<String>>| {
        let mut terms = Vec::new();
        let mut sum = day.opening + (days - 1) * day.recap + days * (day.wrap_up + day.breaks);
        for segment in &plan.segments {
            let Some(kept) = keep(segment) else { continue };
            let minutes: u32 = kept.iter().map(|n| plan.exercise_minutes(n)).sum();
            terms.push(format!("{} {}+{minutes}", segment.page, segment.teach));
            sum += segment.teach + minutes;
        }
        assert!(
            sum <= days * day.minutes,
            "{PLAN}: the {name} class needs {sum} minutes (opening {}, recaps {}, wrap-ups {}, breaks {} a day, \
             and talks+exercises {}), more than its {days} day(s) of {} minutes",
            day.opening,
            (days - 1) * day.recap,
            days * day.wrap_up,
            day.breaks,
            terms.join(", "),
            day.minutes
        );
    };
    class("one-day", 1, &|s| if s.extension { None } else { s.one_day.clone() });
    class("two-day", 2, &|s| {
        if s.extension { None } else { Some(s.two_days.clone().unwrap_or_else(|| s.exercises.clone())) }
    });
    // The add-ons (Step Functions, Rust, Powertools) take up to two days
    // together (ADD_ON_DAYS in src/cmd/schedule.rs).
    class("add-on", 2, &|s| s.extension.then(|| s.exercises.clone()));
}

/// Async retries and SQS semantics matter to nearly every function; Step
/// Functions to fewer. The one-day class keeps the first.
#[test]
fn the_one_day_class_keeps_event_sources_in_practice() {
    let plan = Plan::load();
    let sources = plan.segments.iter().find(|s| s.page == "events/sources.md").expect("events/sources.md is planned");
    assert!(!sources.extension && sources.one_day.is_some(), "{PLAN}: events/sources.md is not in the one-day class");
}

// The checker itself, on notes written for it.

fn plan_for_tests() -> Plan {
    let segment = |page: &str, teach| Segment {
        page: page.into(),
        teach,
        exercises: Vec::new(),
        one_day: None,
        two_days: None,
        extension: false,
    };
    Plan {
        day: Day { minutes: 480, opening: 15, recap: 15, wrap_up: 15, breaks: 90 },
        segments: vec![segment("handlers/index.md", 35)],
        exercises: vec![(
            "03".into(),
            "handlers/validating-input.md".into(),
            30,
            "exercises/03-validating-input/exercise.toml".into(),
        )],
    }
}

fn problems(page: &str, note: &str) -> Vec<String> {
    check_note(&plan_for_tests(), page, 10, note)
}

#[test]
fn a_note_that_agrees_with_the_plan_passes() {
    assert_eq!(problems("handlers/index.md", "Allow about 35 minutes: 25 for the page, 10 for\nquestions."), [""; 0]);
    assert_eq!(problems("handlers/validating-input.md", "Allow about 30 minutes. Open with a demo."), [""; 0]);
    assert_eq!(problems("handlers/index.md", "No figure: the schedule gives it."), [""; 0]);
    // A figure that is not class time, listed as such.
    assert_eq!(
        problems("chaining/durable-functions.md", "No time here; check 2 explains the 15-minute limit."),
        [""; 0]
    );
}

#[test]
fn a_note_whose_time_differs_from_the_plan_is_refused_with_both_figures() {
    let found = problems("handlers/index.md", "Text.\nAllow about 40 minutes for the page.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("book/handlers/index.md:11: the Instructor note says 40 minutes"), "{found:?}");
    assert!(found[0].contains("book/course.toml teaches handlers/index.md in 35 (teach = 35)"), "{found:?}");
    let found = problems("handlers/validating-input.md", "Allow about twenty-five minutes.");
    assert!(found[0].contains("says 25 minutes (\"twenty-five minutes\")"), "{found:?}");
    assert!(found[0].contains("exercises/03-validating-input/exercise.toml gives the exercise 30"), "{found:?}");
}

#[test]
fn parts_that_do_not_add_up_are_refused() {
    let found = problems("handlers/index.md", "Allow about 35 minutes: 25 for the page, 15 for questions.");
    assert_eq!(found, ["book/handlers/index.md:10: the Instructor note splits its 35 minutes into 25 + 15 = 40"]);
    // A part with its unit counts too.
    let found = problems("handlers/index.md", "Plan about 35 minutes: 20 minutes of talk and 10 for demos.");
    assert!(found[0].contains("into 20 + 10 = 30"), "{found:?}");
}

#[test]
fn a_second_time_a_range_or_an_unplanned_page_is_refused() {
    let found = problems("handlers/index.md", "Allow about 35 minutes, then give\nexercise 03 (30 minutes).");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("book/handlers/index.md:11: the Instructor note says \"30 minutes\""), "{found:?}");
    let found = problems("handlers/index.md", "Allow about 35 minutes. Then 30 for exercise 03.");
    assert!(found[0].contains("\"30 for\" reads as a part of a time outside the sentence"), "{found:?}");
    // A number of something else is not a part.
    assert_eq!(problems("handlers/index.md", "Allow about 35 minutes. Leave exercise 04 for later."), [""; 0]);
    let found = problems("handlers/index.md", "Keep 15 to 35 minutes for it.");
    assert!(found[0].contains("says \"15 to 35 minutes\", a range"), "{found:?}");
    let found = problems("appendix/glossary.md", "Allow an hour.");
    assert!(found[0].contains("says 60 minutes (\"an hour\"), but neither book/course.toml"), "{found:?}");
    // A listed figure is listed for its own page only.
    let found = problems("handlers/index.md", "Allow about 35 minutes; the 15-minute limit.");
    assert!(found[0].contains("says \"15-minute\""), "{found:?}");
}
