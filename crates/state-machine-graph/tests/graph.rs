//! The pictures: what they show for each state type, the path of an
//! execution, and readable geometry (arrows that end on their boxes, boxes and
//! labels that do not overlap) for every machine recorded against AWS.

use serde_json::{Value, json};
use state_machine_graph::{
    Drawing, EdgeKind, ExecutionPath, NodeKind, Scope, Shape, draw, draw_scope, lay_out, rule_text, wrap,
};
use std::collections::HashMap;
use step_functions::history::Event;
use step_functions::runner::{self, Options};

/// One of each state type, with every kind of transition.
fn every_type() -> Value {
    json!({
        "Comment": "one of each",
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ChargeCard",
                "Retry": [{"ErrorEquals": ["Timeout"], "MaxAttempts": 2}, {"ErrorEquals": ["States.ALL"]}],
                "Catch": [{"ErrorEquals": ["CardDeclined", "Fraud"], "Next": "Declined"}],
                "Next": "Route"
            },
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Review"},
                    {"Variable": "$.kind", "StringEquals": "gift", "Next": "Wrap"}
                ],
                "Default": "Lines"
            },
            "Review": {"Type": "Wait", "Seconds": 60, "Next": "Lines"},
            "Wrap": {"Type": "Pass", "Next": "Lines"},
            "Lines": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {"StartAt": "Line", "States": {"Line": {"Type": "Pass", "End": true}}},
                "Next": "Both"
            },
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
                    {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Next": "Last"}, "Last": {"Type": "Succeed"}}}
                ],
                "End": true
            },
            "Declined": {"Type": "Fail", "Error": "Declined", "Cause": "no"}
        }
    })
}

fn names(scope: &Scope) -> Vec<&str> {
    scope.nodes.iter().map(|node| node.name.as_str()).collect()
}

/// Each edge as (from, to, kind, label joined).
fn edges(scope: &Scope) -> Vec<(&str, &str, EdgeKind, String)> {
    scope
        .edges
        .iter()
        .map(|e| (scope.nodes[e.from].name.as_str(), scope.nodes[e.to].name.as_str(), e.kind, e.label.join(" ")))
        .collect()
}

#[test]
fn every_state_type_is_a_node_between_start_and_end() {
    let scope = Scope::machine(&every_type());
    assert_eq!(names(&scope), ["Start", "Charge", "Route", "Review", "Wrap", "Lines", "Both", "Declined", "End"]);
    assert_eq!(scope.nodes[0].kind, NodeKind::Start);
    assert_eq!(scope.nodes[8].kind, NodeKind::End);
    let types: Vec<&str> = scope.nodes.iter().map(|n| n.state_type.as_str()).collect();
    assert_eq!(types, ["", "Task", "Choice", "Wait", "Pass", "Map", "Parallel", "Fail", ""]);
    let charge = &scope.nodes[1];
    assert_eq!(charge.detail.as_deref(), Some("λ ChargeCard"));
    assert_eq!(charge.retries, ["Retry Timeout ×2", "Retry States.ALL ×3"]);
    assert_eq!(scope.nodes[3].detail.as_deref(), Some("wait 60 s"));
    assert_eq!(scope.nodes[5].detail.as_deref(), Some("for each item of $.items"));
    assert_eq!(scope.nodes[6].detail.as_deref(), Some("2 branches"));
    assert_eq!(scope.nodes[7].detail.as_deref(), Some("Error: Declined"));
}

#[test]
fn transitions_are_edges_with_choice_rules_and_catchers_labelled() {
    let scope = Scope::machine(&every_type());
    let none = String::new;
    assert_eq!(
        edges(&scope),
        [
            ("Start", "Charge", EdgeKind::Start, none()),
            ("Charge", "Route", EdgeKind::Next, none()),
            ("Charge", "Declined", EdgeKind::Catch, "Catch CardDeclined, Fraud".to_string()),
            ("Route", "Review", EdgeKind::Choice, "$.total > 100".to_string()),
            ("Route", "Wrap", EdgeKind::Choice, "$.kind == \"gift\"".to_string()),
            ("Route", "Lines", EdgeKind::Default, "Default".to_string()),
            ("Review", "Lines", EdgeKind::Next, none()),
            ("Wrap", "Lines", EdgeKind::Next, none()),
            ("Lines", "Both", EdgeKind::Next, none()),
            ("Both", "End", EdgeKind::End, none()),
            ("Declined", "End", EdgeKind::End, none()),
        ]
    );
}

