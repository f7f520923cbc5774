//! Max Memory Used, measured. Lambda reports the peak resident memory of the
//! execution environment during an invocation. Here the environment lives in
//! this process, so the figure is the process's peak resident set size over the
//! invocation: on Linux the kernel's high-water mark (`VmHWM`), reset before
//! each invocation through `/proc/self/clear_refs`; elsewhere the lifetime peak
//! from `getrusage`, which can only grow.

/// Start measuring a new peak (best effort: where the reset is not allowed the
/// figure is the process's lifetime peak, still a real measurement).
pub fn reset_peak() {
    #[cfg(target_os = "linux")]
    {
        let _ = std::fs::write("/proc/self/clear_refs", b"5");
    }
}

/// Peak resident memory since the last reset, in whole megabytes (MiB, as
/// Lambda counts them), rounded up.
pub fn peak_mb() -> u64 {
    let kib = peak_kib().unwrap_or(0);
    kib.div_ceil(1024)
}

#[cfg(target_os = "linux")]
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn peak_kib() -> Option<u64> {
    // Without /proc, ask the Python standard library (resource.getrusage),
    // which reports bytes on macOS.
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn peak_grows_when_memory_is_touched() {
        // Invocations reset the peak; keep them out while this test measures.
        let _turn = crate::python::exclusive();
        reset_peak();
        let before = peak_mb();
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        let after = peak_mb();
        assert!(before > 0);
        assert!(after >= before + 60, "peak went from {before} MB to {after} MB");
    }
}
