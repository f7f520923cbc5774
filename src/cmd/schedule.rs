//! `cargo lab schedule`: the classroom schedule. It models a day of teaching
//! as blocks laid end to end from the day's start (an opening, or a recap on
//! later days, each chapter's talk, its exercises, a wrap-up), with breaks
//! taken at the first gap between blocks after their time, and no block
//! running past the day's end. Every minute comes from the plan,
//! `book/course.toml` (its `[day]`: start, length, opening, recap, wrap-up
//! and breaks; its segments: how long each chapter takes to teach, which
//! exercises follow it, which the one-day and two-day classes keep), or from
//! each exercise's own `minutes`; the result is the book page
//! `book/classroom/schedule.md`, written by this command and compared with
//! it by `--check` (which the test suite runs). A plan whose class does not
//! fit its days is refused, saying how many minutes are left over.

use crate::error::CliError;
use crate::workspace;
use harness::exercise::Exercise;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Where the plan and the generated page live, relative to the workspace.
pub(crate) const PLAN: &str = "book/course.toml";
pub(crate) const PAGE: &str = "book/classroom/schedule.md";

/// A class day, from the plan's `[day]` table; times in minutes after midnight.
#[derive(Debug)]
struct Day {
    start: u32,
    end: u32,
    /// The first day's opening.
    opening: u32,
    /// The opening of each later day.
    recap: u32,
    wrap_up: u32,
    breaks: Vec<Break>,
}

/// A break, taken at the first gap between blocks after `at`.
#[derive(Debug)]
struct Break {
    at: u32,
    minutes: u32,
    name: String,
}

impl Day {
    fn break_minutes(&self) -> u32 {
        self.breaks.iter().map(|b| b.minutes).sum()
    }
}

/// The whole plan: the day and the segments.
#[derive(Debug)]
struct Plan {
    day: Day,
    segments: Vec<Segment>,
}

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
    /// The exercises of the two-day class; None keeps them all.
    two_days: Option<Vec<Exercise>>,
    /// An add-on (`extension = true`): in neither class, taught on its own.
    extension: bool,
}

impl Segment {
    /// Whether the class has this segment's talk.
    fn taught_in(&self, class: Class) -> bool {
        match class {
            Class::Extensions => self.extension,
            Class::OneDay => !self.extension && self.one_day.is_some(),
            Class::TwoDays => !self.extension,
        }
    }