#[test]
fn map_and_parallel_states_hold_their_inner_states() {
    let scope = Scope::machine(&every_type());
    let map = &scope.nodes[5];
    assert_eq!(map.inner.len(), 1);
    // Inner scopes have no Start and End markers: their box is their frame.
    assert_eq!(names(&map.inner[0]), ["Line"]);
    assert!(map.inner[0].edges.is_empty());
    let parallel = &scope.nodes[6];
    assert_eq!(parallel.inner.iter().map(names).collect::<Vec<_>>(), [vec!["Left"], vec!["Right", "Last"]]);
    assert_eq!(edges(&parallel.inner[1]), [("Right", "Last", EdgeKind::Next, String::new())]);
    // The legacy Iterator is a Map's processor too.
    let legacy = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}});
    assert_eq!(names(&Scope::machine(&legacy).nodes[1].inner[0]), ["I"]);
}

#[test]
fn choice_rules_read_as_conditions() {
    let cases = [
        (json!({"Variable": "$.a", "StringEquals": "x"}), "$.a == \"x\""),
        (json!({"Variable": "$.a", "NumericLessThanEqualsPath": "$.b"}), "$.a <= $.b"),
        (json!({"Variable": "$.a", "BooleanEquals": false}), "$.a == false"),
        (json!({"Variable": "$.t", "TimestampGreaterThan": "2026-01-01T00:00:00Z"}), "$.t > \"2026-01-01T00:00:00Z\""),
        (json!({"Variable": "$.a", "StringMatches": "log-*"}), "$.a matches \"log-*\""),
        (json!({"Variable": "$.a", "IsPresent": false}), "$.a is absent"),
        (json!({"Variable": "$.a", "IsNull": true}), "$.a is null"),
        (
            json!({"Or": [{"Variable": "$.a", "IsNumeric": true}, {"And": [{"Variable": "$.b", "NumericEquals": 1}, {"Not": {"Variable": "$.c", "IsString": true}}]}]}),
            "$.a is a number or ($.b == 1 and not $.c is a string)",
        ),
        // A JSONata rule shows its condition's text.
        (json!({"Condition": "{% $states.input.total > 100 %}"}), "$states.input.total > 100"),
        // A rule this picture does not know shows its fields.
        (json!({"Variable": "$.a", "SomethingNew": 3, "Next": "X"}), "{\"Variable\":\"$.a\",\"SomethingNew\":3}"),
    ];
    for (rule, text) in cases {
        assert_eq!(rule_text(&rule), text, "{rule}");
    }
}

#[test]
fn long_labels_wrap_and_stop_after_four_lines() {
    assert_eq!(wrap("Catch States.ALL"), ["Catch States.ALL"]);
    let lines = wrap(&"word ".repeat(60));
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|line| line.chars().count() <= 34), "{lines:?}");
    assert!(lines[3].ends_with('…'));
    let long = wrap(&"x".repeat(50));
    assert_eq!(long, ["x".repeat(34), "x".repeat(16)]);
}

