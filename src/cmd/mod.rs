//! The commands of `cargo lab`, one file each; `main` picks one. The bare
//! `cargo lab` is [`workshop`].

pub(crate) mod book;
pub(crate) mod check;
pub(crate) mod class;
pub(crate) mod doctor;
pub(crate) mod events;
pub(crate) mod hint;
pub(crate) mod invoke;
pub(crate) mod join;
pub(crate) mod list;
pub(crate) mod report;
pub(crate) mod reset;
pub(crate) mod schedule;
pub(crate) mod setup;
pub(crate) mod solution;
pub(crate) mod states;
pub(crate) mod workshop;

/// The arguments of a command about one exercise (`hint`, `reset`).
#[derive(clap::Args)]
pub(crate) struct IdArgs {
    /// The exercise: its number (06) or its id (s3-events); without it, the
    /// one you are on (the workshop's current one, or the last one checked).
    pub(crate) id: Option<String>,
}

/// The exercise a command without a name took, said on a line of its own,
/// so a learner who meant another knows at once.
pub(crate) fn say_chosen(command: &str, exercise: &harness::exercise::Exercise, chosen: bool) {
    if chosen {
        println!(
            "(exercise {}, {}: the one you are on; name another like `cargo lab {command} 07`)\n",
            crate::workspace::number(exercise),
            exercise.title,
        );
    }
}
