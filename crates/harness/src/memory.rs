//! Max Memory Used, measured. Lambda reports the peak resident memory of the
//! execution environment during an invocation. Here the environment lives in
//! this process, so the figure is the process's peak resident set size over the
//! invocation: on Linux the kernel's high-water mark (`VmHWM`), reset before
//! each invocation through `/proc/self/clear_refs`; on other Unix systems the
//! lifetime peak from `getrusage`, which can only grow.
//!
//! A function run as a process of its own (`process.rs`) is measured from
//! outside instead: [`process_peak_mb`].

/// The two procfs files, opened once: reopening them on every invocation
/// costs more than the reads themselves (about 10 µs of a warm invoke).
#[cfg(target_os = "linux")]
fn procfs() -> &'static (Option<std::fs::File>, Option<std::fs::File>) {
    static FILES: std::sync::OnceLock<(Option<std::fs::File>, Option<std::fs::File>)> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let clear = std::fs::OpenOptions::new().write(true).open("/proc/self/clear_refs").ok();
        let status = std::fs::File::open("/proc/self/status").ok();
        (clear, status)
    })
}

/// Start measuring a new peak (best effort: where the reset is not allowed the
/// figure is the process's lifetime peak, still a real measurement).
pub fn reset_peak() {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::FileExt;
        if let (Some(clear), _) = procfs() {
            let _ = clear.write_at(b"5", 0);
        }
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
    use std::os::unix::fs::FileExt;
    let status = procfs().1.as_ref()?;
    let mut buffer = [0u8; 8192];
    let length = status.read_at(&mut buffer, 0).ok()?;
    vm_hwm_kib(std::str::from_utf8(&buffer[..length]).ok()?)
}

/// The process's resident memory now, in MiB rounded up (0 where it cannot
/// be read): what the platform watches while a handler runs.
pub fn current_mb() -> u64 {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::FileExt;
        let Some(status) = procfs().1.as_ref() else { return 0 };
        let mut buffer = [0u8; 8192];
        let Ok(length) = status.read_at(&mut buffer, 0) else { return 0 };
        let text = std::str::from_utf8(&buffer[..length]).unwrap_or_default();
        let kib = text
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .unwrap_or(0);
        kib.div_ceil(1024)
    }
    #[cfg(not(target_os = "linux"))]
    {
        peak_mb()
    }
}

/// The `VmHWM:` figure (peak resident set, KiB) of a /proc status file.
#[cfg(target_os = "linux")]
fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The peak resident memory of another process, in MiB rounded up: its
/// lifetime high-water mark (`VmHWM` in /proc/PID/status; the harness
/// does not reset another process's). None once the process has exited,
/// and always None where there is no /proc (macOS, Windows).
pub fn process_peak_mb(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        vm_hwm_kib(&status).map(|kib| kib.div_ceil(1024))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// Without /proc: the process's lifetime peak from getrusage (macOS reports
/// it in bytes, the BSDs in KiB).
#[allow(unsafe_code)] // the SAFETY comment is at the block
#[cfg(all(unix, not(target_os = "linux")))]
fn peak_kib() -> Option<u64> {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0).then_some(usage)?
    };
    let peak = usage.ru_maxrss as u64;
    Some(if cfg!(target_os = "macos") { peak / 1024 } else { peak })
}

#[cfg(not(unix))]
fn peak_kib() -> Option<u64> {
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