    /// The segment's exercises that the class keeps, in the plan's order.
    fn kept_in(&self, class: Class) -> Vec<&Exercise> {
        let chosen = match class {
            _ if !self.taught_in(class) => return Vec::new(),
            Class::OneDay => self.one_day.as_ref(),
            Class::TwoDays => self.two_days.as_ref(),
            Class::Extensions => None,
        };
        self.exercises.iter().filter(|e| chosen.is_none_or(|kept| kept.iter().any(|k| k.number == e.number))).collect()
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
fn load_plan(root: &Path, exercises: &[Exercise]) -> Result<Plan, String> {
    let path = root.join(PLAN);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    let table: toml::Table = text.parse().map_err(|e| format!("{PLAN} is not valid TOML: {e}"))?;
    let day = load_day(&table)?;
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
        let two_days = ids("two_days")?;
        for (key, chosen) in [("one_day", &one_day), ("two_days", &two_days)] {
            if let Some(stray) = chosen.iter().flatten().find(|e| !all.iter().any(|a| a.number == e.number)) {
                return Err(format!(
                    "{at}: {key} names exercise {} which is not in its exercises",
                    workspace::number(stray)
                ));
            }
        }
        let extension = match item.get("extension") {
            None => false,
            Some(value) => value.as_bool().ok_or_else(|| format!("{at}: extension is true or false"))?,
        };
        if extension && (one_day.is_some() || two_days.is_some()) {
            return Err(format!("{at}: an extension is in neither class, so it cannot have one_day or two_days"));
        }
        plan.push(Segment { page: page.to_string(), title, teach, exercises: all, one_day, two_days, extension });
    }
    let planned: Vec<u32> = plan.iter().flat_map(|s| s.exercises.iter().map(|e| e.number)).collect();
    if let Some(missing) = exercises.iter().find(|e| !planned.contains(&e.number)) {
        return Err(format!(
            "{PLAN} leaves out exercise {} ({}): add it to a segment's exercises",
            workspace::number(missing),
            missing.slug
        ));
    }
    Ok(Plan { day, segments: plan })
}

/// The plan's `[day]` table.
fn load_day(table: &toml::Table) -> Result<Day, String> {
    let at = format!("{PLAN}, [day]");
    let day = table.get("day").and_then(|v| v.as_table()).ok_or_else(|| {
        format!(
            "{PLAN} has no [day] table (start = \"09:00\", hours = 8, opening, recap and wrap_up in minutes, breaks)"
        )
    })?;
    let minutes = |table: &toml::Table, key: &str, at: &str| -> Result<u32, String> {
        table
            .get(key)
            .and_then(|v| v.as_integer())
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("{at}: {key} = MINUTES is missing"))
    };
    let time = |table: &toml::Table, key: &str, at: &str| -> Result<u32, String> {
        table
            .get(key)
            .and_then(|v| v.as_str())
            .and_then(parse_clock)
            .ok_or_else(|| format!("{at}: {key} = \"HH:MM\" is missing or not a time of day"))
    };
    let start = time(day, "start", &at)?;
    let hours = match day.get("hours") {
        Some(toml::Value::Integer(h)) => *h as f64,
        Some(toml::Value::Float(h)) => *h,
        _ => return Err(format!("{at}: hours = the day's length, breaks included, is missing")),
    };
    let length = (hours * 60.0).round();
    if !(length > 0.0 && f64::from(start) + length <= 24.0 * 60.0) {
        return Err(format!("{at}: a day of {hours} hours from {} does not end on the same day", clock(start)));
    }
    let end = start + length as u32;
    let list = day.get("breaks").and_then(|v| v.as_array()).ok_or_else(|| {
        format!("{at}: breaks = [{{ name = \"Lunch\", at = \"12:15\", minutes = 60 }}, ...] is missing")
    })?;
    let mut breaks = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let at = format!("{at}, break {}", index + 1);
        let item = item.as_table().ok_or_else(|| format!("{at}: a break is {{ name, at, minutes }}"))?;
        let name = item.get("name").and_then(|v| v.as_str()).ok_or_else(|| format!("{at}: name is missing"))?;
        let when = time(item, "at", &at)?;
        if breaks.last().is_some_and(|b: &Break| b.at > when) || !(start..end).contains(&when) {
            return Err(format!("{at}: breaks are listed in the order of the day, between its start and its end"));
        }
        breaks.push(Break { at: when, minutes: minutes(item, "minutes", &at)?, name: name.to_string() });
    }
    Ok(Day {
        start,
        end,
        opening: minutes(day, "opening", &at)?,
        recap: minutes(day, "recap", &at)?,
        wrap_up: minutes(day, "wrap_up", &at)?,
        breaks,
    })
}

/// "HH:MM" as minutes after midnight.
fn parse_clock(text: &str) -> Option<u32> {
    let (hours, minutes) = text.split_once(':')?;
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60 && text.len() == 5).then_some(hours * 60 + minutes)
}

/// A page's first `# ` heading.
fn page_title(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("could not read the page {}: {e}", path.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("# ").map(|t| t.trim().to_string()))
        .ok_or_else(|| format!("the page {} has no `# Title` heading", path.display()))
}

/// How many days the add-ons may take together (Step Functions, Rust and
/// Powertools make more than one).
const ADD_ON_DAYS: usize = 2;

/// Which timetable is being made.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Class {
    OneDay,
    TwoDays,
    /// The add-on segments, taught on a day of their own.
    Extensions,
}

/// What one class holds, before times are given.
fn activities(plan: &[Segment], class: Class) -> Vec<(u32, String)> {
    let mut items = Vec::new();
    for segment in plan.iter().filter(|s| s.taught_in(class)) {
        items.push((segment.teach, format!("Talk: [{}](../{})", segment.title, segment.page)));
        for exercise in segment.kept_in(class) {
            items.push((
                exercise.minutes,
                format!("Exercise {}: [{}](../{})", workspace::number(exercise), exercise.title, exercise.chapter),
            ));
        }
    }
    items
}

