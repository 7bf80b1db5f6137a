//! Strategies behind pointers: `Box<dyn Wait<T, E>>` for a policy chosen at run time (and a
//! reference to one, `&Box<dyn Wait<T, E>>`, as a field of `self` is read), `&W` for a strategy
//! kept in a `const` or `static`.
//!
//! A blanket `impl<W: Wait> Wait for &W` would overlap the one for closures (a reference to a
//! closure is a closure), so each family implements its trait for `&'a dyn Trait` and
//! `Box<dyn Trait>` here, and for a reference to each of its own types beside its operators.

/// Implements a family's trait for boxed and borrowed trait objects (with and without `Send` and
/// `Sync`), forwarding the listed methods. A trait object's type-level answers (`needs_clock`,
/// `retries_ok`) keep their cautious defaults, since the type behind it is not known; `assumes`
/// gives the cautious answer where the default is not (a boxed stop may be cancellable).
macro_rules! forward_dyn {
    ($Trait:ident { $(fn $method:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)* } $(assumes { $($assumed:item)* })?) => {
        forward_dyn!(@each $Trait [$(fn $method(&self $(, $arg: $ty)*) -> $ret;)*] [$($($assumed)*)?]
            [Box<dyn $Trait<T, E> + 'a>]
            [Box<dyn $Trait<T, E> + Send + 'a>]
            [Box<dyn $Trait<T, E> + Send + Sync + 'a>]
            [&'a (dyn $Trait<T, E> + 'a)]
            [&'a (dyn $Trait<T, E> + Send + 'a)]
            [&'a (dyn $Trait<T, E> + Send + Sync + 'a)]
            [&'a Box<dyn $Trait<T, E> + 'a>]
            [&'a Box<dyn $Trait<T, E> + Send + 'a>]
            [&'a Box<dyn $Trait<T, E> + Send + Sync + 'a>]);
    };
    (@each $Trait:ident $methods:tt $assumed:tt $([$($pointer:tt)*])*) => {$(
        forward_dyn!(@one $Trait $methods $assumed [$($pointer)*]);
    )*};
    (@one $Trait:ident [$(fn $method:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*] [$($assumed:item)*] [$($pointer:tt)*]) => {
        impl<'a, T, E> $Trait<T, E> for $($pointer)* {
            $($assumed)*
            $(
                #[inline]
                fn $method(&self $(, $arg: $ty)*) -> $ret {
                    (**self).$method($($arg),*)
                }
            )*
        }
    };
}

/// Implements a family's trait for a reference to one of its types, forwarding the listed
/// methods and the named type-level answers.
macro_rules! forward_ref {
    ($Trait:ident for [$($param:ident),*] $ty:ty { $(fn $method:ident(&self $(, $arg:ident: $aty:ty)*) -> $ret:ty;)* } answers [$($answer:ident),*]) => {
        impl<'r, T, E, $($param,)*> $Trait<T, E> for &'r $ty
        where
            $ty: $Trait<T, E>,
        {
            $(
                #[inline]
                fn $method(&self $(, $arg: $aty)*) -> $ret {
                    (**self).$method($($arg),*)
                }
            )*
            $(
                fn $answer() -> bool {
                    <$ty as $Trait<T, E>>::$answer()
                }
            )*
        }
    };
}

pub(crate) use {forward_dyn, forward_ref};

/// Implements a combining operator for boxed trait objects of a family (with and without `Send`
/// and `Sync`), so that strategies chosen at run time combine as the runtime's own do.
macro_rules! boxed_operator {
    ($Trait:ident, $Op:ident, $method:ident, $Output:ident) => {
        boxed_operator!(@each $Trait, $Op, $method, $Output
            [dyn $Trait<T, E> + 'a]
            [dyn $Trait<T, E> + Send + 'a]
            [dyn $Trait<T, E> + Send + Sync + 'a]);
    };
    (@each $Trait:ident, $Op:ident, $method:ident, $Output:ident $([$($object:tt)*])*) => {$(
        impl<'a, T, E, Rhs> core::ops::$Op<Rhs> for Box<$($object)*> {
            type Output = $Output<Self, Rhs>;
            fn $method(self, rhs: Rhs) -> Self::Output {
                $Output(self, rhs)
            }
        }
    )*};
}

pub(crate) use boxed_operator;
