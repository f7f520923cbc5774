//! Geometry: each scope of the model laid out by layout-rs, and drawn as a
//! list of shapes in its own coordinates.
//!
//! A scope is laid out from the inside out. A Map or Parallel node's inner
//! scopes are drawn first; the node is then one box of the outer layout,
//! as large as its header plus its inner drawings side by side, and the
//! inner drawings are copied into it, translated to where the box landed.
//! layout-rs never sees the inner states, so no outer arrow can be routed
//! through a Map's insides.
//!
//! A labelled edge (a Choice rule, a Default, a Catcher) is given to
//! layout-rs as two edges through a node of its own, sized to the label:
//! the layout then keeps labels apart from each other and from the states,
//! and the label sits in a gap of its line. layout-rs's own label connectors
//! would do the same but give no way to tell which label landed where.
//!
//! layout-rs draws through a [`RenderBackend`]; [`Recorder`] is one that only
//! writes down where each box and each arrow went (by the `properties` string
//! every element and arrow is given), and this module draws the picture
//! itself from those positions, so the look (classes for CSS, arrowheads
//! as shapes, no ids) is ours.

use crate::model::{EdgeKind, Node, NodeKind, Scope};
use crate::path::ExecutionPath;
use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use std::collections::HashMap;

/// A point in the picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct P {
    pub x: f64,
    pub y: f64,
}

impl P {
    fn new(x: f64, y: f64) -> P {
        P { x, y }
    }
    fn shift(self, by: P) -> P {
        P::new(self.x + by.x, self.y + by.y)
    }
}

/// How a text lines up with its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
}

/// One shape of a drawing; `class` names its look in the picture's CSS.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        radius: f64,
        class: String,
    },
    /// One line of text; `y` is its baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        class: String,
        anchor: Anchor,
    },
    /// A line of cubic Bézier segments (control, control, end) from `start`.
    Curve {
        start: P,
        segments: Vec<[P; 3]>,
        class: String,
    },
    Polygon {
        points: Vec<P>,
        class: String,
    },
}

impl Shape {
    fn shifted(&self, by: P) -> Shape {
        match self {
            Shape::Rect { x, y, width, height, radius, class } => Shape::Rect {
                x: x + by.x,
                y: y + by.y,
                width: *width,
                height: *height,
                radius: *radius,
                class: class.clone(),
            },
            Shape::Text { x, y, text, class, anchor } => {
                Shape::Text { x: x + by.x, y: y + by.y, text: text.clone(), class: class.clone(), anchor: *anchor }
            }
            Shape::Curve { start, segments, class } => Shape::Curve {
                start: start.shift(by),
                segments: segments.iter().map(|s| s.map(|p| p.shift(by))).collect(),
                class: class.clone(),
            },
            Shape::Polygon { points, class } => {
                Shape::Polygon { points: points.iter().map(|p| p.shift(by)).collect(), class: class.clone() }
            }
        }
    }
}

/// Shapes in a box from (0, 0) to (width, height).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
    /// Where each node of the scope landed (boxes as drawn), by node index;
    /// the tests check edges against them.
    pub boxes: Vec<(f64, f64, f64, f64)>,
    /// Where each edge label landed, by edge index (None: unlabelled).
    pub label_boxes: Vec<Option<(f64, f64, f64, f64)>>,
    /// Where each edge starts and where its arrowhead's tip is, by edge
    /// index (None if layout-rs gave it no path).
    pub edge_ends: Vec<Option<(P, P)>>,
}

impl Drawing {
    fn extend_shifted(&mut self, other: &Drawing, by: P) {
        self.shapes.extend(other.shapes.iter().map(|shape| shape.shifted(by)));
    }
}