/// Lay the activities out into at most `max_days` days, with an opening (a
/// recap after the first day), breaks and a wrap-up in each; or say how many
/// minutes are left over after the last day.
fn lay_out(items: &[(u32, String)], max_days: usize, plan: &Day) -> Result<Vec<Vec<Block>>, String> {
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
            (plan.opening, "Welcome; everyone runs `cargo lab doctor`, then `cargo lab`".to_string())
        } else {
            (plan.recap, format!("Recap of day {}; questions", days.len()))
        };
        let mut day = vec![Block { start: plan.start, minutes: opening.0, what: opening.1 }];
        let mut now = plan.start + opening.0;
        let mut breaks = plan.breaks.iter().peekable();
        while let Some((minutes, what)) = rest.peek() {
            if let Some(next) = breaks.peek()
                && now >= next.at
            {
                day.push(Block { start: now, minutes: next.minutes, what: next.name.clone() });
                now += next.minutes;
                breaks.next();
                continue;
            }
            if now + minutes + plan.wrap_up > plan.end {
                if day.len() == 1 {
                    return Err(format!(
                        "\"{what}\" ({minutes} minutes) does not fit in a day from {} to {}; shorten it in {PLAN}",
                        clock(plan.start),
                        clock(plan.end)
                    ));
                }
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
        day.push(Block { start: now, minutes: plan.wrap_up, what: wrap_up.to_string() });
        days.push(day);
    }
    Ok(days)
}

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The minutes of teaching (everything but the breaks) and of breaks in the
/// days laid out.
fn teaching_and_breaks(days: &[Vec<Block>], plan: &Day) -> (u32, u32) {
    let is_break = |block: &&Block| plan.breaks.iter().any(|b| b.name == block.what);
    let blocks = || days.iter().flatten();
    let breaks: u32 = blocks().filter(is_break).map(|b| b.minutes).sum();
    (blocks().map(|b| b.minutes).sum::<u32>() - breaks, breaks)
}

fn timetable(out: &mut String, days: &[Vec<Block>], plan: &Day) {
    let (teaching, breaks) = teaching_and_breaks(days, plan);
    let _ = writeln!(
        out,
        "\n{} of teaching and exercises, the opening{} and wrap-up{} included, and {} of breaks.",
        hours(teaching),
        if days.len() > 1 { "s" } else { "" },
        if days.len() > 1 { "s" } else { "" },
        hours(breaks)
    );
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
        let end = day.last().map_or(plan.start, |b| b.start + b.minutes);
        let _ = writeln!(out, "| {} | | end of the day |", clock(end));
    }
}

