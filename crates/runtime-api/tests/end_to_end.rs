//! Runs the real `lambda_runtime` example function (runtime-api-example)
//! against the local Runtime API: success, error, timeout, the init phase,
//! and the raw protocol edges (unknown id, unknown path) with a plain TCP
//! client.

use runtime_api::{Init, InvokeContext, Outcome, RuntimeApi};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the function process however the test ends, panics included.
struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds the example with the same cargo that runs this test (the `CARGO`
/// variable), so it shares the workspace target dir and its lock.
fn example_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "-p", "runtime-api-example", "--message-format=json"])
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo build");
    assert!(out.status.success(), "building runtime-api-example failed");
    // The JSON messages name the built executable; no guessing the target dir.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"name\":\"runtime-api-example\""))
        .find_map(|l| {
            let at = l.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = l[at..].find('"')?;
            Some(PathBuf::from(&l[at..at + end]))
        })
        .expect("cargo did not report the example's executable")
}

fn start_function(api: &RuntimeApi) -> Guard {
    let child = Command::new(example_binary())
        .env("AWS_LAMBDA_RUNTIME_API", api.addr())
        .env("AWS_LAMBDA_FUNCTION_NAME", "example")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/example")
        .stdin(Stdio::null())
        .spawn()
        .expect("start the example function");
    Guard(child)
}

fn ctx(id: &str) -> InvokeContext {
    InvokeContext {
        request_id: id.into(),
        invoked_function_arn: "arn:aws:lambda:us-east-1:123456789012:function:example".into(),
        trace_id: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1".into(),
        client_context: None,
        cognito_identity: None,
    }
}

