//! Pictures of Step Functions state machines, as the console draws them:
//! a Start and an End marker, a box per state, arrows for Next, each Choice
//! rule (labelled with its rule, or a JSONata Condition's text) and Default,
//! each Catcher (dashed, labelled with its errors), a Retrier as a loop mark
//! on its state, and Map and Parallel states as boxes holding their inner
//! states. With an execution, the states it entered and the transitions it
//! took are coloured, retried states say how often, a caught error's arrow
//! and a failed state stand out. `cargo lab states graph` writes one; the
//! book's chaining pages show the exercises' machines drawn with it.
//!
//! - `model`: what the picture shows, read from the JSON definition;
//! - `path`: the path of one execution, read from its history;
//! - `layout`: the geometry, laid out by layout-rs, nested boxes inside out;
//! - `svg`: the drawing as SVG that reads in light and dark themes and in
//!   print.
//!
//! # The layout library
//!
//! Two Sugiyama-style (layered) layout crates were tried on the same graph
//! (a machine with a loop, a Choice, a Parallel state and a Catch).
//! `rust-sugiyama` (0.4) ranks, orders and places vertices and returns
//! coordinates for them alone: the dummy vertices it puts on long edges are
//! dropped from its answer, so every edge would have to be routed again here
//! (straight lines between layers cross boxes), and on that graph vertices
//! given 120 px widths came back 80 px apart, overlapping. `layout-rs`
//! (0.1.3) does the same layering, breaks cycles by reversing edges, routes
//! every edge through virtual nodes as a smooth curve that ends on the box
//! it points at, keeps each box's size and the spacing it is given, and has
//! no dependencies. It is the one used. Its SVG writer is not: layout-rs
//! draws through a `RenderBackend` trait, and `layout` implements one that
//! only records where the boxes and arrows went, so the picture's look is
//! this crate's own. `layout`'s doc says how Map and Parallel boxes are laid
//! out inside out, and how edge labels get their room.

mod layout;
mod model;
mod path;
mod svg;

pub use layout::{Anchor, Drawing, P, Shape, draw_scope, text_width};
pub use model::{Edge, EdgeKind, Node, NodeKind, Scope, rule_text, wrap};
pub use path::{ExecutionPath, StateRecord};
pub use step_functions::validate::Diagnostic;

use serde_json::Value;

/// The machine `definition` drawn as SVG, with the path of one execution of
/// it coloured when one is given. An invalid definition is not drawn: Err
/// holds its problems, as `step_functions::validate` reports them.
pub fn draw(definition: &Value, path: Option<&ExecutionPath>) -> Result<String, Vec<Diagnostic>> {
    let drawing = lay_out(definition, path)?;
    let title = match definition.get("Comment").and_then(Value::as_str) {
        Some(comment) => format!("State machine: {comment}"),
        None => "State machine".to_string(),
    };
    Ok(svg::write(&drawing, &title))
}

/// The machine's picture as shapes, before it is written as SVG.
pub fn lay_out(definition: &Value, path: Option<&ExecutionPath>) -> Result<Drawing, Vec<Diagnostic>> {
    let problems = step_functions::validate::validate(definition);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(draw_scope(&Scope::machine(definition), path))
}