// Sizes, in pixels (1 px = 1 SVG user unit).
/// The state name's font size; other texts are [`SMALL`].
const NAME: f64 = 14.0;
const SMALL: f64 = 12.0;
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
const MIN_WIDTH: f64 = 110.0;
/// The loop icon before each Retry line, and the gap after it.
const ICON: f64 = 11.0;
const ICON_GAP: f64 = 5.0;
/// The room around an inner scope in a Map or Parallel box.
const LANE_PAD: f64 = 10.0;
const LANE_GAP: f64 = 14.0;
/// The margin around a whole scope's drawing.
const MARGIN: f64 = 8.0;
/// The free room layout-rs keeps around each box (split on both sides).
const STATE_HALO: (f64, f64) = (36.0, 40.0);
const LABEL_HALO: (f64, f64) = (14.0, 18.0);
/// How far a loop back to the same state reaches out of its box.
const LOOP_OUT: f64 = 16.0;
const ARROW_LENGTH: f64 = 9.0;
const ARROW_HALF_WIDTH: f64 = 4.5;

/// The width `text` takes at `size` px. An estimate that errs wide: the
/// picture is read with whatever sans-serif (or monospace) font the reader
/// has, so the widths are DejaVu's, one of the widest.
pub fn text_width(text: &str, size: f64, mono: bool) -> f64 {
    if mono {
        return text.chars().count() as f64 * 0.61 * size;
    }
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.32,
            'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' => 0.42,
            'm' | 'w' => 0.98,
            'M' | 'W' | '%' | '@' => 1.0,
            c if c.is_ascii_uppercase() => 0.78,
            c if c.is_ascii() => 0.64,
            _ => 0.9,
        })
        .sum();
    em * size
}

/// The lines of a state's box, with their font size, class and font.
struct Line {
    text: String,
    size: f64,
    class: &'static str,
    mono: bool,
    /// A Retry line starts with the loop icon.
    icon: bool,
}

impl Line {
    fn width(&self) -> f64 {
        text_width(&self.text, self.size, self.mono) + if self.icon { ICON + ICON_GAP } else { 0.0 }
    }
    fn height(&self) -> f64 {
        (self.size * 1.35).round()
    }
}

/// The drawing of a whole scope: its nodes laid out by layout-rs, its edges
/// routed, everything shifted so the drawing starts at (0, 0).
pub fn draw_scope(scope: &Scope, path: Option<&ExecutionPath>) -> Drawing {
    let edge_classes: Vec<String> = scope.edges.iter().map(|edge| edge_class(scope, edge, path)).collect();
    // An edge back to its own state is no edge for the layout: it is drawn
    // on its node, a line of the box with a loop on the box's side.
    let looping = |k: usize| scope.edges[k].from == scope.edges[k].to;
    let contents: Vec<Drawing> = scope
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let loops: Vec<(String, &str)> = (0..scope.edges.len())
                .filter(|&k| looping(k) && scope.edges[k].from == i)
                .map(|k| (scope.edges[k].label.join(" "), edge_classes[k].as_str()))
                .collect();
            draw_node(node, path, &loops)
        })
        .collect();
    let labels: Vec<Option<Drawing>> = scope
        .edges
        .iter()
        .enumerate()
        .map(|(k, edge)| (!edge.label.is_empty() && !looping(k)).then(|| draw_label(&edge.label)))
        .collect();

    let mut graph = VisualGraph::new(Orientation::TopToBottom);
    let element = |id: String, width: f64, height: f64, halo: (f64, f64)| {
        let mut element = Element::create_with_properties(
            ShapeKind::Box(String::new()),
            StyleAttr::simple(),
            Orientation::TopToBottom,
            Point::new(width, height),
            id,
        );
        element.pos =
            Position::new(Point::zero(), Point::new(width, height), Point::zero(), Point::new(halo.0, halo.1));
        element
    };
    let handles: Vec<_> = contents
        .iter()
        .enumerate()
        .map(|(i, content)| graph.add_node(element(format!("n{i}"), content.width, content.height, STATE_HALO)))
        .collect();
    for (k, edge) in scope.edges.iter().enumerate() {
        let (from, to) = (handles[edge.from], handles[edge.to]);
        if looping(k) {
            continue;
        }
        match &labels[k] {
            None => graph.add_edge(Arrow::simple_with_properties("", format!("e{k}")), from, to),
            Some(label) => {
                let middle = graph.add_node(element(format!("l{k}"), label.width, label.height, LABEL_HALO));
                graph.add_edge(Arrow::simple_with_properties("", format!("e{k}a")), from, middle);
                graph.add_edge(Arrow::simple_with_properties("", format!("e{k}b")), middle, to);
            }
        }
    }
    let mut recorder = Recorder::default();
    graph.do_it(false, false, false, &mut recorder);

    let mut drawing = Drawing::default();
    let rect = |id: &str| recorder.rects.get(id).copied().unwrap_or((P::new(0.0, 0.0), P::new(0.0, 0.0)));
    for (i, content) in contents.iter().enumerate() {
        let (at, _) = rect(&format!("n{i}"));
        drawing.boxes.push((at.x, at.y, content.width, content.height));
        drawing.extend_shifted(content, at);
    }
    for (k, label) in labels.iter().enumerate() {
        let placed = label.as_ref().map(|label| {
            let (at, _) = rect(&format!("l{k}"));
            let mut label = label.clone();
            for shape in &mut label.shapes {
                if let Shape::Text { class, .. } = shape {
                    class.push(' ');
                    class.push_str(&edge_classes[k].replace("edge", "label"));
                }
            }
            drawing.extend_shifted(&label, at);
            (at.x, at.y, label.width, label.height)
        });
        drawing.label_boxes.push(placed);
    }
    for (k, class) in edge_classes.iter().enumerate() {
        let pieces: Vec<String> =
            if labels[k].is_some() { vec![format!("e{k}a"), format!("e{k}b")] } else { vec![format!("e{k}")] };
        let mut ends = (None, None);
        for (n, id) in pieces.iter().enumerate() {
            let Some((start, segments)) = recorder.arrows.get(id) else { continue };
            let last = n + 1 == pieces.len();
            if n == 0 {
                ends.0 = Some(*start);
            }
            if last {
                ends.1 = segments.last().map(|segment| segment[2]);
            }
            drawing.shapes.extend(edge_shapes(*start, segments.clone(), class, last));
        }
        drawing.edge_ends.push(match ends {
            (Some(start), Some(tip)) => Some((start, tip)),
            _ => None,
        });
    }
    normalise(&mut drawing);
    drawing
}