#[test]
fn a_jsonata_machine_is_read_with_its_conditions() {
    // Drawn from its JSON, so a JSONata machine reads as soon as validation
    // accepts one: its Choice conditions, its Arguments, its Items.
    let machine = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "Price", "Payload": "{% $states.input %}"}, "Next": "Big"},
            "Big": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.total > 100 %}", "Next": "Each"}], "Default": "Each"},
            "Each": {"Type": "Map", "Items": "{% $states.input.items %}", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}
        }
    });
    let scope = Scope::machine(&machine);
    assert_eq!(scope.nodes[1].detail.as_deref(), Some("λ Price"));
    assert_eq!(edges(&scope)[2].3, "$states.input.total > 100");
    assert_eq!(scope.nodes[3].detail.as_deref(), Some("for each item of $states.input.items"));
    let svg = draw(&machine, None).unwrap_or_else(|problems| panic!("{problems:?}"));
    check_svg(&svg);
    assert!(svg.contains(">$states.input.total &gt; 100</text>"), "{svg}");
}

#[test]
fn an_invalid_machine_gets_its_problems_not_a_picture() {
    let unreachable =
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "B": {"Type": "Pass", "End": true}}});
    let problems = draw(&unreachable, None).unwrap_err();
    assert_eq!(problems[0].code, "MISSING_TRANSITION_TARGET");
    assert!(draw(&json!({"StartAt": "Nowhere", "States": {}}), None).is_err());
    assert!(draw(&json!([1, 2]), None).is_err());
}

/// The SVG parses as XML, and follows the rules for inlining it in a page.
fn check_svg(svg: &str) {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("class"), Some("sfn-graph"));
    assert!(root.descendants().all(|node| node.attribute("id").is_none()), "no ids: two pictures share a page");
    assert!(!svg.contains("\n\n"), "a blank line would end Markdown's HTML block");
    let style = root.descendants().find(|n| n.has_tag_name("style")).and_then(|n| n.text()).unwrap();
    for rule in style.lines().filter(|line| line.contains('{') && !line.starts_with('@')) {
        let selectors = rule.split('{').next().unwrap();
        assert!(
            selectors.split(',').all(|s| s.contains(".sfn-graph")),
            "an inlined SVG's style applies to the whole page: {rule}"
        );
    }
}

#[test]
fn the_svg_is_well_formed_and_safe_to_inline() {
    let mut machine = every_type();
    // Text that XML must escape.
    machine["States"]["Route"]["Choices"][1]["StringEquals"] = json!("<a & \"b\">");
    let svg = draw(&machine, None).unwrap();
    check_svg(&svg);
    assert!(svg.contains("&lt;a &amp; \\&quot;b\\&quot;&gt;"), "{svg}");
    assert!(svg.contains("<title>State machine: one of each</title>"));
    for text in
        ["Charge", "λ ChargeCard", "Retry Timeout ×2", "Catch CardDeclined, Fraud", "$.total &gt; 100", "Branch 2"]
    {
        assert!(svg.contains(text), "{text} missing");
    }
    assert!(svg.contains("class=\"edge catch\""), "a Catcher's edge is dashed");
    // The same machine always gives the same text (the book's diagrams are compared).
    assert_eq!(draw(&machine, None).unwrap(), svg);
}

/// Boxes as (x, y, width, height).
type Box4 = (f64, f64, f64, f64);

fn on_border(point: state_machine_graph::P, (x, y, w, h): Box4) -> bool {
    let tolerance = 1.5;
    let inside_x = point.x >= x - tolerance && point.x <= x + w + tolerance;
    let inside_y = point.y >= y - tolerance && point.y <= y + h + tolerance;
    let near_side = (point.x - x).abs() <= tolerance || (point.x - x - w).abs() <= tolerance;
    let near_top = (point.y - y).abs() <= tolerance || (point.y - y - h).abs() <= tolerance;
    inside_x && inside_y && (near_side || near_top)
}

fn overlap(a: Box4, b: Box4) -> bool {
    a.0 < b.0 + b.2 - 0.5 && b.0 < a.0 + a.2 - 0.5 && a.1 < b.1 + b.3 - 0.5 && b.1 < a.1 + a.3 - 0.5
}

