//! The path one execution took, read from its history: which states it
//! entered, which transitions it followed (and whether a Catcher took it
//! there), how often each state was retried, and which states failed.
//!
//! The history is flat: a Map's iterations and a Parallel state's branches
//! write their states' events between the Map's or the Parallel's own. So the
//! reader keeps a stack of the state visits still open. A visit ends with its
//! `...StateExited`; one that ends without it (its error was not caught, so
//! the Map iteration, the Parallel state or the execution failed) is a failed
//! state. An attempt starts with `LambdaFunctionScheduled` or `TaskScheduled`
//! (a Task), `MapStateStarted` or `ParallelStateStarted`; every attempt after
//! the first in one visit is a retry. A visit that exits after its last
//! attempt failed was caught, and the transition it then takes is the
//! Catcher's.
//!
//! State names are unique in a whole machine (nested ones included), so the
//! path names states without saying which scope they are in. A distributed
//! Map runs each item as a child execution whose events are not in this
//! history: its inner states are shown as not entered.

use std::collections::{BTreeMap, BTreeSet};
use step_functions::history::Event;
use step_functions::runner::{Execution, Status};

/// What happened to one state over the whole execution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateRecord {
    /// How many times it was entered (a Map's inner states: once per item).
    pub entered: u32,
    /// Attempts after the first, over all its visits.
    pub retries: u32,
    /// A visit ended with an error no Catcher took.
    pub failed: bool,
    /// A visit ended with an error a Catcher took.
    pub caught: bool,
}

/// The path an execution took through its machine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionPath {
    /// SUCCEEDED, FAILED or TIMED_OUT.
    pub status: String,
    pub states: BTreeMap<String, StateRecord>,
    /// Transitions followed, as (from, to, through a Catcher).
    pub transitions: BTreeSet<(String, String, bool)>,
    /// States after which their scope ended (a state with End, a Succeed
    /// state, an entered Fail state).
    pub ended: BTreeSet<String>,
}

/// One state visit still open while the history is read.
struct Visit {
    name: String,
    state_type: String,
    attempts: u32,
    last_attempt_failed: bool,
}

/// Events that start one attempt of a Task, Map or Parallel state.
const ATTEMPT_STARTS: [&str; 4] =
    ["LambdaFunctionScheduled", "TaskScheduled", "MapStateStarted", "ParallelStateStarted"];

impl ExecutionPath {
    /// The path of a finished execution.
    pub fn from_execution(execution: &Execution) -> ExecutionPath {
        let status = match execution.status {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        };
        ExecutionPath { status: status.to_string(), ..ExecutionPath::from_history(&execution.history.events) }
    }

    /// The path written in `events`; `status` is left empty.
    pub fn from_history(events: &[Event]) -> ExecutionPath {
        let mut path = ExecutionPath::default();
        let mut open: Vec<Visit> = Vec::new();
        for (index, event) in events.iter().enumerate() {
            let kind = event.kind.as_str();
            let name = || {
                event
                    .details
                    .as_ref()
                    .and_then(|d| d.get("name"))
                    .and_then(|n| n.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            if let Some(state_type) = kind.strip_suffix("StateEntered") {
                let name = name();
                path.states.entry(name.clone()).or_default().entered += 1;
                if state_type == "Fail" {
                    path.ended.insert(name.clone());
                }
                open.push(Visit { name, state_type: state_type.to_string(), attempts: 0, last_attempt_failed: false });
            } else if kind.ends_with("StateExited") {
                let name = name();
                // Visits opened after this one and never exited failed.
                while let Some(visit) = open.pop() {
                    if visit.name == name {
                        let record = path.states.entry(name.clone()).or_default();
                        record.retries += visit.attempts.saturating_sub(1);
                        record.caught |= visit.last_attempt_failed;
                        match events.get(index + 1).map(|next| (next.kind.as_str(), next)) {
                            Some((next_kind, next)) if next_kind.ends_with("StateEntered") => {
                                let to = next
                                    .details
                                    .as_ref()
                                    .and_then(|d| d.get("name"))
                                    .and_then(|n| n.as_str())
                                    .unwrap_or_default();
                                path.transitions.insert((name.clone(), to.to_string(), visit.last_attempt_failed));
                            }
                            _ => {
                                path.ended.insert(name.clone());
                            }
                        }
                        break;
                    }
                    path.fail(&visit);
                }
            } else if ATTEMPT_STARTS.contains(&kind) {
                if kind.starts_with("Map") || kind.starts_with("Parallel") {
                    path.close_to_container(&mut open);
                }
                if let Some(visit) = open.last_mut() {
                    visit.attempts += 1;
                    visit.last_attempt_failed = false;
                }
            } else if kind == "MapStateFailed" || kind == "ParallelStateFailed" {
                path.close_to_container(&mut open);
                if let Some(visit) = open.last_mut() {
                    visit.last_attempt_failed = true;
                }
            } else if kind.starts_with("MapIteration")
                || kind.starts_with("MapRun")
                || kind.starts_with("MapState")
                || kind.starts_with("ParallelState")
            {
                path.close_to_container(&mut open);
            } else if kind.starts_with("Execution") && kind != "ExecutionStarted" {
                // The execution ended: whatever is still open failed with it.
                while let Some(visit) = open.pop() {
                    path.fail(&visit);
                }
            } else if kind.ends_with("Failed") || kind.ends_with("TimedOut") {
                // A Task attempt's error (LambdaFunctionFailed, TaskTimedOut...).
                if let Some(visit) = open.last_mut() {
                    visit.last_attempt_failed = true;
                }
            }
        }
        path
    }

    /// Close the visits opened inside the innermost open Map or Parallel
    /// state: they ended without exiting, so they failed.
    fn close_to_container(&mut self, open: &mut Vec<Visit>) {
        while let Some(visit) = open.last() {
            if visit.state_type == "Map" || visit.state_type == "Parallel" {
                return;
            }
            let visit = open.pop().expect("just looked at it");
            self.fail(&visit);
        }
    }

    /// A visit that ended without exiting: it failed.
    fn fail(&mut self, visit: &Visit) {
        let record = self.states.entry(visit.name.clone()).or_default();
        record.retries += visit.attempts.saturating_sub(1);
        record.failed = true;
    }

    /// The record of `state`, if the execution entered it.
    pub fn state(&self, state: &str) -> Option<&StateRecord> {
        self.states.get(state)
    }

    /// Whether the execution went from `from` to `to`, through a Catcher
    /// (`caught`) or not.
    pub fn took(&self, from: &str, to: &str, caught: bool) -> bool {
        self.transitions.contains(&(from.to_string(), to.to_string(), caught))
    }
}
