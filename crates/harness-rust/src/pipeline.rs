//! What `lambda_runtime` does with one event between `GET /next` and the
//! answer it posts, done in-process: read the event into the handler's type,
//! enter the invocation's tracing span, call the service, catch a panic, and
//! turn the result into the response body or a `Diagnostic`.
//!
//! Modelled on lambda_runtime 1.5 (`layers/api_response.rs`, `layers/panic.rs`,
//! `layers/trace.rs`, `deserializer.rs`, `diagnostic.rs`). Where it can, this
//! calls the crate's own public code (`Context::new`, `request_span`, the
//! `From` conversions into `Diagnostic`); the rest (deserialization and panic
//! errors, their log lines) is rebuilt to the same text. The test
//! `rust-track/tests/same_as_lambda_runtime.rs` runs the same handlers through
//! a real `lambda_runtime::run` binary and compares the answers and the log
//! lines byte for byte.

use lambda_runtime::tracing::{self, Instrument};
use lambda_runtime::{Context, Diagnostic, LambdaEvent, Service};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::fmt::{self, Debug};
use std::future::Future;
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Poll, ready};

/// What the runtime posts back: `/response` with this body, or `/error`.
pub enum Answer {
    Response(Vec<u8>),
    Error(Diagnostic),
}

pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// One handler, its event type erased, so a function can hold any service.
pub trait Pipeline: Send {
    fn handle<'a>(&'a mut self, body: &'a [u8], context: Context) -> LocalFuture<'a, Answer>;
}

/// A `lambda_runtime` service over `LambdaEvent<A>`, as `lambda_runtime::run` takes it.
pub struct ServicePipeline<S, A> {
    service: S,
    event: PhantomData<fn() -> A>,
}

impl<S, A> ServicePipeline<S, A> {
    pub fn new(service: S) -> Self {
        ServicePipeline { service, event: PhantomData }
    }
}

impl<S, A, R, E> Pipeline for ServicePipeline<S, A>
where
    S: Service<LambdaEvent<A>, Response = R, Error = E> + Send,
    A: DeserializeOwned,
    R: Serialize,
    E: Into<Diagnostic> + Debug,
{
    fn handle<'a>(&'a mut self, body: &'a [u8], context: Context) -> LocalFuture<'a, Answer> {
        Box::pin(async move {
            let span = lambda_runtime::layers::trace::request_span(&context);
            let payload = match read_event::<A>(body) {
                Ok(payload) => payload,
                Err(error) => {
                    span.in_scope(|| {
                        tracing::error!(error = ?error, "Request payload deserialization into LambdaEvent<T> failed. The handler will not be called. Log at TRACE level to see the payload.")
                    });
                    return Answer::Error(error.into_diagnostic());
                }
            };
            if let Err(error) = std::future::poll_fn(|cx| self.service.poll_ready(cx)).await {
                let diagnostic: Diagnostic = error.into();
                return Answer::Error(diagnostic);
            }
            // A panic while the service builds its future, or while it runs,
            // is caught and answered, as lambda_runtime's CatchPanicService does.
            let call = {
                let _entered = span.enter();
                std::panic::catch_unwind(AssertUnwindSafe(|| self.service.call(LambdaEvent::new(payload, context))))
            };
            let outcome = match call {
                Ok(future) => CatchUnwind(Box::pin(future)).instrument(span.clone()).await,
                Err(panic) => Err(panic),
            };
            span.in_scope(|| match outcome {
                Ok(Ok(response)) => match serde_json::to_vec(&response) {
                    Ok(bytes) => Answer::Response(bytes),
                    Err(error) => Answer::Error(Diagnostic {
                        error_type: std::any::type_name::<serde_json::Error>().into(),
                        error_message: error.to_string(),
                    }),
                },
                Ok(Err(error)) => {
                    tracing::error!("{error:?}");
                    Answer::Error(error.into())
                }
                Err(panic) => {
                    tracing::error!(error = ?panic, "user handler panicked");
                    Answer::Error(panic_diagnostic(&panic))
                }
            })
        })
    }
}

/// lambda_runtime's error for an event that does not fit the handler's type.
/// Its Debug form (logged) and Display form (the errorMessage, with its
/// trailing newline) are the crate's own.
#[derive(Debug)]
struct DeserializeError {
    inner: serde_path_to_error::Error<serde_json::Error>,
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let context = "failed to deserialize the incoming data into the function's payload type";
        let path = self.inner.path().to_string();
        if path == "." {
            writeln!(f, "{context}: {}", self.inner)
        } else {
            writeln!(f, "{context}: [{path}] {}", self.inner)
        }
    }
}

impl DeserializeError {
    fn into_diagnostic(self) -> Diagnostic {
        Diagnostic {
            // The name of lambda_runtime's (private) type, as its From impl
            // writes it: the type of a reference to it, hence the `&`.
            error_type: "&lambda_runtime::deserializer::DeserializeError".into(),
            error_message: self.to_string(),
        }
    }
}

fn read_event<A: DeserializeOwned>(body: &[u8]) -> Result<A, DeserializeError> {
    let reader = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(reader).map_err(|inner| DeserializeError { inner })
}

/// The Diagnostic lambda_runtime answers a panic with: the payload's text
/// after "Lambda panicked: ", and, as errorType, the name of the type it
/// holds the payload in.
fn panic_diagnostic(panic: &Box<dyn Any + Send>) -> Diagnostic {
    let error_message = if let Some(text) = panic.downcast_ref::<&str>() {
        format!("Lambda panicked: {text}")
    } else if let Some(text) = panic.downcast_ref::<String>() {
        format!("Lambda panicked: {text}")
    } else {
        "Lambda panicked".to_string()
    };
    Diagnostic { error_type: std::any::type_name::<&Box<dyn Any + Send>>().into(), error_message }
}

/// Polls a future, turning a panic during any poll into an `Err`.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(poll) => Poll::Ready(Ok(ready!(poll))),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}