/// Every arrow of `scope` (and of its inner scopes) starts on its source's
/// box and ends on its target's, and no two boxes or labels overlap.
fn check_geometry(scope: &Scope, drawing: &Drawing, what: &str) {
    for (k, edge) in scope.edges.iter().enumerate() {
        if edge.from == edge.to {
            // Drawn on its node's box, not laid out.
            assert!(drawing.edge_ends[k].is_none());
            continue;
        }
        let (start, tip) = drawing.edge_ends[k].unwrap_or_else(|| panic!("{what}: edge {k} has no path"));
        let (from, to) = (drawing.boxes[edge.from], drawing.boxes[edge.to]);
        let names = (&scope.nodes[edge.from].name, &scope.nodes[edge.to].name);
        assert!(on_border(start, from), "{what}: {names:?} starts at {start:?}, not on {from:?}");
        assert!(on_border(tip, to), "{what}: {names:?} ends at {tip:?}, not on {to:?}");
    }
    let mut boxes: Vec<(String, Box4)> =
        scope.nodes.iter().zip(&drawing.boxes).map(|(node, b)| (node.name.clone(), *b)).collect();
    for (k, label) in drawing.label_boxes.iter().enumerate() {
        if let Some(b) = label {
            boxes.push((format!("label of edge {k}"), *b));
        }
    }
    for (i, (a, box_a)) in boxes.iter().enumerate() {
        for (b, box_b) in &boxes[i + 1..] {
            assert!(!overlap(*box_a, *box_b), "{what}: {a} {box_a:?} overlaps {b} {box_b:?}");
        }
    }
    for node in &scope.nodes {
        for (i, inner) in node.inner.iter().enumerate() {
            check_geometry(inner, &draw_scope(inner, None), &format!("{what} / {} branch {i}", node.name));
        }
    }
}

#[test]
fn a_picture_is_readable_arrows_on_their_boxes_and_nothing_overlapping() {
    let machine = every_type();
    let scope = Scope::machine(&machine);
    check_geometry(&scope, &lay_out(&machine, None).unwrap(), "every_type");
}

#[test]
fn every_machine_recorded_against_aws_is_drawn_readably() {
    let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/../step-functions/tests/recorded/cases.json");
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(cases).unwrap()).unwrap();
    let mut drawn = 0;
    for case in recorded["cases"].as_array().unwrap() {
        let definition = &case["definition"];
        let id = case["id"].as_str().unwrap_or_default();
        let scope = Scope::machine(definition);
        // Laid out whether or not this validator accepts the machine yet
        // (JSONata machines), so the layout holds up for any machine AWS ran.
        check_geometry(&scope, &draw_scope(&scope, None), id);
        if let Ok(svg) = draw(definition, None) {
            check_svg(&svg);
            drawn += 1;
        }
    }
    assert!(drawn > 100, "only {drawn} recorded machines were valid here");
}

fn event(id: u64, kind: &str, name: Option<&str>) -> Event {
    Event {
        id,
        previous_event_id: id.saturating_sub(1),
        timestamp_ms: id,
        kind: kind.to_string(),
        details: name.map(|name| json!({"name": name})),
    }
}

/// A history written by hand: `Charge` fails twice, is retried, then fails
/// again and is caught by the Catcher to `Declined`, which fails the execution.
#[test]
fn retries_a_caught_error_and_the_failed_state_are_read_from_the_history() {
    let kinds = [
        ("ExecutionStarted", None),
        ("TaskStateEntered", Some("Charge")),
        ("LambdaFunctionScheduled", None),
        ("LambdaFunctionStarted", None),
        ("LambdaFunctionFailed", None),
        ("LambdaFunctionScheduled", None),
        ("LambdaFunctionStarted", None),
        ("LambdaFunctionTimedOut", None),
        ("LambdaFunctionScheduled", None),
        ("LambdaFunctionStarted", None),
        ("LambdaFunctionFailed", None),
        ("TaskStateExited", Some("Charge")),
        ("FailStateEntered", Some("Declined")),
        ("ExecutionFailed", None),
    ];
    let events: Vec<Event> = kinds.iter().enumerate().map(|(i, (k, n))| event(i as u64 + 1, k, *n)).collect();
    let path = ExecutionPath::from_history(&events);
    let charge = path.state("Charge").unwrap();
    assert_eq!((charge.entered, charge.retries, charge.caught, charge.failed), (1, 2, true, false));
    assert!(path.took("Charge", "Declined", true));
    assert!(!path.took("Charge", "Declined", false));
    assert!(path.state("Declined").unwrap().failed);
    assert!(path.ended.contains("Declined"));
    assert!(path.state("Route").is_none());

    let machine = every_type();
    let svg = draw(&machine, Some(&path)).unwrap();
    check_svg(&svg);
    assert!(svg.contains("retried 2 times"));
    assert!(svg.contains("class=\"edge catch caught\""), "the caught error's edge");
    assert!(svg.contains("class=\"box failed\""));
    assert!(svg.contains("class=\"box entered\""));
    assert!(svg.contains("class=\"edge taken\""), "Start to Charge, Declined to End");
    check_geometry(&Scope::machine(&machine), &lay_out(&machine, Some(&path)).unwrap(), "every_type with a path");
}

