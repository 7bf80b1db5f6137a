//! Collects every error in an attribute so they are all reported at once.

/// An accumulator of spanned errors.
#[derive(Default)]
pub(crate) struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    pub(crate) fn error(&mut self, span: proc_macro2::Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.first.map_or(Ok(()), Err)
    }
}

/// Tokens as a user writes them, for a message that quotes them: without the spaces
/// `to_string()` puts around paths, calls, fields, commas and generics (`std::io::Error`, not
/// `std :: io :: Error`).
pub(crate) fn written(tokens: &impl quote::ToTokens) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" . ", ".")
        .replace(" ,", ",")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" <", "<")
}
