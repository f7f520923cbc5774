//! `cargo lab report [--json]`: the progress an instructor collects, one row
//! per exercise: status, attempts, hints shown, first and last attempt (UTC).
//! Nothing personal: no names, no paths, no code.

use super::list::{column_widths, summary};
use crate::error::CliError;
use crate::progress::Progress;
use crate::workspace::{load_progress, number, workspace};
use harness::exercise::Exercise;
use serde_json::{Value, json};

/// One JSON object per exercise: what `report --json` prints and what the
/// class view is sent (`crate::class`), so the two cannot drift apart.
pub(crate) fn rows(exercises: &[Exercise], progress: &Progress) -> Vec<Value> {
    exercises
        .iter()
        .map(|e| {
            let entry = progress.get(&e.slug);
            json!({
                "number": e.number,
                "id": e.slug,
                "title": e.title,
                "status": entry.status.as_str(),
                "attempts": entry.attempts,
                "firstAttempt": entry.first_attempt,
                "lastAttempt": entry.last_attempt,
                "hintsShown": entry.hints_shown,
            })
        })
        .collect()
}

#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: ReportArgs) -> Result<(), CliError> {
    let (root, exercises) = workspace()?;
    let progress = load_progress(&root);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows(&exercises, &progress)).expect("plain JSON"));
        return Ok(());
    }
    println!("Workshop progress: {}\n", summary(&exercises, &progress));
    let (id_width, title_width) = column_widths(&exercises);
    let header = format!(
        "  {:<4} {:<id_width$}  {:<title_width$}  {:<11}  {:>8}  {:>5}  {:<20}  {}",
        "no.", "id", "title", "status", "attempts", "hints", "first attempt (UTC)", "last attempt (UTC)"
    );
    println!("{}", header.trim_end());
    for e in &exercises {
        let entry = progress.get(&e.slug);
        let row = format!(
            "  {:<4} {:<id_width$}  {:<title_width$}  {:<11}  {:>8}  {:>5}  {:<20}  {}",
            number(e),
            e.slug,
            e.title,
            entry.status.as_str(),
            entry.attempts,
            entry.hints_shown,
            entry.first_attempt.as_deref().unwrap_or("-"),
            entry.last_attempt.as_deref().unwrap_or("-")
        );
        println!("{}", row.trim_end());
    }
    println!("\nFor a spreadsheet or a script: cargo lab report --json");
    Ok(())
}
