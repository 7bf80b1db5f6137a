//! The name a retried call goes by in hooks and log lines.

use std::fmt;

use crate::hook::LogSite;

/// The name of a retried call: `my_crate::client::send_message` for a function, and for a method
/// its type's path then the method, `my_crate::billing::Gateway::charge` (tenacity names a
/// method `Class.method`). The attribute takes a method's type path from
/// [`std::any::type_name`], generic arguments included (`my_crate::Pool<Postgres>::get`). An
/// associated function whose signature does not name `Self` cannot tell its type, and goes by
/// its module's path and its own name (`my_crate::billing::open`); `name = "Gateway::open"`
/// gives it another. [`RetryState::function`](crate::RetryState::function) returns it.
///
/// It displays as that path, and `name == "path"` compares it with a string (two names compare
/// as their parts: `Name::new("a::b")` is not `Name::method("a", "b")`):
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::Name;
///
/// let name = Name::method("billing::Gateway", "charge");
/// assert_eq!(name.to_string(), "billing::Gateway::charge");
/// assert_eq!(name, "billing::Gateway::charge");
/// assert_eq!(Name::new("client::send"), "client::send");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name {
    owner: &'static str,
    function: Option<&'static str>,
}

impl Name {
    /// A whole path.
    pub const fn new(path: &'static str) -> Name {
        Name {
            owner: path,
            function: None,
        }
    }

    /// A method `function` of the type whose path is `owner`.
    pub const fn method(owner: &'static str, function: &'static str) -> Name {
        Name {
            owner,
            function: Some(function),
        }
    }
}

impl Name {
    /// The whole path as one string, when the name is one (a function, not a method).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::Name;
    ///
    /// assert_eq!(Name::new("client::send").as_static(), Some("client::send"));
    /// assert_eq!(Name::method("billing::Gateway", "charge").as_static(), None);
    /// ```
    pub const fn as_static(&self) -> Option<&'static str> {
        match self.function {
            None => Some(self.owner),
            Some(_) => None,
        }
    }
}

impl From<&'static str> for Name {
    fn from(path: &'static str) -> Name {
        Name::new(path)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.function {
            Some(function) => write!(f, "{}::{function}", self.owner),
            None => f.write_str(self.owner),
        }
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        match self.function {
            None => self.owner == other,
            Some(function) => other
                .strip_prefix(self.owner)
                .and_then(|rest| rest.strip_prefix("::"))
                .is_some_and(|rest| rest == function),
        }
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Where a call is: its function's name, and where its `log(..)` lines go (`None` for the
/// runtime's own callsites, a `Policy`'s).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Site {
    pub(crate) name: Name,
    pub(crate) log: Option<LogSite>,
}

impl Site {
    /// The call of `name`, whose `log(..)` lines go to `log`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn new(name: Name, log: Option<LogSite>) -> Site {
        Site { name, log }
    }
}

/// A call's [`Site`], or the function that makes it: what a [`RetryState`](crate::RetryState)
/// carries, so that a decision whose strategies and hooks never read the name does not make it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Who {
    /// The site itself.
    Site(Site),
    /// The function making it, called where it is read.
    Made(fn() -> Site),
}

impl Who {
    /// The site.
    #[inline]
    pub(crate) fn site(self) -> Site {
        match self {
            Who::Site(site) => site,
            Who::Made(site) => site(),
        }
    }

    /// The name.
    #[inline]
    pub(crate) fn name(self) -> Name {
        self.site().name
    }
}

/// How a [`Call`](crate::engine::Call) names itself: a [`Name`], or, under the `#[retry]`
/// attribute, the function that makes the name (and says where its `log(..)` lines go) where
/// something reads it. The call keeps it between attempts, and an async call's future holds it
/// across every sleep: the attribute's is one pointer, where a name is four.
pub trait Naming: Copy + sealed::Sealed {
    /// The call's site, or how to make it.
    #[doc(hidden)]
    fn who(&self) -> Who;
}

impl Naming for Name {
    #[inline]
    fn who(&self) -> Who {
        Who::Site(Site::new(*self, None))
    }
}

impl Naming for fn() -> Site {
    #[inline]
    fn who(&self) -> Who {
        Who::Made(*self)
    }
}

mod sealed {
    /// Only the runtime's namings.
    pub trait Sealed {}
    impl Sealed for crate::Name {}
    impl Sealed for fn() -> super::Site {}
}