/// A real execution, of states that need no function: a Parallel state whose
/// branch fails is retried twice, then caught; inside, the branch's Fail
/// state failed each time.
#[test]
fn an_execution_of_the_runner_colours_its_path() {
    let machine = json!({
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Fine", "States": {"Fine": {"Type": "Pass", "End": true}}},
                    {"StartAt": "Check", "States": {
                        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Good"}], "Default": "Broken"},
                        "Good": {"Type": "Succeed"},
                        "Broken": {"Type": "Fail", "Error": "Broken"}
                    }}
                ],
                "Retry": [{"ErrorEquals": ["Broken"], "MaxAttempts": 2, "IntervalSeconds": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}],
                "Next": "Done"
            },
            "Recover": {"Type": "Pass", "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }
    });
    let execution = runner::execute(&machine, &json!({"ok": false}), &HashMap::new(), &Options::default()).unwrap();
    let path = ExecutionPath::from_execution(&execution);
    assert_eq!(path.status, "SUCCEEDED");
    let both = path.state("Both").unwrap();
    assert_eq!((both.entered, both.retries, both.caught, both.failed), (1, 2, true, false));
    let broken = path.state("Broken").unwrap();
    assert_eq!((broken.entered, broken.failed), (3, true));
    assert_eq!(path.state("Fine").unwrap().entered, 3);
    assert!(!path.state("Fine").unwrap().failed);
    assert!(path.took("Check", "Broken", false));
    assert!(path.took("Both", "Recover", true));
    assert!(path.took("Recover", "Done", false));
    assert!(!path.took("Both", "Done", false));
    assert!(path.state("Good").is_none());
    assert!(path.ended.contains("Done"));

    let svg = draw(&machine, Some(&path)).unwrap();
    check_svg(&svg);
    assert!(svg.contains("retried 2 times"));
    assert!(svg.contains("entered 3 times"));

    // The same machine, the happy path: nothing failed, nothing caught.
    let execution = runner::execute(&machine, &json!({"ok": true}), &HashMap::new(), &Options::default()).unwrap();
    let path = ExecutionPath::from_execution(&execution);
    assert!(path.states.values().all(|record| !record.failed && !record.caught && record.retries == 0));
    assert!(path.took("Check", "Good", false) && path.took("Both", "Done", false));
}

#[test]
fn shapes_are_in_the_drawing() {
    let drawing = lay_out(&every_type(), None).unwrap();
    for shape in &drawing.shapes {
        let inside = |x: f64, y: f64| x >= -0.5 && y >= -0.5 && x <= drawing.width + 0.5 && y <= drawing.height + 0.5;
        match shape {
            Shape::Rect { x, y, width, height, .. } => assert!(inside(*x, *y) && inside(x + width, y + height)),
            Shape::Curve { start, segments, .. } => {
                assert!(inside(start.x, start.y));
                assert!(segments.iter().flatten().all(|p| inside(p.x, p.y)));
            }
            _ => {}
        }
    }
}