/// The classes of an edge: its kind, and with an execution whether it was
/// taken (a Catcher's edge, whether it caught the error).
fn edge_class(scope: &Scope, edge: &crate::model::Edge, path: Option<&ExecutionPath>) -> String {
    let mut class = String::from("edge");
    if edge.kind == EdgeKind::Catch {
        class.push_str(" catch");
    }
    let Some(path) = path else { return class };
    let (from, to) = (&scope.nodes[edge.from], &scope.nodes[edge.to]);
    let taken = match edge.kind {
        EdgeKind::Start => path.state(&to.name).is_some(),
        EdgeKind::End => path.ended.contains(&from.name),
        EdgeKind::Catch => path.took(&from.name, &to.name, true),
        EdgeKind::Next | EdgeKind::Choice | EdgeKind::Default => path.took(&from.name, &to.name, false),
    };
    if taken {
        class.push_str(if edge.kind == EdgeKind::Catch { " caught" } else { " taken" });
    }
    class
}

/// An edge's line and, on its last piece, its arrowhead.
fn edge_shapes(start: P, mut segments: Vec<[P; 3]>, class: &str, head: bool) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let Some(last) = segments.last_mut() else { return shapes };
    if head {
        let tip = last[2];
        let from = [last[1], last[0], start].into_iter().find(|p| distance(*p, tip) > 0.5).unwrap_or(start);
        let length = distance(from, tip).max(f64::EPSILON);
        let (dx, dy) = ((tip.x - from.x) / length, (tip.y - from.y) / length);
        let base = P::new(tip.x - dx * ARROW_LENGTH, tip.y - dy * ARROW_LENGTH);
        // The line stops inside the head, so its end does not poke past the tip.
        let back = ARROW_LENGTH * 0.6;
        last[2] = P::new(tip.x - dx * back, tip.y - dy * back);
        last[1] = P::new(last[1].x - dx * back, last[1].y - dy * back);
        shapes.push(Shape::Polygon {
            points: vec![
                tip,
                P::new(base.x - dy * ARROW_HALF_WIDTH, base.y + dx * ARROW_HALF_WIDTH),
                P::new(base.x + dy * ARROW_HALF_WIDTH, base.y - dx * ARROW_HALF_WIDTH),
            ],
            class: class.replace("edge", "head"),
        });
    }
    shapes.insert(0, Shape::Curve { start, segments, class: class.to_string() });
    shapes
}