/// The whole page: the minutes table, then both plans.
fn render(plan: &Plan) -> Result<String, String> {
    let (day, segments) = (&plan.day, plan.segments.as_slice());
    let class = |class, days, name| {
        lay_out(&activities(segments, class), days, day).map_err(|e| format!("the {name} class: {e}"))
    };
    let one_day = class(Class::OneDay, 1, "one-day")?;
    let two_days = class(Class::TwoDays, 2, "two-day")?;
    let extensions = activities(segments, Class::Extensions);
    let mut out = String::new();
    out.push_str(
        "# The schedule: one-day and two-day classes\n\n\
         <!-- Written by `cargo lab schedule` from book/course.toml and the exercises' minutes; \
         edit those, not this page. -->\n\n\
         Every chapter is taught as a talk followed by its exercises. The minutes for a talk\n\
         come from the course plan, `book/course.toml`; the minutes for an exercise come from\n\
         its `exercise.toml`. Both are what a learner new to Lambda needs, with the\n\
         instructor in the room: fast learners finish early and move on to the exercises a\n\
         class leaves out. The Instructor notes on the chapters' pages give the same\n\
         minutes (a test holds them to the plan). Change either file and run\n\
         `cargo lab schedule` to write this page again.\n\n",
    );
    let breaks: Vec<String> = day
        .breaks
        .iter()
        .map(|b| format!("{} after {} ({} min)", b.name.to_lowercase(), clock(b.at), b.minutes))
        .collect();
    let _ = writeln!(
        out,
        "A class day runs from {} to {} ({}): {} of teaching and exercises, and {} of\n\
         breaks. Each break is taken at the first gap between two blocks after its time: {}.\n\
         The first day opens with a welcome of {} minutes, each later day with a recap of {}, and\n\
         every day ends with a wrap-up of {}.\n",
        clock(day.start),
        clock(day.end),
        hours(day.end - day.start),
        hours(day.end - day.start - day.break_minutes()),
        hours(day.break_minutes()),
        breaks.join(", "),
        day.opening,
        day.recap,
        day.wrap_up
    );
    out.push_str(
        "## Minutes per chapter and exercise\n\n\
         | chapter or exercise | minutes | one-day class | two-day class |\n|---|---|---|---|\n",
    );
    let yes_no = |kept: bool| if kept { "yes" } else { "no" };
    let mut total = 0;
    for segment in segments {
        let (one, two) = if segment.extension {
            ("no (an add-on)", "no (an add-on)")
        } else {
            (yes_no(segment.taught_in(Class::OneDay)), "yes")
        };
        let _ = writeln!(out, "| Talk: [{}](../{}) | {} | {one} | {two} |", segment.title, segment.page, segment.teach);
        total += segment.teach;
        for exercise in &segment.exercises {
            let kept = |class| segment.kept_in(class).iter().any(|e| e.number == exercise.number);
            let _ = writeln!(
                out,
                "| &nbsp;&nbsp;Exercise {}: [{}](../{}) | {} | {} | {} |",
                workspace::number(exercise),
                exercise.title,
                exercise.chapter,
                exercise.minutes,
                yes_no(kept(Class::OneDay)),
                yes_no(kept(Class::TwoDays))
            );
            total += exercise.minutes;
        }
    }
    let _ = writeln!(out, "| **All of it** | **{total}** ({}) | | |", hours(total));
    let numbers = |class| -> (Vec<String>, Vec<String>) {
        let (kept, left): (Vec<_>, Vec<_>) = segments
            .iter()
            .filter(|s| !s.extension)
            .flat_map(|s| {
                let kept = s.kept_in(class);
                s.exercises.iter().map(move |e| (kept.iter().any(|k| k.number == e.number), workspace::number(e)))
            })
            .partition(|(kept, _)| *kept);
        (kept.into_iter().map(|(_, n)| n).collect(), left.into_iter().map(|(_, n)| n).collect())
    };
    // What a class leaves for self-study: chapters, then exercises.
    let left_out = |chapters: &[String], exercises: &[String]| {
        let (chapters, exercises) = (and_list(chapters), exercises_named(exercises));
        match (chapters.is_empty(), exercises.is_empty()) {
            (true, true) => String::new(),
            (true, false) => format!(" It leaves {exercises} for self-study (or for those who finish early)."),
            (false, true) => format!(" It leaves the chapters {chapters} for self-study."),
            (false, false) => format!(
                " It leaves the chapters {chapters} for self-study, and {exercises} (or for those who finish early)."
            ),
        }
    };
    let (kept, left) = numbers(Class::OneDay);
    let skipped: Vec<String> = segments
        .iter()
        .filter(|s| !s.extension && !s.taught_in(Class::OneDay))
        .map(|s| format!("[{}](../{})", s.title, s.page))
        .collect();
    let _ = writeln!(
        out,
        "\n## A one-day class\n\n\
         The core of the book: {}.{} The book and `cargo lab` work the same without an\n\
         instructor.",
        exercises_named(&kept),
        left_out(&skipped, &left)
    );
    timetable(&mut out, &one_day, day);
    let (kept, left) = numbers(Class::TwoDays);
    let but = if extensions.is_empty() { "" } else { " but the add-ons" };
    let _ = writeln!(
        out,
        "\n## A two-day class\n\nEvery chapter{but}, in the book's order, with {}.{}",
        exercises_named(&kept),
        left_out(&[], &left)
    );
    timetable(&mut out, &two_days, day);
    if !extensions.is_empty() {
        let names: Vec<String> =
            segments.iter().filter(|s| s.extension).map(|s| format!("[{}](../{})", s.title, s.page)).collect();
        let _ = writeln!(
            out,
            "\n## The add-ons: {}\n\n\
             Taught after either class, on days of their own (each add-on can also be taught\n\
             alone), or taken up by learners who finish early.",
            names.join(", ")
        );
        let session = lay_out(&extensions, ADD_ON_DAYS, day).map_err(|e| format!("the add-ons: {e}"))?;
        timetable(&mut out, &session, day);
    }
    Ok(out)
}

