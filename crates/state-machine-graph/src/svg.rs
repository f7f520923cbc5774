//! A drawing written as SVG text, for a file of its own or inlined in a
//! page of the book.
//!
//! Lines and text are `currentColor`, and fills are that colour made faint,
//! so an SVG inlined in a page takes the page's text colour: dark on mdBook's
//! light themes, light on its dark ones, on screen and on paper. The
//! execution colours (the path taken, retries and caught errors, failures)
//! have a light theme's values, and lighter ones under mdBook's dark theme
//! classes (`html.coal`, `.navy`, `.ayu`). The
//! style's rules all start with `.sfn-graph`, the picture's own class: an
//! inlined SVG's style applies to the whole page.
//!
//! The text has no blank line (Markdown would end an inlined HTML block
//! there), no XML declaration and no ids (two pictures on one page must not
//! share one).

use crate::layout::{Anchor, Drawing, P, Shape};
use std::fmt::Write;

/// The rules that do not depend on the theme.
const STYLE: &str = "\
.sfn-graph{display:block;margin:0 auto;max-width:100%;height:auto}
.sfn-graph text{fill:currentColor;font-family:\"DejaVu Sans\",Verdana,system-ui,sans-serif;font-size:12px}
.sfn-graph text.name{font-size:14px;font-weight:bold}
.sfn-graph text.type{fill-opacity:.75}
.sfn-graph text.rule{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;fill-opacity:.9}
.sfn-graph text.label.taken,.sfn-graph text.label.caught,.sfn-graph text.retried{fill-opacity:1;font-weight:bold}
.sfn-graph text.marker-name{font-weight:bold}
.sfn-graph .box{fill:currentColor;fill-opacity:.05;stroke:currentColor;stroke-width:1.2}
.sfn-graph .box.entered,.sfn-graph .box.failed{stroke-width:2.5;fill-opacity:.12}
.sfn-graph .marker{fill:currentColor;fill-opacity:.14;stroke:currentColor;stroke-width:1}
.sfn-graph .lane{fill:none;stroke:currentColor;stroke-opacity:.5;stroke-dasharray:4 3}
.sfn-graph .edge{fill:none;stroke:currentColor;stroke-width:1.4}
.sfn-graph .head{fill:currentColor;stroke:none}
.sfn-graph .edge.catch{stroke-dasharray:6 4}
.sfn-graph .edge.taken,.sfn-graph .edge.caught{stroke-width:2.5}
.sfn-graph .edge.retry{stroke-width:1.3}
";

/// Where each execution colour goes: (selector under `.sfn-graph`, the
/// properties it sets, which colour).
const COLOURED: [(&str, &[&str], Colour); 9] = [
    ("text.label.taken", &["fill"], Colour::Taken),
    (".box.entered", &["stroke", "fill"], Colour::Taken),
    (".edge.taken", &["stroke"], Colour::Taken),
    (".head.taken", &["fill"], Colour::Taken),
    ("text.label.caught,text.retried", &["fill"], Colour::Retried),
    (".edge.caught,.edge.retry.taken", &["stroke"], Colour::Retried),
    (".head.caught,.head.retry.taken", &["fill"], Colour::Retried),
    (".box.failed", &["stroke", "fill"], Colour::Failed),
    ("text.failed", &["fill"], Colour::Failed),
];

#[derive(Clone, Copy)]
enum Colour {
    Taken,
    Retried,
    Failed,
}

impl Colour {
    /// On a light page (and on paper), and on a dark one: each reads on its
    /// background and tells the three apart.
    fn value(self, dark: bool) -> &'static str {
        match (self, dark) {
            (Colour::Taken, false) => "#1c7c3c",
            (Colour::Taken, true) => "#62d48a",
            (Colour::Retried, false) => "#a35200",
            (Colour::Retried, true) => "#f2a54a",
            (Colour::Failed, false) => "#c92a2a",
            (Colour::Failed, true) => "#ff7b7b",
        }
    }
}

/// mdBook's dark themes, classes on the page's `<html>`.
const DARK_THEMES: [&str; 3] = ["coal", "navy", "ayu"];

/// The execution colours as literal values (not CSS variables, which some
/// SVG renderers ignore): the light ones, then the dark ones for mdBook's
/// dark themes. Printing keeps them: mdBook prints a page in its theme, and
/// the picture follows the page as its text does.
fn colour_rules() -> String {
    let mut out = String::new();
    let selectors = |prefix: &str, list: &str| -> String {
        list.split(',').map(|s| format!("{prefix}.sfn-graph {s}")).collect::<Vec<_>>().join(",")
    };
    for (list, properties, colour) in COLOURED {
        let body: Vec<String> = properties.iter().map(|p| format!("{p}:{}", colour.value(false))).collect();
        let _ = writeln!(out, "{}{{{}}}", selectors("", list), body.join(";"));
    }
    for (list, properties, colour) in COLOURED {
        let all: Vec<String> = DARK_THEMES.iter().map(|theme| selectors(&format!("html.{theme} "), list)).collect();
        let body: Vec<String> = properties.iter().map(|p| format!("{p}:{}", colour.value(true))).collect();
        let _ = writeln!(out, "{}{{{}}}", all.join(","), body.join(";"));
    }
    out
}

/// `drawing` as an SVG document; `title` is its accessible name.
pub(crate) fn write(drawing: &Drawing, title: &str) -> String {
    let (width, height) = (number(drawing.width), number(drawing.height));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sfn-graph\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = write!(out, "<style>\n{STYLE}{}</style>\n", colour_rules());
    for shape in &drawing.shapes {
        match shape {
            Shape::Rect { x, y, width, height, radius, class } => {
                let _ = writeln!(
                    out,
                    "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/>",
                    number(*x),
                    number(*y),
                    number(*width),
                    number(*height),
                    number(*radius)
                );
            }
            Shape::Text { x, y, text, class, anchor } => {
                let anchor = match anchor {
                    Anchor::Start => "",
                    Anchor::Middle => " text-anchor=\"middle\"",
                };
                let _ = writeln!(
                    out,
                    "<text class=\"{class}\" x=\"{}\" y=\"{}\"{anchor}>{}</text>",
                    number(*x),
                    number(*y),
                    escape(text)
                );
            }
            Shape::Curve { start, segments, class } => {
                let mut d = format!("M{}", point(*start));
                for [c1, c2, end] in segments {
                    let _ = write!(d, " C{} {} {}", point(*c1), point(*c2), point(*end));
                }
                let _ = writeln!(out, "<path class=\"{class}\" d=\"{d}\"/>");
            }
            Shape::Polygon { points, class } => {
                let list: Vec<String> = points.iter().map(|p| point(*p)).collect();
                let _ = writeln!(out, "<polygon class=\"{class}\" points=\"{}\"/>", list.join(" "));
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// A coordinate with at most one decimal, so the files stay small and the
/// same machine always gives the same text.
fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded}")
}

fn point(p: P) -> String {
    format!("{},{}", number(p.x), number(p.y))
}

/// Text for an attribute or an element's content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