fn distance(a: P, b: P) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Shift every shape so the drawing's top-left corner is at (MARGIN, MARGIN),
/// and size the drawing to hold them all.
fn normalise(drawing: &mut Drawing) {
    let mut points = Vec::new();
    for shape in &drawing.shapes {
        match shape {
            Shape::Rect { x, y, width, height, .. } => {
                points.push(P::new(*x, *y));
                points.push(P::new(x + width, y + height));
            }
            Shape::Text { .. } => {}
            Shape::Curve { start, segments, .. } => {
                points.push(*start);
                points.extend(segments.iter().flatten().copied());
            }
            Shape::Polygon { points: corners, .. } => points.extend(corners.iter().copied()),
        }
    }
    // A label has no rectangle of its own, only text: its box counts.
    for (x, y, width, height) in drawing.label_boxes.iter().flatten() {
        points.push(P::new(*x, *y));
        points.push(P::new(x + width, y + height));
    }
    let min_x = points.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
    let min_y = points.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
    let max_x = points.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
    let max_y = points.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
    if !min_x.is_finite() {
        return;
    }
    let by = P::new(MARGIN - min_x, MARGIN - min_y);
    drawing.shapes = drawing.shapes.iter().map(|shape| shape.shifted(by)).collect();
    for b in &mut drawing.boxes {
        b.0 += by.x;
        b.1 += by.y;
    }
    for b in drawing.label_boxes.iter_mut().flatten() {
        b.0 += by.x;
        b.1 += by.y;
    }
    for (start, tip) in drawing.edge_ends.iter_mut().flatten() {
        *start = start.shift(by);
        *tip = tip.shift(by);
    }
    drawing.width = (max_x - min_x + 2.0 * MARGIN).ceil();
    drawing.height = (max_y - min_y + 2.0 * MARGIN).ceil();
}

/// An edge label: its lines, centred, in a box of their size.
fn draw_label(lines: &[String]) -> Drawing {
    let line_height = (SMALL * 1.3).round();
    let width = lines.iter().map(|line| text_width(line, SMALL, true)).fold(0.0, f64::max) + 8.0;
    let height = line_height * lines.len() as f64 + 4.0;
    let shapes = lines
        .iter()
        .enumerate()
        .map(|(i, line)| Shape::Text {
            x: width / 2.0,
            y: 2.0 + line_height * i as f64 + SMALL,
            text: line.clone(),
            class: "rule".to_string(),
            anchor: Anchor::Middle,
        })
        .collect();
    Drawing { width, height, shapes, ..Drawing::default() }
}

