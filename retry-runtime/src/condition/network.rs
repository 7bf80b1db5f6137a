use std::error::Error;
use std::io;
use std::marker::PhantomData;

use crate::condition::{Condition, ErrorChain, Plain};

/// Retries transport failures that pass with time. Built by [`network`], whose page has an
/// example.
///
/// A failed name lookup counts, read from its message, as the clients give it no kind:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use persevere::condition::{network, Condition, Network};
///
/// let transient: Network = network();
/// let lookup = io::Error::other("failed to lookup address information");
/// assert!(transient.should_retry(&Err::<(), _>(lookup)));
/// ```
pub struct Network<V = Plain>(PhantomData<fn() -> V>);

impl<V> Clone for Network<V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V> Copy for Network<V> {}
impl<V> std::fmt::Debug for Network<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Network")
    }
}

/// Retries an error caused by the network, for any client: anywhere in the error's `source()`
/// chain, a `std::io::Error` of a transient kind, or a failed name lookup. An `io::Error` that
/// holds an error (`io::Error::other(e)`) leads to `e` itself, though its `source()` is `e`'s own.
///
/// - **Transient kinds**: `ConnectionRefused`, `ConnectionReset`, `ConnectionAborted`,
///   `NotConnected`, `BrokenPipe`, `TimedOut`, `UnexpectedEof`, `HostUnreachable`,
///   `NetworkUnreachable`, `NetworkDown` and `Interrupted`. Other kinds (`PermissionDenied`, `InvalidInput`,
///   `AddrInUse`, …) are a mistake to fix, not a moment to wait out.
/// - **Connections cut short**: hyper reports a connection the server closed before answering
///   (`connection closed before message completed`) without a kind; it counts too.
/// - **Name lookups**: the standard library, hyper and reqwest report a failed DNS lookup
///   without a kind of its own, so a link whose message contains `failed to lookup address`,
///   `dns error`, `name or service not known`, `nodename nor servname`, `no such host is known`
///   or `temporary failure in name resolution` (any case) counts too.
///
/// It works on any error type that implements `std::error::Error`, and on
/// `Box<dyn Error + Send + Sync>`, `Box<dyn Error>` and `anyhow::Error`; the type parameter says
/// which and is inferred. Combine it with other conditions: `network() | retryable_status()`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use persevere::condition::{network, Condition};
///
/// let refused: Result<(), io::Error> = Err(io::ErrorKind::ConnectionRefused.into());
/// assert!(network().should_retry(&refused));
/// let denied: Result<(), io::Error> = Err(io::ErrorKind::PermissionDenied.into());
/// assert!(!network().should_retry(&denied));
///
/// // Wrapped: an error whose cause is a reset connection.
/// let boxed: Result<(), Box<dyn std::error::Error + Send + Sync>> =
///     Err(Box::new(io::Error::from(io::ErrorKind::ConnectionReset)));
/// assert!(network().should_retry(&boxed));
/// ```
///
/// In the attribute: `#[retry(retry_if = network())]`.
pub const fn network<V>() -> Network<V> {
    Network(PhantomData)
}

/// Whether `error`, or an error in its `source()` chain, is a transient transport failure.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::condition::is_network_error;
///
/// let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
/// assert!(is_network_error(&reset));
/// assert!(!is_network_error(&"x".parse::<u8>().unwrap_err()));
/// ```
pub fn is_network_error(error: &(dyn Error + 'static)) -> bool {
    super::causes::causes(error).any(|link| {
        if let Some(io) = link.downcast_ref::<io::Error>()
            && is_transient_kind(io.kind())
        {
            return true;
        }
        let message = link.to_string();
        is_name_lookup(&message) || is_cut_short(&message)
    })
}

/// Whether `error`, or an error in its `source()` chain, says the request never reached the
/// server: a connection refused, a host or network unreachable or down, an address not
/// available, or a failed name lookup. Such a request may be sent again whatever its method;
/// a reset, a broken pipe or a timeout may come after the server acted, so they are not
/// counted here.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::io;
/// use persevere::condition::is_connect_error;
///
/// assert!(is_connect_error(&io::Error::from(io::ErrorKind::ConnectionRefused)));
/// assert!(!is_connect_error(&io::Error::from(io::ErrorKind::ConnectionReset)));
/// ```
pub fn is_connect_error(error: &(dyn Error + 'static)) -> bool {
    super::causes::causes(error).any(|link| {
        link.downcast_ref::<io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::HostUnreachable
                    | io::ErrorKind::NetworkUnreachable
                    | io::ErrorKind::NetworkDown
                    | io::ErrorKind::AddrNotAvailable
            )
        }) || is_name_lookup(&link.to_string())
    })
}

