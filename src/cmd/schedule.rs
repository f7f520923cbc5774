//! `cargo lab schedule`: the classroom schedule. It models a day of teaching
//! as blocks laid end to end from 09:00 (an opening, each chapter's talk, its
//! exercises, a wrap-up) with a morning break, lunch and an afternoon break
//! taken at the first gap between blocks after their time, and no block
//! running past 17:30. The plan comes from `book/course.toml` (how long each
//! chapter takes to teach, which exercises follow it, which are kept for a
//! one-day class) and each exercise's own `minutes`; the result is the book
//! page `book/classroom/schedule.md`, written by this command and compared
//! with it by `--check` (which the test suite runs).

use crate::error::CliError;
use crate::workspace;
use harness::exercise::Exercise;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Where the plan and the generated page live, relative to the workspace.
pub(crate) const PLAN: &str = "book/course.toml";
pub(crate) const PAGE: &str = "book/classroom/schedule.md";

const DAY_START: u32 = 9 * 60;
const DAY_END: u32 = 17 * 60 + 30;
/// (earliest start, minutes, name): taken at the first gap after the time.
const BREAKS: [(u32, u32, &str); 3] =
    [(10 * 60 + 30, 15, "Break"), (12 * 60 + 15, 60, "Lunch"), (15 * 60, 15, "Break")];
const WRAP_UP: u32 = 15;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Do not write: fail if the page differs from what the plan gives.
    #[arg(long)]
    check: bool,
}

/// One chapter of the plan with its exercises.
#[derive(Debug)]
struct Segment {
    page: String,
    title: String,
    teach: u32,
    exercises: Vec<Exercise>,
    /// The exercises of the one-day class; None leaves the segment out of it.
    one_day: Option<Vec<Exercise>>,
    /// An add-on (`extension = true`): in neither class, taught on its own.
    extension: bool,
}

impl Segment {
    fn kept_for_one_day(&self, exercise: &Exercise) -> bool {
        self.one_day.iter().flatten().any(|kept| kept.number == exercise.number)
    }
}

/// Something on the day's timetable.
#[derive(Debug, PartialEq)]
struct Block {
    start: u32,
    minutes: u32,
    what: String,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let (root, exercises) = workspace::workspace()?;
    let page = load_plan(&root, &exercises).and_then(|plan| render(&plan)).map_err(CliError::Usage)?;
    let path = root.join(PAGE);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if args.check {
        if current == page {
            println!("{PAGE} is up to date with {PLAN}.");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{PAGE} is out of date with {PLAN} and the exercises' minutes; run `cargo lab schedule` to write it again."
        );
        return Ok(ExitCode::FAILURE);
    }
    if current == page {
        println!("{PAGE} is already up to date.");
        return Ok(ExitCode::SUCCESS);
    }
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, &page))
        .map_err(|error| CliError::Usage(format!("could not write {}: {error}", path.display())))?;
    println!("Wrote {PAGE} from {PLAN}.");
    Ok(ExitCode::SUCCESS)
}