/// Invoke the example with `{"name":"Ada"}` and check its answer.
fn greet_ada(api: &RuntimeApi, function: &mut Guard, id: &str) {
    // A first invoke includes the process's start-up; be generous.
    let ok = api.invoke_process(&mut function.0, br#"{"name":"Ada"}"#.to_vec(), Duration::from_secs(30), ctx(id));
    assert_eq!(ok, Outcome::Response(br#"{"hello":"Ada"}"#.to_vec()));
}

#[test]
fn real_lambda_runtime_success_error_and_timeout() {
    let api = RuntimeApi::start().unwrap();
    let mut function = start_function(&api);
    greet_ada(&api, &mut function, "req-1");

    let err = api.invoke(br#"{"name":"Bob","fail":true}"#.to_vec(), Duration::from_secs(10), ctx("req-2"));
    let Outcome::Error { error_type, payload } = err else { panic!("expected an error, got {err:?}") };
    let payload = String::from_utf8(payload).unwrap();
    // errorType comes from the body; lambda_runtime's header just says "unhandled".
    assert_eq!(error_type, "ExampleError", "body: {payload}");
    assert!(payload.contains(r#""errorMessage":"asked to fail""#), "body: {payload}");

    let stats = api.stats();
    eprintln!("after two invokes: {stats:?}");
    // hyper reuses its connection: more requests than connections.
    assert!(stats.requests > stats.connections, "{stats:?}");
    assert_eq!(stats.chunked_bodies, 0, "buffered responses use Content-Length");

    let slow = api.invoke(br#"{"sleep_ms":2000}"#.to_vec(), Duration::from_millis(300), ctx("req-3"));
    assert_eq!(slow, Outcome::Timeout);
    // The late answer is for a forgotten id; the function is killed by the guard.
    drop(function);
}

#[test]
fn the_first_next_ends_init_and_each_later_one_ends_an_invocation() {
    let api = RuntimeApi::start().unwrap();
    assert_eq!(api.first_next_at(), None);
    let spawned = Instant::now();
    let mut function = start_function(&api);
    let Init::Ready(at) = api.wait_for_init(Duration::from_secs(30), Some(&mut function.0)) else {
        panic!("the example never asked for work")
    };
    assert!(at > spawned, "init ends after the process started");
    assert_eq!(api.first_next_at(), Some(at));
    eprintln!("init (spawn to first /next): {:?}", at - spawned);

    let seen = api.next_requests();
    assert_eq!(seen, 1, "one /next, waiting for the first event");
    greet_ada(&api, &mut function, "req-a");
    // After answering, the runtime asks for the next event: it is done.
    assert!(api.wait_for_next_request(seen, Duration::from_secs(10), Some(&mut function.0)));
    assert_eq!(api.next_requests(), 2);
    assert_eq!(api.first_next_at(), Some(at), "only the first /next ends init");
}

#[test]
fn init_waits_end_on_an_init_error_an_exit_or_the_limit() {
    let api = RuntimeApi::start().unwrap();
    // Nothing asks for work: the limit passes.
    let started = Instant::now();
    assert_eq!(api.wait_for_init(Duration::from_millis(100), None), Init::Timeout);
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert!(!api.wait_for_next_request(0, Duration::from_millis(10), None));

    // A process that is gone ends the wait long before the limit.
    let mut function = start_function(&api);
    function.0.kill().unwrap();
    let started = Instant::now();
    assert_eq!(api.wait_for_init(Duration::from_secs(30), Some(&mut function.0)), Init::ProcessExited);
    assert!(started.elapsed() < Duration::from_secs(5));

    // An /init/error is taken by the wait, not left for the next invoke.
    let r = raw(
        api.addr(),
        "POST /2018-06-01/runtime/init/error HTTP/1.1\r\nContent-Length: 41\r\nConnection: close\r\n\r\n{\"errorType\":\"Boom\",\"errorMessage\":\"bad\"}",
    );
    assert!(r.starts_with("HTTP/1.1 202"), "{r}");
    assert_eq!(
        api.wait_for_init(Duration::from_secs(1), None),
        Init::Failed { error_type: "Boom".into(), payload: br#"{"errorType":"Boom","errorMessage":"bad"}"#.to_vec() }
    );
    let out = api.invoke(b"{}".to_vec(), Duration::from_millis(50), ctx("after"));
    assert_eq!(out, Outcome::Timeout);
}

#[test]
fn process_exit_is_reported() {
    let api = RuntimeApi::start().unwrap();
    let mut function = start_function(&api);
    function.0.kill().unwrap();
    let out = api.invoke_process(&mut function.0, b"{}".to_vec(), Duration::from_secs(10), ctx("gone"));
    assert_eq!(out, Outcome::ProcessExited);
}

fn raw(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn protocol_edges_with_a_raw_client() {
    let api = RuntimeApi::start().unwrap();
    let r = raw(
        api.addr(),
        "POST /2018-06-01/runtime/invocation/nope/response HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    );
    assert!(r.starts_with("HTTP/1.1 400"), "{r}");
    assert!(r.contains("InvalidRequestID"), "{r}");
    let r = raw(api.addr(), "GET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 404"), "{r}");

    // init/error (chunked, to cover that framing) turns the next invoke into InitError.
    let r = raw(
        api.addr(),
        "POST /2018-06-01/runtime/init/error HTTP/1.1\r\nTransfer-Encoding: chunked\r\nLambda-Runtime-Function-Error-Type: Runtime.InitError\r\nConnection: close\r\n\r\n\
         a\r\n{\"errorTyp\r\n19\r\ne\":\"Boom\",\"errorMessage\":\r\n4\r\n\"x\"}\r\n0\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 202"), "{r}");
    assert!(r.contains(r#"{"status":"OK"}"#), "{r}");
    let out = api.invoke(b"{}".to_vec(), Duration::from_secs(1), ctx("r"));
    assert_eq!(
        out,
        Outcome::InitError {
            error_type: "Boom".into(),
            payload: br#"{"errorType":"Boom","errorMessage":"x"}"#.to_vec()
        }
    );
}

#[test]
fn next_carries_the_documented_headers() {
    let api = RuntimeApi::start().unwrap();
    let addr = api.addr().to_string();
    let runtime = std::thread::Builder::new().name("runtime-client".into()).spawn(move || {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.write_all(b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n").unwrap();
        let mut buf = vec![0u8; 4096];
        let mut got = Vec::new();
        // Read until the body (`{"a":1}`) has arrived.
        while !got.ends_with(br#"{"a":1}"#) {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0, "connection closed early");
            got.extend_from_slice(&buf[..n]);
        }
        let head = String::from_utf8(got).unwrap();
        // Same connection: keep-alive.
        s.write_all(b"POST /2018-06-01/runtime/invocation/id-9/response HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").unwrap();
        let mut rest = String::new();
        s.read_to_string(&mut rest).unwrap();
        (head, rest)
    })
    .expect("a thread can be started");
    let mut c = ctx("id-9");
    c.client_context = Some(r#"{"client":{}}"#.into());
    c.cognito_identity = Some(r#"{"cognitoIdentityId":"x"}"#.into());
    let out = api.invoke(br#"{"a":1}"#.to_vec(), Duration::from_secs(5), c);
    assert_eq!(out, Outcome::Response(b"ok".to_vec()));
    let (head, rest) = runtime.join().unwrap();
    for h in [
        "Lambda-Runtime-Aws-Request-Id: id-9",
        "Lambda-Runtime-Deadline-Ms: ",
        "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:",
        "Lambda-Runtime-Trace-Id: Root=",
        "Lambda-Runtime-Client-Context: {\"client\":{}}",
        "Lambda-Runtime-Cognito-Identity: ",
    ] {
        assert!(head.contains(h), "missing {h} in {head}");
    }
    assert!(rest.starts_with("HTTP/1.1 202"), "{rest}");
}
