//! Give the `lab` binary a run path to the libpython it was linked against, so
//! it starts the same Python when run directly (target/debug/lab), not only
//! through `cargo lab` (which sets the loader path itself). The harness's build
//! script tells us where that libpython is.

fn main() {
    if let Ok(dir) = std::env::var("DEP_LAMBDA_HARNESS_LIBDIR") {
        if cfg!(unix) {
            println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{dir}");
        }
    }
}