/// One node as a drawing of its own, its box from (0, 0).
/// `loops` are the node's edges back to itself: label and classes.
fn draw_node(node: &Node, path: Option<&ExecutionPath>, loops: &[(String, &str)]) -> Drawing {
    if node.kind != NodeKind::State {
        let width = text_width(&node.name, SMALL, false) + 26.0;
        let height = 24.0;
        return Drawing {
            width,
            height,
            shapes: vec![
                Shape::Rect { x: 0.0, y: 0.0, width, height, radius: height / 2.0, class: "marker".to_string() },
                Shape::Text {
                    x: width / 2.0,
                    y: height / 2.0 + SMALL * 0.36,
                    text: node.name.clone(),
                    class: "marker-name".to_string(),
                    anchor: Anchor::Middle,
                },
            ],
            ..Drawing::default()
        };
    }
    let record = path.and_then(|path| path.state(&node.name));
    let mut lines = vec![Line { text: node.name.clone(), size: NAME, class: "name", mono: false, icon: false }];
    let subtitle = match &node.detail {
        Some(detail) => format!("{} · {detail}", node.state_type),
        None => node.state_type.clone(),
    };
    lines.push(Line { text: subtitle, size: SMALL, class: "type", mono: false, icon: false });
    for retry in &node.retries {
        lines.push(Line { text: retry.clone(), size: SMALL, class: "retry", mono: false, icon: true });
    }
    for (label, _) in loops {
        lines.push(Line { text: label.clone(), size: SMALL, class: "rule", mono: true, icon: false });
    }
    if let Some(record) = record {
        if record.retries > 0 {
            let times = if record.retries == 1 { "once".to_string() } else { format!("{} times", record.retries) };
            lines.push(Line {
                text: format!("retried {times}"),
                size: SMALL,
                class: "retried",
                mono: false,
                icon: false,
            });
        }
        if record.failed {
            lines.push(Line { text: "failed".to_string(), size: SMALL, class: "failed", mono: false, icon: false });
        }
        if record.entered > 1 {
            let text = format!("entered {} times", record.entered);
            lines.push(Line { text, size: SMALL, class: "type", mono: false, icon: false });
        }
    }
    let inner: Vec<Drawing> = node.inner.iter().map(|scope| draw_scope(scope, path)).collect();
    let header_height: f64 = lines.iter().map(Line::height).sum::<f64>() + 2.0 * PAD_Y;
    // A loop's label keeps clear of the loop drawn over the box's right side.
    let loop_room = if loops.is_empty() { 0.0 } else { LOOP_OUT };
    let text_width = lines.iter().map(Line::width).fold(0.0, f64::max) + 2.0 * PAD_X + loop_room;
    let lanes_width = inner.iter().map(|d| d.width + 2.0 * LANE_PAD).sum::<f64>()
        + LANE_GAP * inner.len().saturating_sub(1) as f64
        + 2.0 * PAD_X;
    let lane_title = if node.state_type == "Parallel" { SMALL * 1.4 } else { 0.0 };
    let lanes_height = inner.iter().map(|d| d.height).fold(0.0, f64::max) + 2.0 * LANE_PAD + lane_title;
    let width = text_width.max(MIN_WIDTH).max(if inner.is_empty() { 0.0 } else { lanes_width }).ceil();
    let height = (header_height + if inner.is_empty() { 0.0 } else { lanes_height + PAD_Y }).ceil();

    let mut class = String::from("box");
    if let Some(record) = record {
        class.push_str(if record.failed { " failed" } else { " entered" });
    }
    let mut drawing = Drawing { width, height, ..Drawing::default() };
    drawing.shapes.push(Shape::Rect { x: 0.0, y: 0.0, width, height, radius: 6.0, class });
    let mut y = PAD_Y;
    for line in &lines {
        let baseline = y + line.size;
        let mut x = PAD_X;
        if line.icon {
            let retried = record.is_some_and(|r| r.retries > 0);
            drawing.shapes.extend(retry_icon(P::new(x, baseline - ICON * 0.85), retried));
            x += ICON + ICON_GAP;
        }
        let (x, anchor) = if line.class == "name" { (width / 2.0, Anchor::Middle) } else { (x, Anchor::Start) };
        drawing.shapes.push(Shape::Text {
            x,
            y: baseline,
            text: line.text.clone(),
            class: line.class.to_string(),
            anchor,
        });
        y += line.height();
    }
    // Each loop's arc, out of the right side and back in beside its line.
    let first_loop_line = lines.len() - loops.len();
    let mut y = PAD_Y + lines[..first_loop_line].iter().map(Line::height).sum::<f64>();
    for (n, (label, class)) in loops.iter().enumerate() {
        let middle = y + lines[first_loop_line + n].height() / 2.0;
        y += lines[first_loop_line + n].height();
        let (top, bottom) = (P::new(width, middle - 7.0), P::new(width, middle + 7.0));
        let segments = vec![[P::new(width + LOOP_OUT, top.y - 4.0), P::new(width + LOOP_OUT, bottom.y + 4.0), bottom]];
        let mut class = class.to_string();
        if label.is_empty() {
            class.push_str(" loop");
        }
        drawing.shapes.extend(edge_shapes(top, segments, &class, true));
        let last = drawing.shapes.len();
        if let Some(Shape::Text { class: text_class, .. }) =
            drawing.shapes.iter_mut().take(last).rev().find(|s| matches!(s, Shape::Text { text, .. } if text == label))
        {
            text_class.push(' ');
            text_class.push_str(&class.replace("edge", "label"));
        }
    }
    // The inner scopes, side by side, centred under the header.
    let mut x = (width - lanes_width).max(0.0) / 2.0 + PAD_X;
    let top = header_height;
    for (i, scope) in inner.iter().enumerate() {
        let lane_width = scope.width + 2.0 * LANE_PAD;
        drawing.shapes.push(Shape::Rect {
            x,
            y: top,
            width: lane_width,
            height: lanes_height,
            radius: 4.0,
            class: "lane".to_string(),
        });
        if lane_title > 0.0 {
            drawing.shapes.push(Shape::Text {
                x: x + LANE_PAD,
                y: top + LANE_PAD + SMALL * 0.8,
                text: format!("Branch {}", i + 1),
                class: "type".to_string(),
                anchor: Anchor::Start,
            });
        }
        // Each scope starts at the top of its lane, as its StartAt is where it starts.
        drawing.extend_shifted(scope, P::new(x + LANE_PAD, top + LANE_PAD + lane_title));
        x += lane_width + LANE_GAP;
    }
    drawing
}