/// Read the plan, naming the file and the segment in every complaint.
fn load_plan(root: &Path, exercises: &[Exercise]) -> Result<Vec<Segment>, String> {
    let path = root.join(PLAN);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|e| format!("{PLAN} is not valid TOML: {e}"))?;
    let items =
        table.get("segment").and_then(|v| v.as_array()).ok_or_else(|| format!("{PLAN} has no [[segment]] tables"))?;
    let mut plan = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = format!("{PLAN}, segment {}", index + 1);
        let page = item
            .get("page")
            .and_then(|v| v.as_str())
            .ok_or_else(|| format!("{at}: page = \"chapter/page.md\" is missing"))?;
        let teach = item
            .get("teach")
            .and_then(|v| v.as_integer())
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("{at}: teach = MINUTES is missing"))?;
        let title = page_title(&root.join("book").join(page)).map_err(|e| format!("{at}: {e}"))?;
        let ids = |key: &str| -> Result<Option<Vec<Exercise>>, String> {
            let Some(value) = item.get(key) else { return Ok(None) };
            let list =
                value.as_array().ok_or_else(|| format!("{at}: {key} is a list of exercise numbers, like [\"01\"]"))?;
            list.iter()
                .map(|id| {
                    let id = id
                        .as_str()
                        .ok_or_else(|| format!("{at}: {key} holds exercise numbers as strings, like \"01\""))?;
                    workspace::find(exercises, id).cloned().map_err(|e| format!("{at}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
        };
        let all = ids("exercises")?.unwrap_or_default();
        let one_day = ids("one_day")?;
        if let Some(stray) = one_day.iter().flatten().find(|e| !all.iter().any(|a| a.number == e.number)) {
            return Err(format!(
                "{at}: one_day names exercise {} which is not in its exercises",
                workspace::number(stray)
            ));
        }
        let extension = match item.get("extension") {
            None => false,
            Some(value) => value.as_bool().ok_or_else(|| format!("{at}: extension is true or false"))?,
        };
        if extension && one_day.is_some() {
            return Err(format!("{at}: an extension is in neither class, so it cannot have one_day"));
        }
        plan.push(Segment { page: page.to_string(), title, teach, exercises: all, one_day, extension });
    }
    let planned: Vec<u32> = plan.iter().flat_map(|s| s.exercises.iter().map(|e| e.number)).collect();
    if let Some(missing) = exercises.iter().find(|e| !planned.contains(&e.number)) {
        return Err(format!(
            "{PLAN} leaves out exercise {} ({}): add it to a segment's exercises",
            workspace::number(missing),
            missing.slug
        ));
    }
    Ok(plan)
}

/// A page's first `# ` heading.
fn page_title(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("could not read the page {}: {e}", path.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("# ").map(|t| t.trim().to_string()))
        .ok_or_else(|| format!("the page {} has no `# Title` heading", path.display()))
}

/// Which timetable is being made.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    OneDay,
    TwoDays,
    /// The add-on segments, taught on a day of their own.
    Extensions,
}

/// What one class holds, before times are given.
fn activities(plan: &[Segment], class: Class) -> Vec<(u32, String)> {
    let mut items = Vec::new();
    for segment in plan {
        let exercises = match class {
            _ if segment.extension != (class == Class::Extensions) => continue,
            Class::OneDay => match &segment.one_day {
                Some(kept) => kept,
                None => continue,
            },
            Class::TwoDays | Class::Extensions => &segment.exercises,
        };
        items.push((segment.teach, format!("Talk: [{}](../{})", segment.title, segment.page)));
        for exercise in exercises {
            items.push((
                exercise.minutes,
                format!("Exercise {}: [{}](../{})", workspace::number(exercise), exercise.title, exercise.chapter),
            ));
        }
    }
    items
}

/// Lay the activities out into at most `max_days` days, with an opening,
/// breaks and a wrap-up in each; or say how far past the last day they run.
fn lay_out(items: &[(u32, String)], max_days: usize) -> Result<Vec<Vec<Block>>, String> {
    let mut days: Vec<Vec<Block>> = Vec::new();
    let mut rest = items.iter().peekable();
    while rest.peek().is_some() {
        if days.len() == max_days {
            let left: u32 = rest.map(|(m, _)| m).sum();
            return Err(format!(
                "the plan does not fit in {max_days} day{}: {left} minutes of talks and exercises are left over; \
                 shorten it in {PLAN}",
                if max_days == 1 { "" } else { "s" }
            ));
        }
        let opening = if days.is_empty() {
            (20, "Welcome; everyone runs `cargo lab doctor`, then `cargo lab`".to_string())
        } else {
            (15, format!("Recap of day {}; questions", days.len()))
        };
        let mut day = vec![Block { start: DAY_START, minutes: opening.0, what: opening.1 }];
        let mut now = DAY_START + opening.0;
        let mut breaks = BREAKS.iter().peekable();
        while let Some((minutes, what)) = rest.peek() {
            if let Some((at, length, name)) = breaks.peek()
                && now >= *at
            {
                day.push(Block { start: now, minutes: *length, what: name.to_string() });
                now += length;
                breaks.next();
                continue;
            }
            if now + minutes + WRAP_UP > DAY_END && day.len() > 1 {
                break;
            }
            day.push(Block { start: now, minutes: *minutes, what: what.clone() });
            now += minutes;
            rest.next();
        }
        let last_day = rest.peek().is_none();
        let wrap_up = if last_day {
            "Wrap-up: questions and feedback; collect `cargo lab report`"
        } else {
            "Wrap-up: what was hard today; collect `cargo lab report`"
        };
        day.push(Block { start: now, minutes: WRAP_UP, what: wrap_up.to_string() });
        days.push(day);
    }
    Ok(days)
}

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn timetable(out: &mut String, days: &[Vec<Block>]) {
    for (index, day) in days.iter().enumerate() {
        if days.len() > 1 {
            let _ = writeln!(out, "\n### Day {}\n", index + 1);
        } else {
            out.push('\n');
        }
        let _ = writeln!(out, "| time | minutes | what |\n|---|---|---|");
        for block in day {
            let _ = writeln!(out, "| {} | {} | {} |", clock(block.start), block.minutes, block.what);
        }
        let end = day.last().map_or(DAY_START, |b| b.start + b.minutes);
        let _ = writeln!(out, "| {} | | end of the day |", clock(end));
    }
}

/// The whole page: the minutes table, then both plans.
fn render(plan: &[Segment]) -> Result<String, String> {
    let one_day = lay_out(&activities(plan, Class::OneDay), 1)?;
    let two_days = lay_out(&activities(plan, Class::TwoDays), 2)?;
    let extensions = activities(plan, Class::Extensions);
    let mut out = String::new();
    out.push_str(
        "# The schedule: one-day and two-day classes\n\n\
         <!-- Written by `cargo lab schedule` from book/course.toml and the exercises' minutes; \
         edit those, not this page. -->\n\n\
         Every chapter is taught as a talk followed by its exercises. The minutes for a talk\n\
         come from the course plan, `book/course.toml`; the minutes for an exercise come from\n\
         its `exercise.toml`. Both are what a learner new to Lambda needs, with the\n\
         instructor in the room: fast learners finish early and move on to the exercises the\n\
         one-day class leaves out. Change either file and run `cargo lab schedule` to write\n\
         this page again.\n\n\
         ## Minutes per chapter and exercise\n\n\
         | chapter or exercise | minutes | one-day class |\n|---|---|---|\n",
    );
    let mut total = 0;
    for segment in plan {
        let kept = if segment.extension {
            "no (an add-on)"
        } else if segment.one_day.is_some() {
            "yes"
        } else {
            "no"
        };
        let _ = writeln!(out, "| Talk: [{}](../{}) | {} | {kept} |", segment.title, segment.page, segment.teach);
        total += segment.teach;
        for exercise in &segment.exercises {
            let kept = segment.kept_for_one_day(exercise);
            let _ = writeln!(
                out,
                "| &nbsp;&nbsp;Exercise {}: [{}](../{}) | {} | {} |",
                workspace::number(exercise),
                exercise.title,
                exercise.chapter,
                exercise.minutes,
                if kept { "yes" } else { "no" }
            );
            total += exercise.minutes;
        }
    }
    let _ = writeln!(out, "| **All of it** | **{total}** ({}) | |", hours(total));
    let (kept, left): (Vec<_>, Vec<_>) = plan
        .iter()
        .flat_map(|segment| segment.exercises.iter().map(move |e| (segment.kept_for_one_day(e), workspace::number(e))))
        .partition(|(kept, _)| *kept);
    let kept: Vec<String> = kept.into_iter().map(|(_, number)| number).collect();
    let left: Vec<String> = left.into_iter().map(|(_, number)| number).collect();
    let _ = writeln!(
        out,
        "\n## A one-day class\n\n\
         The core of the book: exercises {}. Exercises {} are left for self-study (or for\n\
         those who finish early); the book and `cargo lab` work the same without an instructor.",
        kept.join(", "),
        left.join(", ")
    );
    timetable(&mut out, &one_day);
    let but = if extensions.is_empty() { "" } else { " but the add-ons" };
    let _ = writeln!(out, "\n## A two-day class\n\nEvery chapter and every exercise{but}, in the book's order.");
    timetable(&mut out, &two_days);
    if !extensions.is_empty() {
        let minutes: u32 = extensions.iter().map(|(m, _)| m).sum();
        let names: Vec<String> =
            plan.iter().filter(|s| s.extension).map(|s| format!("[{}](../{})", s.title, s.page)).collect();
        let _ = writeln!(
            out,
            "\n## An add-on: {}\n\n\
             Taught after either class as a session of its own ({} of talks and exercises,\n\
             a morning with the opening and the wrap-up), or taken up alone by learners who\n\
             finish early.",
            names.join(", "),
            hours(minutes)
        );
        timetable(&mut out, &lay_out(&extensions, 1)?);
    }
    Ok(out)
}

fn hours(minutes: u32) -> String {
    format!("{} h {:02} min", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(minutes: &[u32]) -> Vec<(u32, String)> {
        minutes.iter().enumerate().map(|(i, m)| (*m, format!("item {i}"))).collect()
    }

    fn segment(page: &str, one_day: Option<Vec<Exercise>>, extension: bool) -> Segment {
        Segment { page: page.into(), title: page.into(), teach: 10, exercises: Vec::new(), one_day, extension }
    }

    #[test]
    fn an_add_on_is_in_neither_class_and_alone_in_its_own() {
        let plan =
            [segment("a.md", Some(Vec::new()), false), segment("b.md", None, false), segment("rust.md", None, true)];
        let talks = |class| -> Vec<String> { activities(&plan, class).into_iter().map(|(_, what)| what).collect() };
        assert_eq!(talks(Class::OneDay), ["Talk: [a.md](../a.md)"]);
        assert_eq!(talks(Class::TwoDays), ["Talk: [a.md](../a.md)", "Talk: [b.md](../b.md)"]);
        assert_eq!(talks(Class::Extensions), ["Talk: [rust.md](../rust.md)"]);
    }

    #[test]
    fn breaks_come_at_the_first_gap_after_their_time() {
        // 09:00 opening (20), then 40-minute items at 09:20 and 10:00. The
        // morning break is due at 10:30, so it waits for the gap at 10:40.
        let days = lay_out(&items(&[40, 40, 40, 40]), 1).unwrap();
        let day = &days[0];
        let starts: Vec<(String, &str)> = day.iter().map(|b| (clock(b.start), b.what.as_str())).collect();
        assert_eq!(starts[1], ("09:20".to_string(), "item 0"));
        assert_eq!(starts[2], ("10:00".to_string(), "item 1"));
        assert_eq!(starts[3], ("10:40".to_string(), "Break"));
        assert_eq!(starts[4], ("10:55".to_string(), "item 2"));
        assert_eq!(starts[5], ("11:35".to_string(), "item 3"));
        assert!(day.last().unwrap().what.starts_with("Wrap-up"));
    }

    #[test]
    fn a_day_never_runs_past_its_end() {
        // 600 minutes of work cannot fit one day (09:00 to 17:30 less breaks).
        let error = lay_out(&items(&[60; 10]), 1).unwrap_err();
        assert!(error.contains("does not fit in 1 day"), "{error}");
        let days = lay_out(&items(&[60; 10]), 2).unwrap();
        assert_eq!(days.len(), 2);
        for day in &days {
            let end = day.last().map(|b| b.start + b.minutes).unwrap();
            assert!(end <= DAY_END, "a day ends at {}", clock(end));
            let taken: Vec<&str> = day.iter().map(|b| b.what.as_str()).filter(|w| *w == "Lunch").collect();
            assert!(taken.len() <= 1);
        }
        assert!(days[1][0].what.starts_with("Recap of day 1"));
        // Items at 09:20 and 10:20, the break at 11:20, an item at 11:35: lunch
        // is due at 12:15 and starts at the next gap, 12:35.
        assert!(days[0].iter().any(|b| b.what == "Lunch" && b.start == 12 * 60 + 35), "{:?}", days[0]);
    }
}