/// "exercise 01", "exercises 01, 02 and 03", or nothing.
fn exercises_named(numbers: &[String]) -> String {
    match numbers.len() {
        0 => String::new(),
        1 => format!("exercise {}", numbers[0]),
        _ => format!("exercises {}", and_list(numbers)),
    }
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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

    /// 09:00 to 17:30, a 20-minute opening, 15-minute recap and wrap-up,
    /// breaks at 10:30 (15), 12:15 (60) and 15:00 (15).
    fn day() -> Day {
        let table: toml::Table = r#"
            [day]
            start = "09:00"
            hours = 8.5
            opening = 20
            recap = 15
            wrap_up = 15
            breaks = [
                { name = "Break", at = "10:30", minutes = 15 },
                { name = "Lunch", at = "12:15", minutes = 60 },
                { name = "Break", at = "15:00", minutes = 15 },
            ]
        "#
        .parse()
        .unwrap();
        load_day(&table).unwrap()
    }

    fn exercise(number: u32) -> Exercise {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises/01-first-handler");
        Exercise { number, ..Exercise::load(&dir).unwrap() }
    }

    fn segment(page: &str, one_day: Option<Vec<Exercise>>, extension: bool) -> Segment {
        Segment {
            page: page.into(),
            title: page.into(),
            teach: 10,
            exercises: Vec::new(),
            one_day,
            two_days: None,
            extension,
        }
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
    fn each_class_keeps_the_exercises_it_lists() {
        let mut talk = segment("a.md", Some(vec![exercise(2)]), false);
        talk.exercises = vec![exercise(1), exercise(2), exercise(3)];
        talk.two_days = Some(vec![exercise(3), exercise(1)]);
        let numbers = |talk: &Segment, class| -> Vec<u32> { talk.kept_in(class).iter().map(|e| e.number).collect() };
        assert_eq!(numbers(&talk, Class::OneDay), [2]);
        // In the plan's order, not the list's.
        assert_eq!(numbers(&talk, Class::TwoDays), [1, 3]);
        talk.two_days = None;
        assert_eq!(numbers(&talk, Class::TwoDays), [1, 2, 3], "without two_days, the two-day class keeps them all");
        talk.one_day = None;
        assert!(numbers(&talk, Class::OneDay).is_empty());
        assert_eq!(activities(&[talk], Class::OneDay), []);
    }

    #[test]
    fn the_day_comes_from_the_plan() {
        let day = day();
        assert_eq!((day.start, day.end), (9 * 60, 17 * 60 + 30));
        assert_eq!(day.break_minutes(), 90);
        let days = lay_out(&items(&[40]), 1, &day).unwrap();
        let what: Vec<(String, u32)> = days[0].iter().map(|b| (clock(b.start), b.minutes)).collect();
        assert_eq!(what, [("09:00".to_string(), 20), ("09:20".to_string(), 40), ("10:00".to_string(), 15)]);
        let two = lay_out(&items(&[300, 300]), 2, &day).unwrap();
        assert_eq!((two[1][0].minutes, two[1][0].what.as_str()), (15, "Recap of day 1; questions"));
    }

    #[test]
    fn a_day_that_is_not_a_day_is_refused() {
        let refused = |text: &str, expected: &str| {
            let table: toml::Table = text.parse().unwrap();
            let error = load_day(&table).unwrap_err();
            assert!(error.contains(expected), "{error}");
        };
        let day = |start: &str, hours: &str, breaks: &str| {
            format!(
                "[day]\nstart = \"{start}\"\nhours = {hours}\nopening = 15\nrecap = 15\nwrap_up = 15\nbreaks = [{breaks}]\n"
            )
        };
        refused("[other]\n", "has no [day] table");
        refused(&day("9:00", "8", ""), "start = \"HH:MM\"");
        refused(&day("09:60", "8", ""), "not a time of day");
        refused(&day("20:00", "8", ""), "does not end on the same day");
        refused(&day("09:00", "\"8\"", ""), "hours = the day's length");
        refused(
            &day(
                "09:00",
                "8",
                "{ name = \"Lunch\", at = \"12:15\", minutes = 60 }, { name = \"Break\", at = \"10:30\", minutes = 15 }",
            ),
            "in the order of the day",
        );
        refused(
            &day("09:00", "8", "{ name = \"Late\", at = \"18:00\", minutes = 15 }"),
            "between its start and its end",
        );
        refused(&day("09:00", "8", "{ name = \"Lunch\", at = \"12:15\" }"), "break 1: minutes = MINUTES is missing");
    }

    #[test]
    fn breaks_come_at_the_first_gap_after_their_time() {
        // 09:00 opening (20), then 40-minute items at 09:20 and 10:00. The
        // morning break is due at 10:30, so it waits for the gap at 10:40.
        let days = lay_out(&items(&[40, 40, 40, 40]), 1, &day()).unwrap();
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
        let plan = day();
        // 600 minutes of work cannot fit one day (09:00 to 17:30 less breaks).
        let error = lay_out(&items(&[60; 10]), 1, &plan).unwrap_err();
        assert!(error.contains("does not fit in 1 day: 240 minutes"), "{error}");
        let days = lay_out(&items(&[60; 10]), 2, &plan).unwrap();
        assert_eq!(days.len(), 2);
        for day in &days {
            let end = day.last().map(|b| b.start + b.minutes).unwrap();
            assert!(end <= plan.end, "a day ends at {}", clock(end));
            let taken: Vec<&str> = day.iter().map(|b| b.what.as_str()).filter(|w| *w == "Lunch").collect();
            assert!(taken.len() <= 1);
        }
        assert!(days[1][0].what.starts_with("Recap of day 1"));
        // Items at 09:20 and 10:20, the break at 11:20, an item at 11:35: lunch
        // is due at 12:15 and starts at the next gap, 12:35.
        assert!(days[0].iter().any(|b| b.what == "Lunch" && b.start == 12 * 60 + 35), "{:?}", days[0]);
        // One block longer than a whole day is refused rather than overrun.
        let error = lay_out(&items(&[500]), 3, &plan).unwrap_err();
        assert!(error.contains("\"item 0\" (500 minutes) does not fit in a day from 09:00 to 17:30"), "{error}");
    }

    #[test]
    fn the_page_says_how_long_the_day_is_and_what_each_class_teaches() {
        let mut first = segment("a.md", Some(vec![exercise(1)]), false);
        first.exercises = vec![exercise(1), exercise(2)];
        first.two_days = Some(vec![exercise(2)]);
        let page = render(&Plan { day: day(), segments: vec![first, segment("b.md", None, false)] }).unwrap();
        for line in [
            "A class day runs from 09:00 to 17:30 (8 h 30 min): 7 h 00 min of teaching and exercises, and 1 h 30 min of \
             breaks. Each break is taken at the first gap between two blocks after its time: break after 10:30 (15 min), \
             lunch after 12:15 (60 min), break after 15:00 (15 min). The first day opens with a welcome of 20 minutes",
            "| Talk: [a.md](../a.md) | 10 | yes | yes |",
            "| Talk: [b.md](../b.md) | 10 | no | yes |",
            "Exercise 01: [A first handler](../introduction/first-handler.md) | 20 | yes | no |",
            "Exercise 02: [A first handler](../introduction/first-handler.md) | 20 | no | yes |",
            "The core of the book: exercise 01. It leaves the chapters [b.md](../b.md) for self-study, and exercise 02 \
             (or for those who finish early).",
            "Every chapter, in the book's order, with exercise 02. It leaves exercise 01 for self-study",
            // One day: opening 20, a.md 10, exercise 01 20, b.md left out, wrap-up 15.
            "1 h 05 min of teaching and exercises, the opening and wrap-up included, and 0 h 00 min of breaks.",
        ] {
            assert!(page.replace('\n', " ").contains(line), "missing {line:?} in\n{page}");
        }
    }
}
