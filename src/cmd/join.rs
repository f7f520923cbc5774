//! `cargo lab join http://HOST:PORT CODE [--seat NAME]`: a learner opts in
//! to the instructor's live class view (see [`crate::class`]).
//!
//! Joining sends the progress once, at once, so that a wrong code, a wrong
//! address or a stopped class view is said now, in one line; then saves the
//! membership in `.lab/class.json`, from which the workshop (`cargo lab`)
//! sends the progress each time it changes. `--leave` forgets it (and takes
//! the seat off the instructor's page), `--status` says which class this
//! is, and `--follow` keeps sending from this command until Ctrl-C, for a
//! learner who runs `cargo lab check` rather than `cargo lab`.

use crate::class::protocol::{self, MAX_SEAT};
use crate::class::sender::{self, ClassUrl};
use crate::class::{self, Membership};
use crate::error::CliError;
use crate::workspace::workspace;

#[derive(clap::Args)]
pub(crate) struct JoinArgs {
    /// The class view's address, as on the instructor's screen: http://HOST:PORT
    #[arg(required_unless_present_any = ["leave", "status", "follow"], requires = "code")]
    url: Option<String>,
    /// The class code on the instructor's screen (six letters and digits).
    code: Option<String>,
    /// The label the instructor sees for you, such as "table 4" (letters,
    /// digits, spaces, '.', '_', '-'); by default the class gives one
    /// ("seat 3"). Nothing else about you is sent.
    #[arg(long, value_name = "NAME")]
    seat: Option<String>,
    /// Leave the class: nothing more is sent.
    #[arg(long, conflicts_with_all = ["url", "seat", "status", "follow"])]
    leave: bool,
    /// Say which class you are in.
    #[arg(long, conflicts_with_all = ["url", "seat", "follow"])]
    status: bool,
    /// Keep sending your progress as it changes until Ctrl-C (for when you
    /// run `cargo lab check` rather than `cargo lab`, which sends it itself).
    #[arg(long)]
    follow: bool,
}

pub(crate) fn run(args: JoinArgs) -> Result<(), CliError> {
    let (root, _) = workspace()?;
    if args.leave {
        return leave(&root);
    }
    if args.status {
        match Membership::load(&root) {
            Some(m) => println!(
                "You are in the class at {} as {:?} (code {}); your progress is sent while `cargo lab` runs.",
                m.url, m.seat, m.code
            ),
            None => println!("You are not in a class; join one with cargo lab join http://HOST:PORT CODE."),
        }
        return Ok(());
    }
    if let (Some(url), Some(code)) = (&args.url, &args.code) {
        join(&root, url, code, args.seat.as_deref())?;
    } else if Membership::load(&root).is_none() {
        return Err(CliError::usage(
            "you are not in a class to follow; join one first with cargo lab join http://HOST:PORT CODE --follow",
        ));
    }
    if args.follow {
        println!("Sending your progress each time it changes; Ctrl-C stops.");
        class::start_sender(&root);
        loop {
            std::thread::park();
        }
    }
    Ok(())
}

fn join(root: &std::path::Path, url: &str, code: &str, seat: Option<&str>) -> Result<(), CliError> {
    let url = ClassUrl::parse(url).map_err(CliError::Usage)?;
    let code = class::normalize_code(code).ok_or_else(|| {
        CliError::usage(format!(
            "{code:?} is not a class code: it is {} letters and digits, such as K7QW3M, as on the instructor's screen",
            class::CODE_LENGTH
        ))
    })?;
    if let Some(label) = seat.filter(|s| !protocol::valid_seat(s)) {
        return Err(CliError::usage(format!(
            "{label:?} cannot be a seat label: use 1 to {MAX_SEAT} letters, digits, single spaces, '.', '_' or '-', such as \"table 4\""
        )));
    }
    // Joining the same class again keeps the token and the seat, so the
    // instructor sees the same row.
    let earlier = Membership::load(root).filter(|m| m.url == url.as_str() && m.code == code);
    let learner = match &earlier {
        Some(m) => m.learner.clone(),
        None => class::new_token().map_err(CliError::Failed)?,
    };
    let wanted = seat.map(str::to_string).or_else(|| earlier.map(|m| m.seat));
    // A damaged progress file is set aside here, saying so, rather than
    // quietly by the send.
    let _ = crate::workspace::load_progress(root);
    let given = sender::send_report(root, &url, &code, &learner, wanted.as_deref())
        .map_err(|e| CliError::Failed(e.explain(&url.as_str(), &code, wanted.as_deref())))?;
    Membership { url: url.as_str(), code, learner, seat: given.clone() }.save(root).map_err(CliError::Failed)?;
    println!(
        "Joined the class at {} as {given:?}: your progress is sent each time it changes while `cargo lab` runs (cargo lab join --leave stops it).",
        url.as_str()
    );
    Ok(())
}

fn leave(root: &std::path::Path) -> Result<(), CliError> {
    let Some(membership) = Membership::load(root) else {
        Membership::remove(root).map_err(CliError::Failed)?;
        println!("You are not in a class; nothing is sent.");
        return Ok(());
    };
    Membership::remove(root).map_err(CliError::Failed)?;
    // Best effort: the seat leaves the instructor's page at once if the
    // class view is there; if not, nothing more is sent anyway.
    let told = ClassUrl::parse(&membership.url)
        .ok()
        .and_then(|url| sender::post(&url, "/leave", &membership.code, &protocol::leave_body(&membership.learner)).ok())
        .is_some_and(|(status, _)| status == 200);
    let seat = if told { "your seat is off the instructor's page" } else { "the class view was not told" };
    println!("Left the class at {}: nothing more is sent ({seat}).", membership.url);
    Ok(())
}