fn is_transient_kind(kind: io::ErrorKind) -> bool {
    use io::ErrorKind::*;
    matches!(
        kind,
        ConnectionRefused
            | ConnectionReset
            | ConnectionAborted
            | NotConnected
            | BrokenPipe
            | TimedOut
            | UnexpectedEof
            | HostUnreachable
            | NetworkUnreachable
            | NetworkDown
            | Interrupted
    )
}

const NAME_LOOKUP_FAILURES: &[&str] = &[
    "failed to lookup address",
    "dns error",
    "name or service not known",
    "nodename nor servname",
    "no such host is known",
    "temporary failure in name resolution",
];

/// hyper reports a connection the server closed before its answer without an `io::Error`.
fn is_cut_short(message: &str) -> bool {
    message.contains("connection closed before message completed")
}

fn is_name_lookup(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    NAME_LOOKUP_FAILURES
        .iter()
        .any(|failure| message.contains(failure))
}

impl<T, E: ErrorChain<V>, V> Condition<T, E> for Network<V> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        outcome
            .as_ref()
            .is_err_and(|error| is_network_error(error.chain()))
    }
    fn retries_ok() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_transient_kind_and_no_other() {
        use io::ErrorKind::*;
        let transient = [
            ConnectionRefused,
            ConnectionReset,
            ConnectionAborted,
            NotConnected,
            BrokenPipe,
            TimedOut,
            UnexpectedEof,
            HostUnreachable,
            NetworkUnreachable,
            NetworkDown,
            Interrupted,
        ];
        for kind in transient {
            assert!(is_network_error(&io::Error::from(kind)), "{kind:?}");
        }
        for kind in [
            PermissionDenied,
            NotFound,
            InvalidInput,
            InvalidData,
            AddrInUse,
            AlreadyExists,
            Unsupported,
            Other,
        ] {
            assert!(!is_network_error(&io::Error::from(kind)), "{kind:?}");
        }
    }

    #[test]
    fn a_connection_cut_short_by_hypers_message() {
        let cut = io::Error::other("connection closed before message completed");
        assert!(is_network_error(&cut));
        assert!(!is_connect_error(&cut));
    }

    #[test]
    fn never_sent_is_refused_unreachable_or_a_lookup() {
        use io::ErrorKind::*;
        for kind in [
            ConnectionRefused,
            HostUnreachable,
            NetworkUnreachable,
            NetworkDown,
            AddrNotAvailable,
        ] {
            assert!(is_connect_error(&io::Error::from(kind)), "{kind:?}");
        }
        for kind in [ConnectionReset, BrokenPipe, TimedOut, UnexpectedEof] {
            assert!(!is_connect_error(&io::Error::from(kind)), "{kind:?}");
        }
        assert!(is_connect_error(&io::Error::other(
            "dns error: no record found"
        )));
    }

    #[test]
    fn name_lookups_by_their_messages() {
        for message in [
            "failed to lookup address information: Name or service not known",
            "dns error: no record found",
            "Temporary failure in name resolution",
            "No such host is known. (os error 11001)",
        ] {
            assert!(is_network_error(&io::Error::other(message)), "{message}");
        }
        assert!(!is_network_error(&io::Error::other("disk full")));
    }
}