/// A small circling arrow: the mark of a Retrier, in the retry colour once
/// the state was retried.
fn retry_icon(at: P, retried: bool) -> Vec<Shape> {
    let class = if retried { "edge retry taken" } else { "edge retry" };
    let r = ICON / 2.0 - 1.0;
    let c = P::new(at.x + ICON / 2.0, at.y + ICON / 2.0);
    // Three quarters of a circle, drawn as Bézier quarter arcs, from the top clockwise.
    let k = 0.5523 * r;
    let segments = vec![
        [P::new(c.x + k, c.y - r), P::new(c.x + r, c.y - k), P::new(c.x + r, c.y)],
        [P::new(c.x + r, c.y + k), P::new(c.x + k, c.y + r), P::new(c.x, c.y + r)],
        [P::new(c.x - k, c.y + r), P::new(c.x - r, c.y + k), P::new(c.x - r, c.y)],
    ];
    let tip = P::new(c.x - r, c.y - 3.0);
    vec![
        Shape::Curve { start: P::new(c.x, c.y - r), segments, class: class.to_string() },
        Shape::Polygon {
            points: vec![tip, P::new(tip.x - 3.0, tip.y + 3.5), P::new(tip.x + 3.0, tip.y + 3.5)],
            class: class.replace("edge", "head"),
        },
    ]
}

/// A [`RenderBackend`] that draws nothing: it writes down where layout-rs
/// put each box and each arrow, by their `properties`.
#[derive(Default)]
struct Recorder {
    /// Top-left corner and size of each box.
    rects: HashMap<String, (P, P)>,
    /// Each arrow's start and Bézier segments, in the direction it was added.
    arrows: HashMap<String, (P, Vec<[P; 3]>)>,
}

fn p(point: Point) -> P {
    P::new(point.x, point.y)
}

impl RenderBackend for Recorder {
    fn draw_rect(&mut self, xy: Point, size: Point, _: &StyleAttr, properties: Option<String>, _: Option<ClipHandle>) {
        if let Some(id) = properties {
            self.rects.insert(id, (p(xy), p(size)));
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}

    /// layout-rs's path: the first pair is the start and its exit control
    /// point, each later pair an entry control point and a point, joined as
    /// SVG's `M C S S...`. Turned here into plain cubic segments (an `S`'s
    /// first control point mirrors the previous segment's second), and
    /// turned round when layout-rs reversed the edge to break a cycle (its
    /// head is then at the start).
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        head: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        let (Some(id), Some(first), Some(second)) = (properties, path.first(), path.get(1)) else { return };
        let start = p(first.0);
        let mut segments = vec![[p(first.1), p(second.0), p(second.1)]];
        for pair in &path[2..] {
            let [_, c2, end] = segments[segments.len() - 1];
            let mirrored = P::new(2.0 * end.x - c2.x, 2.0 * end.y - c2.y);
            segments.push([mirrored, p(pair.0), p(pair.1)]);
        }
        if head.0 && !head.1 {
            let mut reversed = Vec::with_capacity(segments.len());
            let mut from = start;
            for [c1, c2, end] in &segments {
                reversed.push([*c2, *c1, from]);
                from = *end;
            }
            reversed.reverse();
            self.arrows.insert(id, (from, reversed));
        } else {
            self.arrows.insert(id, (start, segments));
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}
