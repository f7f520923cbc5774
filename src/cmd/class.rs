//! `cargo lab class [--listen ADDR:PORT] [--new-code]`: the instructor's
//! live class view. It prints the class code and the command learners
//! type, and the address of the page that shows their progress as it
//! arrives (see [`crate::class`]). It runs until stopped (Ctrl-C).
//!
//! It listens on the loopback interface unless told otherwise, so that a
//! class view is never open to a network by accident; `--listen
//! 0.0.0.0:3100` opens it to the classroom's network, with a warning.
//! The code and the page's key are kept in the state folder (`.lab/`), so
//! that running it again carries on with the same ones: the learners need
//! not join again, and their progress comes back by itself.

use crate::class::server::{self, Secrets};
use crate::class::{DEFAULT_PORT, SERVER_FILE};
use crate::error::CliError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct ClassArgs {
    /// Where to listen: this machine only by default; 0.0.0.0:3100 for the
    /// classroom's network (anyone there who has the code can post progress).
    #[arg(long, value_name = "ADDR:PORT", default_value_t = SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)))]
    listen: SocketAddr,
    /// Start with a new class code and page address instead of the saved ones
    /// (learners then join again).
    #[arg(long)]
    new_code: bool,
}

pub(crate) fn run(args: ClassArgs) -> Result<(), CliError> {
    let saved_in = secrets_dir();
    let secrets = match saved_in.as_deref().filter(|_| !args.new_code).and_then(Secrets::load) {
        Some(secrets) => secrets,
        None => {
            let secrets = Secrets::new().map_err(CliError::Failed)?;
            if let Some(dir) = &saved_in {
                // Not fatal: the class still runs, with a code that the next
                // run will not know.
                if let Err(message) = secrets.save(dir) {
                    eprintln!("note: {message}");
                }
            }
            secrets
        }
    };
    let listen = args.listen;
    let join_host = learners_host(listen.ip());
    let code = secrets.code.clone();
    let join = move |at: SocketAddr| format!("cargo lab join http://{} {code}", host_port(&join_host, at.port()));
    let served = server::start(listen, secrets.clone(), join.clone()).map_err(CliError::Failed)?;
    let port = served.addr().port();
    let join = join(served.addr());
    let view_host = view_host(listen.ip());
    let page = format!("http://{}/view/{}/", host_port(&view_host, port), secrets.view_key);

    if listen.ip().is_loopback() {
        println!("The class view is listening on {} (this computer only).", served.addr());
    } else {
        println!("The class view is listening on {}.", served.addr());
        eprintln!(
            "warning: anyone on a network this computer is on who has the code can post progress to this view, and everything travels as plain HTTP; use it on a classroom network you trust."
        );
    }
    println!("Class code: {}", secrets.code);
    println!("Learners join with:\n\n    {join}\n");
    println!("(adding --seat NAME to choose the label shown for them; otherwise they are seat 1, seat 2, ...)");
    if listen.ip().is_loopback() {
        println!(
            "Only learners on this computer can join; for a classroom, run cargo lab class --listen 0.0.0.0:{port}."
        );
    }
    println!("Your page (its address is its key: keep it to yourself): {page}");
    match &saved_in {
        Some(dir) => println!(
            "Ctrl-C stops it. Run it again to carry on with the same code (kept in {}); learners' progress comes back by itself.",
            dir.join(SERVER_FILE).display()
        ),
        None => println!("Ctrl-C stops it."),
    }
    loop {
        std::thread::park();
    }
}

/// Where the code and key are kept: the workshop's state folder when run
/// inside it (or `LAB_STATE_DIR`), else nowhere.
fn secrets_dir() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    match harness::exercise::workspace_root(&here) {
        Some(root) => Some(crate::progress::state_dir(&root)),
        None => std::env::var_os(crate::progress::STATE_DIR_VAR).filter(|d| !d.is_empty()).map(PathBuf::from),
    }
}

/// The address learners type: the one listened on, or for "every
/// interface" this computer's address on its main network.
fn learners_host(listen: IpAddr) -> String {
    if !listen.is_unspecified() {
        return listen.to_string();
    }
    network_address(listen.is_ipv6()).map(|ip| ip.to_string()).unwrap_or_else(|| "THIS-COMPUTERS-ADDRESS".into())
}

/// The address the instructor opens the page at: loopback when listening on
/// every interface.
fn view_host(listen: IpAddr) -> String {
    match listen {
        IpAddr::V4(ip) if ip.is_unspecified() => Ipv4Addr::LOCALHOST.to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => Ipv6Addr::LOCALHOST.to_string(),
        ip => ip.to_string(),
    }
}

fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

/// This computer's address on the network it would reach the internet
/// through. Connecting a UDP socket sends nothing; it only picks the route
/// (to a documentation address, never used by anyone).
fn network_address(ipv6: bool) -> Option<IpAddr> {
    let (bind, far) = if ipv6 { ("[::]:0", "[2001:db8::1]:9") } else { ("0.0.0.0:0", "192.0.2.1:9") };
    let socket = UdpSocket::bind(bind).ok()?;
    socket.connect(far).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_opened_on_this_computer_and_learners_get_a_reachable_host() {
        assert_eq!(view_host("0.0.0.0".parse().unwrap()), "127.0.0.1");
        assert_eq!(view_host("192.168.1.20".parse().unwrap()), "192.168.1.20");
        assert_eq!(learners_host("127.0.0.1".parse().unwrap()), "127.0.0.1");
        assert_ne!(learners_host("0.0.0.0".parse().unwrap()), "0.0.0.0");
        assert_eq!(host_port("::1", 3100), "[::1]:3100");
        assert_eq!(host_port("10.0.0.2", 3100), "10.0.0.2:3100");
    }
}
